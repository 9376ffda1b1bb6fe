/**
 * Secrets through the native provider plugin (real pulumi CLI, Pulumi YAML program, embedded
 * cluster): a Secret's value in the chart and a failing Pod hook's output are planted; neither is
 * in plaintext in `pulumi stack export`, the state files, the stack outputs or the CLI's output.
 * The Secret's values are the secret input `secretData` (ciphertext), `manifests` stays readable
 * with a placeholder, and the Secret in the cluster has the real value.
 */
import { Toolchain } from '../../../src/localcluster/toolchain';
import { k8s, kubeConfig, uniqueName } from '../helpers/kube';
import { app, podHook } from '../pulumi/fixtures';
import { manifestsYaml, nativeToolchain, runPulumi, yamlProject } from './_native';
import * as fs from 'node:fs';
import * as path from 'node:path';

const core = kubeConfig().makeApiClient(k8s().CoreV1Api);

let tc: Toolchain;
beforeAll(async () => {
  tc = await nativeToolchain(true);
}, 60 * 60_000);

function stateText(dir: string): string {
  let s = '';
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) s += fs.readFileSync(p, 'utf8');
    }
  };
  walk(path.join(dir, '.pulumi'));
  return s;
}

test('a Secret value and a failed Pod hook output are never in plaintext state, export, outputs or CLI output', async () => {
  const ns = uniqueName('nsec');
  const planted = { secretValue: `s3cr3t-${uniqueName('v')}`, hookOutput: `hook-pw-${uniqueName('o')}` };
  const chart = (secretValue: string) => [...app({ ns, secretValue }), podHook('verify', ns, 'PostSync', { fail: true, failMessage: `verify-failed password=${planted.hookOutput}` })];
  const p = await yamlProject(tc, { manifests: manifestsYaml(chart(planted.secretValue)), namespace: ns });
  const notIn = (where: string, text: string, values: Record<string, string> = planted) => {
    for (const [what, value] of Object.entries(values)) expect(`${what} in ${where}: ${text.includes(value)}`).toBe(`${what} in ${where}: false`);
  };
  // The hook output is planted through the chart (the annotation kwok reads): the chart's own copy
  // in `manifests` is not a leak, any other occurrence is.
  const annotation = new RegExp(`fail-message[^a-z]{0,8}verify-failed password=${planted.hookOutput}`, 'g');
  const outsideChart = (text: string) => text.replace(annotation, '');
  try {
    const up = runPulumi(tc, p, ['up', '--yes', '--skip-preview']);
    const { code } = await up.exited;
    expect(up.output()).toMatch(/HookFailed in PostSync wave 0: Pod \S+\/verify[\s\S]*termination message/);
    expect(code).not.toBe(0);
    notIn('pulumi up output', up.output());

    // The Secret reached the cluster with its real value (merged back from secretData).
    const secret = await core.readNamespacedSecret({ name: 'creds', namespace: ns });
    expect(Buffer.from(secret.data!.password, 'base64').toString()).toBe(planted.secretValue);

    const exp = runPulumi(tc, p, ['stack', 'export']);
    expect((await exp.exited).code).toBe(0);
    const exported = JSON.parse(exp.output());
    const res = exported.deployment.resources.find((r: any) => r.type === 'sync-hooks:index:SyncedChart');
    expect(res).toBeDefined();
    for (const where of ['inputs', 'outputs']) {
      expect([where, Object.keys(res[where].secretData ?? {})]).toEqual([where, expect.arrayContaining(['4dabf18193072939515e22adb298388d', 'ciphertext'])]);
      expect(res[where].manifests).toContain('(secret: in secretData)');
      expect(res[where].manifests).toContain('nginx:1.27'); // the rest stays readable
    }
    const verify = res.outputs.hooks.find((h: any) => h.name === 'verify');
    expect(verify).toMatchObject({ phase: 'PostSync', status: 'Failed', message: expect.stringMatching(/container "main" terminated .*termination message withheld/) });
    expect(res.outputs.lastSync.status).toBe('Failed');
    expect(exp.output()).toMatch(annotation); // the pattern does find the chart's copy
    notIn('pulumi stack export', outsideChart(exp.output()));
    notIn('state files', outsideChart(stateText(p.stateDir)));
    const outs = runPulumi(tc, p, ['stack', 'output', '--json']);
    expect((await outs.exited).code).toBe(0);
    notIn('stack outputs', outs.output());

    // A changed value is a change of the secret input; the diff prints neither value.
    fs.writeFileSync(path.join(p.dir, 'Pulumi.yaml'), fs.readFileSync(path.join(p.dir, 'Pulumi.yaml'), 'utf8').replace(planted.secretValue, 'rotated-value-1'));
    const preview = runPulumi(tc, p, ['preview', '--diff']);
    expect((await preview.exited).code).toBe(0);
    expect(preview.output()).toMatch(/secretData/);
    notIn('pulumi preview --diff output', preview.output(), { ...planted, rotated: 'rotated-value-1' });
  } finally {
    await p.stack.destroy().catch(() => undefined);
    p.cleanup();
  }
});
