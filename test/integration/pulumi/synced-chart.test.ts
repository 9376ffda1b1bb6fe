/**
 * SyncedChart through the real pulumi CLI (file backend) against the embedded cluster: hooks run
 * in phase order on `up`, not at all when nothing changed, again on change with pruning in
 * reverse waves; SyncFail on failure with nothing of the Sync phase applied; refresh sees drift;
 * destroy runs PreDelete before and PostDelete after the deletions; a failed PreDelete keeps it all.
 */
import * as fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { SyncedChart } from '../../../src/pulumi/synced-chart';
import { KubeObject } from '../../../src/model';
import { eventually, isNotFound, k8s, kubeConfig, kubeconfigPath, uniqueName } from '../helpers/kube';
import { testStack, TestStack } from '../helpers/pulumi';
import { Recorder } from '../helpers/recorder';
import { app } from './fixtures';

const kc = kubeConfig();
const core = kc.makeApiClient(k8s().CoreV1Api);
const batch = kc.makeApiClient(k8s().BatchV1Api);
const apps = kc.makeApiClient(k8s().AppsV1Api);

/** A stack whose program deploys whatever `state.manifests` holds at the time of the operation. */
async function chartStack(initial: KubeObject[], opts: { kubeconfig?: string } = {}): Promise<{ t: TestStack; state: { manifests: KubeObject[] } }> {
  const state = { manifests: initial };
  const kubeconfig = opts.kubeconfig ?? fs.readFileSync(kubeconfigPath(), 'utf8');
  const t = await testStack(async () => {
    const c = new SyncedChart('app', { chart: state.manifests, kubeconfig, timeouts: { sync: 300, hook: 120 } });
    return { hooks: c.hooks, objects: c.objects, lastSync: c.lastSync, failureDetails: c.failureDetails };
  });
  return { t, state };
}

/** The cluster's kubeconfig as one-line JSON, the form pulumi-eks outputs. */
const jsonKubeconfig = () => JSON.stringify(parseYaml(fs.readFileSync(kubeconfigPath(), 'utf8')));
const adminToken = () => /token: (\S+)/.exec(fs.readFileSync(kubeconfigPath(), 'utf8'))![1];

const exists = async (p: Promise<unknown>) => !(await isNotFound(p));

describe('SyncedChart lifecycle', () => {
  const ns = uniqueName('sc');
  let t: TestStack;
  let state: { manifests: KubeObject[] };
  let rec: Recorder;

  beforeAll(async () => {
    ({ t, state } = await chartStack(app({ ns })));
    rec = await Recorder.start();
  });
  afterAll(async () => {
    rec.stop();
    await t.stack.destroy().catch(() => undefined);
    await t.cleanup();
  });

  test('up runs PreSync before the app, PostSync after it is ready; objects exist; outputs list hooks', async () => {
    const up = await t.stack.up();
    expect(up.summary.result).toBe('succeeded');
    const migrated = rec.completed('migrate', ns)!;
    const deployment = rec.created('Deployment', 'web', ns)!;
    const cmA = rec.created('ConfigMap', 'cfg-a', ns)!;
    const cmB = rec.created('ConfigMap', 'cfg-b', ns)!;
    const notify = rec.created('Job', 'notify-', ns)!;
    expect(migrated).toBeDefined();
    expect(migrated).toBeLessThan(cmA); // PreSync completed before any Sync-phase object
    expect(cmA).toBeLessThan(deployment); // wave 0 before wave 1
    expect(deployment).toBeLessThan(cmB); // wave 1 before wave 2
    expect(cmB).toBeLessThan(notify); // PostSync after the whole Sync phase
    await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    const hooks = up.outputs.hooks.value as Array<{ phase: string; status: string; object: string }>;
    expect(hooks.map((h) => [h.phase, h.status])).toEqual([
      ['PreSync', 'Succeeded'],
      ['PostSync', 'Succeeded'],
    ]);
    expect(up.outputs.lastSync.value.status).toBe('Succeeded');
    // HookSucceeded: the PostSync notifier is gone after the sync.
    const jobs = await batch.listNamespacedJob({ namespace: ns });
    expect(jobs.items.map((j) => j.metadata!.name).sort()).toEqual(['migrate']);
  });

  test('a second up with no change runs nothing', async () => {
    rec.clear();
    const up = await t.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 3 }); // the stack, the chart's companion, the chart
    // No hook Job was created, touched or deleted.
    expect(rec.events.filter((e) => e.kind === 'Job' && e.namespace === ns)).toEqual([]);
  });

  test('a changed chart runs the hooks again and prunes removed objects in reverse wave order', async () => {
    state.manifests = app({ ns, version: '1.28', configMaps: { 'cfg-new': 0 } });
    rec.clear();
    const up = await t.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 2, update: 1 });
    const deletedB = rec.deleted('ConfigMap', 'cfg-b', ns)!;
    const deletedA = rec.deleted('ConfigMap', 'cfg-a', ns)!;
    expect(deletedB).toBeDefined();
    expect(deletedA).toBeDefined();
    expect(deletedB).toBeLessThan(deletedA); // wave 2 pruned before wave 0
    expect(rec.completed('migrate', ns)).toBeDefined(); // PreSync ran again
    expect(rec.created('Job', 'notify-', ns)).toBeDefined(); // PostSync ran again
    expect(await exists(core.readNamespacedConfigMap({ name: 'cfg-new', namespace: ns }))).toBe(true);
    const objects = (up.outputs.objects.value as Array<{ name: string }>).map((o) => o.name).sort();
    expect(objects).toEqual(['cfg-new', ns, 'web'].sort());
  });

  test('refresh reports an object deleted out of band; the next up repairs it', async () => {
    await core.deleteNamespacedConfigMap({ name: 'cfg-new', namespace: ns });
    await eventually('cfg-new gone', () => isNotFound(core.readNamespacedConfigMap({ name: 'cfg-new', namespace: ns })));
    const lines: string[] = [];
    const refresh = await t.stack.refresh({ onOutput: (l) => lines.push(l) });
    expect(refresh.summary.resourceChanges?.update).toBe(1);
    expect(lines.join('')).toContain('drift: ConfigMap');
    const preview = await t.stack.preview();
    expect(preview.changeSummary.update).toBe(1);
    await t.stack.up();
    expect(await exists(core.readNamespacedConfigMap({ name: 'cfg-new', namespace: ns }))).toBe(true);
  });

  test('destroy runs PreDelete before any deletion and PostDelete after everything is gone', async () => {
    rec.clear();
    const d = await t.stack.destroy();
    expect(d.summary.result).toBe('succeeded');
    // Watch events may trail the engine's own view by a few ms: wait until they have arrived.
    const backupDone = await eventually('backup completed', async () => rec.completed('backup', ns));
    const firstDelete = await eventually('first deletion', async () => rec.first((e) => e.type === 'DELETED' && e.namespace === ns && e.kind !== 'Job'));
    const nsGone = await eventually('namespace deleted', async () => rec.deleted('Namespace', ns));
    const cleanup = await eventually('cleanup created', async () => rec.created('Job', `cleanup-${ns}`, 'default'));
    expect(backupDone).toBeLessThan(firstDelete);
    expect(nsGone).toBeLessThan(cleanup);
    expect(await isNotFound(core.readNamespace({ name: ns }))).toBe(true);
    // PostDelete with HookSucceeded is removed at the end.
    await eventually('cleanup hook removed', () => isNotFound(batch.readNamespacedJob({ name: `cleanup-${ns}`, namespace: 'default' })));
  });
});

// A Job hook's health message is its Job condition; a Pod hook's is its container's termination
// message (Argo CD parity), i.e. the planted hook output itself: both must stay out of plaintext.
test.each(['Job', 'Pod'] as const)('a failing PreSync %s fails up: SyncFail ran, no Sync-phase object exists, the state lists what was created; no secret in plaintext', async (kind) => {
  const ns = uniqueName(`scfail${kind.toLowerCase()}`);
  // Planted: the admin token (in a one-line JSON kubeconfig), a Secret's value, and a string the
  // failing hook prints (its termination message: kwok's fail-message annotation).
  const planted = { token: adminToken(), secretData: `s3cr3t-${uniqueName('v')}`, hookOutput: `hook-pw-${uniqueName('o')}` };
  const { t } = await chartStack(app({ ns, failPreSync: true, preSyncKind: kind, secretValue: planted.secretData, failMessage: `migrate failed: password=${planted.hookOutput}` }), {
    kubeconfig: jsonKubeconfig(),
  });
  const notIn = (where: string, text: string) => {
    for (const [what, value] of Object.entries(planted)) expect(`${what} in ${where}: ${text.includes(value)}`).toBe(`${what} in ${where}: false`);
  };
  // The hook output is planted through the chart (the annotation kwok reads): the chart's own copy
  // of it, wherever the manifests are kept, is not a leak; any other occurrence is.
  const annotation = new RegExp(`"sync-hooks\\.local/fail-message":\\s*"migrate failed: password=${planted.hookOutput}"`, 'g');
  const outsideChart = (text: string) => text.replace(annotation, '');
  try {
    const lines: string[] = [];
    const err = await t.stack.up({ onOutput: (l) => lines.push(l) }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(new RegExp(`HookFailed in PreSync wave 0: ${kind} \\S+/migrate[\\s\\S]*termination message and logs withheld[\\s\\S]*SyncFail ran: 1 SyncFail hook succeeded`));
    notIn('pulumi up output', lines.join(''));
    notIn('the error', `${err?.message}\n${err?.stack}`);
    expect(await isNotFound(apps.readNamespacedDeployment({ name: 'web', namespace: ns }))).toBe(true);
    expect(await isNotFound(core.readNamespacedConfigMap({ name: 'cfg-a', namespace: ns }))).toBe(true);
    const alert = await batch.readNamespacedJob({ name: 'alert', namespace: ns });
    const env = alert.spec!.template.spec!.containers[0].env ?? [];
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'SYNC_HOOKS_FAILED_PHASE', value: 'PreSync' },
        { name: 'SYNC_HOOKS_FAILED_OBJECT', value: `${kind} ${ns}/migrate` },
        { name: 'SYNC_HOOKS_FAILURE_MESSAGE', value: expect.stringContaining('termination message and logs withheld') },
      ]),
    );
    notIn('the SyncFail Job', JSON.stringify(alert));
    expect(alert.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')).toBe(true);
    notIn('ConfigMaps (inventory, operation record)', JSON.stringify((await core.listConfigMapForAllNamespaces()).items));
    const exported = await t.stack.exportStack();
    const res = exported.deployment.resources.find((r: any) => r.type.endsWith('SyncedChart'));
    expect(res).toBeDefined();
    expect(res.outputs.objects.map((o: any) => `${o.kind}/${o.name}`)).toEqual([`Namespace/${ns}`]);
    expect(res.outputs.lastSync.status).toBe('Failed');
    expect(res.outputs.lastSync.message).toContain('termination message and logs withheld');
    const migrate = res.outputs.hooks.find((h: any) => h.name === 'migrate');
    expect(migrate).toMatchObject({ phase: 'PreSync', status: 'Failed' });
    if (kind === 'Pod') expect(migrate.message).toMatch(/container "main" terminated .*termination message withheld/);
    // exportStack shows secrets decrypted: the full text (with the hook's output) is kept as a
    // secret, as are the kubeconfig and the Secret's values; the state files hold them encrypted.
    const SECRET_SIG = '4dabf18193072939515e22adb298388d';
    for (const k of ['failureDetails', 'kubeconfig', 'secretData']) expect([k, Object.keys(res.outputs[k] ?? {})]).toEqual([k, expect.arrayContaining([SECRET_SIG])]);
    expect(res.outputs.failureDetails.plaintext).toContain(planted.hookOutput);
    // Only the Secret's values are secret: the other manifests stay readable for `preview --diff`.
    expect(res.outputs.manifests.find((m: any) => m.kind === 'Deployment')?.metadata?.name).toBe('web');
    expect(JSON.stringify(res.outputs.manifests)).not.toContain(planted.secretData);
    expect(t.stateText()).toContain('"ciphertext"');
    expect(t.stateText()).toMatch(annotation); // the pattern does find the chart's copy
    notIn('state files', outsideChart(t.stateText()));
    // Stack outputs as the automation API returns them (secrets decrypted): the non-secret ones.
    notIn('stack outputs', JSON.stringify(Object.entries(await t.stack.outputs()).filter(([, o]) => !o.secret)));
  } finally {
    await t.stack.destroy().catch(() => undefined);
    await t.cleanup();
  }
});

test('a failing PreDelete fails destroy and keeps everything; fixed and re-run, destroy succeeds; no secret in plaintext', async () => {
  const ns = uniqueName('scdel');
  const secret = `s3cr3t-${uniqueName('v')}`;
  const { t, state } = await chartStack(app({ ns, failPreDelete: true, secretValue: secret }));
  try {
    await t.stack.up();
    const token = /token: (\S+)/.exec(fs.readFileSync(kubeconfigPath(), 'utf8'))![1];
    expect(t.stateText()).toContain('"ciphertext"'); // the state holds the secrets, encrypted
    expect(t.stateText()).not.toContain(token);
    expect(t.stateText()).not.toContain(secret);

    await expect(t.stack.destroy()).rejects.toThrow(/PreDelete[\s\S]*backup/);
    expect(await exists(apps.readNamespacedDeployment({ name: 'web', namespace: ns }))).toBe(true);
    expect(await exists(core.readNamespacedConfigMap({ name: 'cfg-a', namespace: ns }))).toBe(true);
    const exported = await t.stack.exportStack();
    expect(exported.deployment.resources.some((r: any) => r.type.endsWith('SyncedChart'))).toBe(true);

    // Fix the hook: `up` records the fixed chart (destroy runs what the state holds), then destroy.
    state.manifests = app({ ns, secretValue: secret });
    await t.stack.up();
    const d = await t.stack.destroy();
    expect(d.summary.result).toBe('succeeded');
    await eventually('namespace gone', () => isNotFound(core.readNamespace({ name: ns })));
    expect(t.stateText()).not.toContain(token);
    expect(t.stateText()).not.toContain(secret);
  } finally {
    await t.stack.destroy().catch(() => undefined);
    await t.cleanup();
  }
});


test('preview shows the plans for up and destroy; bad input fails preview with every problem and writes nothing', async () => {
  const ns = uniqueName('scprev');
  const secret = `s3cr3t-${uniqueName('p')}`;
  const { t, state } = await chartStack(app({ ns, secretValue: secret }));
  try {
    const lines: string[] = [];
    const preview = await t.stack.preview({ onOutput: (l) => lines.push(l) });
    expect(preview.changeSummary.create).toBe(3); // the stack, the chart's companion, the chart
    const out = lines.join('');
    // Sync: a line per step, hooks named (the table per object is `sync-hooks plan`'s); teardown: one line.
    expect(out).toContain('plan for pulumi up');
    expect(out).toMatch(/PreSync wave 0: .*hook Job \S+\/migrate/);
    expect(out).toMatch(/plan for pulumi destroy: PreDelete hook Job \S+\/backup, then \d+ objects deleted in \d+ waves, then PostDelete hook Job default\/cleanup-\S+/);

    const bad = app({ ns, secretValue: secret });
    bad[2].metadata.annotations!['argocd.argoproj.io/sync-wave'] = 'one';
    bad.push({ ...bad[1] }); // duplicate Job migrate
    state.manifests = bad;
    const err = await t.stack.preview().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/sync-wave[\s\S]*must be an integer, got "one"/);
    expect(err?.message).toMatch(/duplicate/i);
    // Check failures name object and field; no manifest is printed beside them (Secret data included).
    expect(err?.message).not.toContain(secret);
    expect(err?.message).not.toContain('nginx:1.27');
    expect(await isNotFound(core.readNamespace({ name: ns }))).toBe(true);
  } finally {
    await t.cleanup();
  }
});
