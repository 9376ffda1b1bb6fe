/** runTeardown against the real embedded cluster: order, and a failed PreDelete leaving everything. */
import { KubeClient, TeardownFailedError, runSync, runTeardown } from '../../../src/engine';
import { KubeObject } from '../../../src/model';
import { planSync, planTeardown } from '../../../src/plan';
import { clusterOpts, configMap, deployment, hookJob, namespacePerTest, ref, seconds, Timeline } from './_helpers';

let c: KubeClient;
let ns: string;
namespacePerTest('engine-teardown', (client, namespace) => {
  c = client;
  ns = namespace;
});

function app(o: { failBackup?: boolean } = {}): KubeObject[] {
  return [
    configMap(ns, 'settings', 0),
    deployment(ns, 'web', 1),
    configMap(ns, 'late', 2),
    hookJob(ns, 'backup', { phase: 'PreDelete', wave: 0, duration: '1s', ...(o.failBackup ? { fail: { exitCode: 5, message: 'bucket unreachable' } } : {}) }),
    hookJob(ns, 'drain', { phase: 'PreDelete', wave: 1 }),
    hookJob(ns, 'goodbye', { phase: 'PostDelete', policy: 'HookSucceeded' }),
  ];
}

test('teardown order in the cluster: PreDelete waves → managed objects by reverse wave, each gone first → PostDelete → cleanup', async () => {
  await runSync(c, planSync(app(), { defaultNamespace: ns }), clusterOpts);
  expect(await c.get(ref(ns, 'Deployment', 'web'))).toBeDefined();

  const tl = new Timeline();
  const result = await runTeardown(c, planTeardown(app(), { defaultNamespace: ns }), { ...clusterOpts, onEvent: tl.push });

  // In the cluster: the PreDelete waves ran in order; every managed object is gone.
  const backup = (await c.get(ref(ns, 'Job', 'backup')))!;
  const drain = (await c.get(ref(ns, 'Job', 'drain')))!;
  expect(seconds(drain.metadata.creationTimestamp)).toBeGreaterThanOrEqual(seconds(backup.status.completionTime));
  for (const [kind, name] of [['ConfigMap', 'settings'], ['Deployment', 'web'], ['ConfigMap', 'late']] as const) {
    expect(await c.get(ref(ns, kind, name))).toBeUndefined();
  }
  // The web Deployment's pods went with it (Foreground).
  expect(await c.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector: 'app=web' })).toEqual([]);
  // PostDelete (HookSucceeded) ran and was cleaned up; PreDelete hooks without a policy stay (Argo CD).
  expect(await c.get(ref(ns, 'Job', 'goodbye'))).toBeUndefined();

  // Timeline: nothing deleted before PreDelete finished; waves 2 → 1 → 0, each gone before the next; PostDelete last.
  expect(tl.index('hook.succeeded', 'drain')).toBeLessThan(tl.index('object.deleted', 'late'));
  expect(tl.index('object.deleted', 'late')).toBeLessThan(tl.index('object.deleted', 'web'));
  expect(tl.index('object.deleted', 'web')).toBeLessThan(tl.index('object.deleted', 'settings'));
  expect(tl.index('object.deleted', 'settings')).toBeLessThan(tl.index('hook.created', 'goodbye'));
  expect(result.deleted.map((k) => k.name)).toEqual(['late', 'web', 'settings']);
  expect(result.hooks.map((h) => [h.name, h.phase, h.status])).toEqual([
    ['backup', 'PreDelete', 'Succeeded'],
    ['drain', 'PreDelete', 'Succeeded'],
    ['goodbye', 'PostDelete', 'Succeeded'],
  ]);
});

test('a failed PreDelete hook stops the teardown: everything is left in place, the failed hook kept for inspection', async () => {
  await runSync(c, planSync(app(), { defaultNamespace: ns }), clusterOpts);
  const err = await runTeardown(c, planTeardown(app({ failBackup: true }), { defaultNamespace: ns }), clusterOpts).catch((e) => e);
  expect(err).toBeInstanceOf(TeardownFailedError);
  expect(err).toMatchObject({ reason: 'HookFailed', phase: 'PreDelete', object: `Job ${ns}/backup` });
  expect(err.containers[0]).toMatchObject({ exitCode: 5, message: 'bucket unreachable' });
  expect(err.message).toContain('Nothing was deleted.');
  for (const [kind, name] of [['ConfigMap', 'settings'], ['Deployment', 'web'], ['ConfigMap', 'late']] as const) {
    const live = await c.get(ref(ns, kind, name));
    expect(live).toBeDefined();
    expect(live!.metadata.deletionTimestamp).toBeUndefined();
  }
  const backup = (await c.get(ref(ns, 'Job', 'backup')))!;
  expect(backup.status.conditions.some((x: any) => x.type === 'Failed' && x.status === 'True')).toBe(true);
  expect(await c.get(ref(ns, 'Job', 'drain'))).toBeUndefined();
  expect(await c.get(ref(ns, 'Job', 'goodbye'))).toBeUndefined();
});
