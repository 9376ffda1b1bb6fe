/**
 * Ctrl-C during `pulumi up` (SIGINT to the real pulumi CLI): the engine's Cancel reaches the
 * provider plugin, the running PreSync hook is terminated, SyncFail runs, and the resource keeps
 * what was applied. Also: customTimeouts bound the sync.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Toolchain } from '../../../src/localcluster/toolchain';
import { eventually, uniqueName } from '../helpers/kube';
import { Recorder } from '../helpers/recorder';
import { job } from '../pulumi/fixtures';
import { manifestsYaml, nativeToolchain, runPulumi, yamlProject } from './_native';

let tc: Toolchain;
beforeAll(async () => {
  tc = await nativeToolchain(true);
}, 60 * 60_000);

function slowChart(ns: string) {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    job('migrate', ns, 'PreSync', { duration: '120s' }),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { k: 'v' } },
    job('alert', ns, 'SyncFail', { duration: '1s' }),
  ];
}

test('SIGINT to pulumi up terminates the running hook, runs SyncFail and ends the update', async () => {
  const ns = uniqueName('cc');
  const rec = await Recorder.start(['Job', 'ConfigMap']);
  const p = await yamlProject(tc, { manifests: manifestsYaml(slowChart(ns)) });
  try {
    const run = runPulumi(tc, p, ['up', '--yes', '--skip-preview']);
    await eventually('PreSync hook started', async () => rec.created('Job', 'migrate', ns), 120_000);
    const sigint = Date.now();
    run.child.kill('SIGINT');
    const exit = await run.exited;
    // Compared with the wall-clock moment of the SIGINT: receive times (Recorder.first), not write order.
    const alertDone = await eventually('SyncFail hook completed', async () =>
      rec.first((e) => e.kind === 'Job' && e.jobState === 'Complete' && e.name.startsWith('alert') && e.namespace === ns),
    );
    const migrateGone = await eventually('PreSync hook deleted', async () => rec.first((e) => e.type === 'DELETED' && e.kind === 'Job' && e.name === 'migrate' && e.namespace === ns));
    expect(exit.code).not.toBe(0);
    expect(migrateGone).toBeGreaterThanOrEqual(sigint);
    expect(alertDone).toBeGreaterThan(sigint);
    expect(rec.created('ConfigMap', 'settings', ns)).toBeUndefined();
    expect(run.output()).toMatch(/cancel/i);
    const report = { sigintToSyncFailDoneMs: alertDone - sigint, sigintToExitMs: exit.at - sigint };
    fs.writeFileSync(path.join(os.tmpdir(), 'sync-hooks-ctrl-c.json'), JSON.stringify(report));
    process.stdout.write(`ctrl-c: ${JSON.stringify(report)}\n`);
  } finally {
    rec.stop();
    await p.stack.destroy().catch(() => undefined);
    p.cleanup();
  }
});

test('customTimeouts bound the sync: a hook longer than the timeout fails the update with Timeout', async () => {
  const ns = uniqueName('ct');
  const rec = await Recorder.start(['Job']);
  const p = await yamlProject(tc, { manifests: manifestsYaml(slowChart(ns)), extra: {} });
  // customTimeouts are resource options: add them to the program.
  const file = path.join(p.dir, 'Pulumi.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('    type: sync-hooks:index:SyncedChart\n', '    type: sync-hooks:index:SyncedChart\n    options:\n      customTimeouts:\n        create: 5s\n'));
  try {
    const err = await p.stack.up().then(
      () => undefined,
      (e) => e as Error,
    );
    expect(err).toBeDefined();
    expect(String(err!.message)).toMatch(/Timeout/);
    expect(await eventually('SyncFail hook completed', async () => rec.completed('alert', ns))).toBeGreaterThan(0);
    // The state keeps what the failed sync did (created but failed to initialize).
    const state = await p.stack.exportStack();
    const chart = state.deployment.resources.find((r: any) => r.type === 'sync-hooks:index:SyncedChart');
    expect(chart.outputs.lastSync).toMatchObject({ status: 'Failed' });
    expect(chart.outputs.lastSync.message).toMatch(/Timeout/);
  } finally {
    rec.stop();
    await p.stack.destroy().catch(() => undefined);
    p.cleanup();
  }
});
