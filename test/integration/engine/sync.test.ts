/**
 * runSync against the real embedded cluster: each §12 parity row observed in the cluster itself
 * (creation/completion timestamps, objects present or absent, env of the SyncFail Job), with the
 * engine's event timeline as a second witness.
 */
import {
  ClusterValidationError,
  HookResult,
  KubeClient,
  SYNC_HOOKS_FAILED_OBJECT,
  SYNC_HOOKS_FAILED_PHASE,
  SYNC_HOOKS_FAILURE_MESSAGE,
  SyncCancelledError,
  SyncFailedError,
  SyncTimeoutError,
  runSync,
} from '../../../src/engine';
import { HOOK_FINALIZER, KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { clusterOpts, configMap, deployment, envOf, eventually, hookJob, namespacePerTest, ref, seconds, Timeline } from './_helpers';

let c: KubeClient;
let ns: string;
namespacePerTest('engine-sync', (client, namespace) => {
  c = client;
  ns = namespace;
});

const plan = (objs: KubeObject[], previous?: KubeObject[]) => planSync(objs, { defaultNamespace: ns, ...(previous ? { previous } : {}) });

test('phase and wave order is observed in the cluster: PreSync completed before Sync objects existed; PostSync after the Deployment was ready', async () => {
  const tl = new Timeline();
  const result = await runSync(
    c,
    plan([
      hookJob(ns, 'migrate', { phase: 'PreSync', duration: '1500ms' }),
      deployment(ns, 'web'),
      configMap(ns, 'late', 1),
      hookJob(ns, 'smoke', { phase: 'PostSync' }),
    ]),
    { ...clusterOpts, onEvent: tl.push },
  );

  const migrate = (await c.get(ref(ns, 'Job', 'migrate')))!;
  const web = (await c.get(ref(ns, 'Deployment', 'web')))!;
  const late = (await c.get(ref(ns, 'ConfigMap', 'late')))!;
  const smoke = (await c.get(ref(ns, 'Job', 'smoke')))!;
  // The migration really ran (>= 1 s) and had completed when the Deployment was created.
  expect(seconds(migrate.status.completionTime) - seconds(migrate.status.startTime)).toBeGreaterThanOrEqual(1000);
  expect(seconds(web.metadata.creationTimestamp)).toBeGreaterThanOrEqual(seconds(migrate.status.completionTime));
  // Wave 1 and PostSync were created after the Deployment had become available.
  const available = web.status.conditions.find((x: any) => x.type === 'Available' && x.status === 'True');
  expect(seconds(late.metadata.creationTimestamp)).toBeGreaterThanOrEqual(seconds(available.lastTransitionTime));
  expect(seconds(smoke.metadata.creationTimestamp)).toBeGreaterThanOrEqual(seconds(late.metadata.creationTimestamp));
  expect(smoke.status.conditions.some((x: any) => x.type === 'Complete' && x.status === 'True')).toBe(true);

  // The engine's timeline (ms resolution) agrees.
  expect(tl.index('hook.succeeded', 'migrate')).toBeLessThan(tl.index('object.applied', 'web'));
  expect(tl.index('object.ready', 'web')).toBeLessThan(tl.index('object.applied', 'late'));
  expect(tl.index('object.applied', 'late')).toBeLessThan(tl.index('hook.created', 'smoke'));
  // Event-driven: no 2 s delay between waves (Argo CD would sleep 2 s after each non-final wave).
  const gap = tl.at('object.applied', 'late').elapsedMs - tl.at('object.ready', 'web').elapsedMs;
  expect(gap).toBeLessThan(1000);

  expect(result.applied.map((k) => `${k.kind}/${k.name}`)).toEqual(['Deployment/web', 'ConfigMap/late']);
  expect(result.hooks.map((h) => [h.name, h.status])).toEqual([
    ['migrate', 'Succeeded'],
    ['smoke', 'Succeeded'],
  ]);
  // Finalizers were released: nothing holds the hooks.
  expect(migrate.metadata.finalizers ?? []).not.toContain(HOOK_FINALIZER);
});

test('the hook finalizer is on the Job while it runs and removed once its result is read', async () => {
  const sync = runSync(c, plan([hookJob(ns, 'slow', { phase: 'PreSync', duration: '3s' }), configMap(ns, 'x')]), clusterOpts);
  const whileRunning = await eventually('the running hook Job', async () => {
    const j = await c.get(ref(ns, 'Job', 'slow'));
    return j && !j.status?.completionTime ? j : undefined;
  });
  expect(whileRunning.metadata.finalizers).toContain(HOOK_FINALIZER);
  await sync;
  const after = await c.get(ref(ns, 'Job', 'slow'));
  expect(after!.metadata.finalizers ?? []).not.toContain(HOOK_FINALIZER);
});

test('PreSync fails → no Sync-phase object is created, SyncFail runs with the failure env, HookFailed hooks are deleted', async () => {
  const tl = new Timeline();
  const err = await runSync(
    c,
    plan([
      hookJob(ns, 'migrate', { phase: 'PreSync', policy: 'HookFailed', fail: { exitCode: 3, message: 'relation "users" already exists' } }),
      hookJob(ns, 'keep', { phase: 'PreSync', policy: 'BeforeHookCreation' }),
      deployment(ns, 'web'),
      configMap(ns, 'settings'),
      hookJob(ns, 'notify', { phase: 'SyncFail', containers: ['slack', 'pager'] }),
    ]),
    { ...clusterOpts, onEvent: tl.push },
  ).catch((e) => e);

  expect(err).toBeInstanceOf(SyncFailedError);
  expect(err).toMatchObject({ reason: 'HookFailed', phase: 'PreSync', object: `Job ${ns}/migrate` });
  expect(err.jobConditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Failed' })]));
  expect(err.containers[0]).toMatchObject({ container: 'main', exitCode: 3, reason: 'Error', message: 'relation "users" already exists' });

  // No Sync-phase object exists.
  expect(await c.get(ref(ns, 'Deployment', 'web'))).toBeUndefined();
  expect(await c.get(ref(ns, 'ConfigMap', 'settings'))).toBeUndefined();

  // SyncFail ran to completion with the failure in every container's env.
  const notify = (await c.get(ref(ns, 'Job', 'notify')))!;
  expect(notify.status.conditions.some((x: any) => x.type === 'Complete' && x.status === 'True')).toBe(true);
  for (const i of [0, 1]) {
    const env = envOf(notify, i);
    expect(env[SYNC_HOOKS_FAILED_PHASE]).toBe('PreSync');
    expect(env[SYNC_HOOKS_FAILED_OBJECT]).toBe(`Job ${ns}/migrate`);
    expect(env[SYNC_HOOKS_FAILURE_MESSAGE]).toContain('exit code 3');
  }
  expect(err.syncFail).toMatchObject({ ran: true, status: 'Succeeded' });
  expect(err.message).toContain('SyncFail ran: 1 SyncFail hook succeeded.');

  // HookFailed hook deleted; the other one (BeforeHookCreation only) left as it is.
  expect(await c.get(ref(ns, 'Job', 'migrate'))).toBeUndefined();
  expect(await c.get(ref(ns, 'Job', 'keep'))).toBeDefined();
  expect(tl.index('object.deleted', 'migrate')).toBeLessThan(tl.index('syncfail.started'));
});

test('delete policies: HookSucceeded deleted on success; BeforeHookCreation re-creates on the next sync; generateName names per operation', async () => {
  const objs = [
    hookJob(ns, 'cleanup', { phase: 'PreSync', policy: 'HookSucceeded' }),
    hookJob(ns, 'migrate', { phase: 'PreSync' }),
    hookJob(ns, 'seed', { phase: 'PostSync', generateName: true }),
    configMap(ns, 'settings'),
  ];
  const first = await runSync(c, plan(objs), { ...clusterOpts, operationId: 'aaaaaaa1111', startedAt: new Date('2026-03-01T00:00:00Z') });
  expect(await c.get(ref(ns, 'Job', 'cleanup'))).toBeUndefined();
  const migrate1 = (await c.get(ref(ns, 'Job', 'migrate')))!;
  const seedName = first.hooks.find((h: HookResult) => h.phase === 'PostSync')!.name;
  expect(seedName).toBe(`seed-aaaaaaa-postsync-${Date.parse('2026-03-01T00:00:00Z') / 1000}`);
  expect(await c.get(ref(ns, 'Job', seedName))).toBeDefined();

  const second = await runSync(c, plan(objs), { ...clusterOpts, operationId: 'bbbbbbb2222' });
  const migrate2 = (await c.get(ref(ns, 'Job', 'migrate')))!;
  expect(migrate2.metadata.uid).not.toBe(migrate1.metadata.uid);
  expect(seconds(migrate2.metadata.creationTimestamp)).toBeGreaterThanOrEqual(seconds(migrate1.metadata.creationTimestamp));
  // generateName hooks accumulate (BeforeHookCreation never matches an old generated name), as in Argo CD.
  const seedName2 = second.hooks.find((h: HookResult) => h.phase === 'PostSync')!.name;
  expect(seedName2).toMatch(/^seed-bbbbbbb-postsync-\d+$/);
  expect(await c.get(ref(ns, 'Job', seedName))).toBeDefined();
  expect(await c.get(ref(ns, 'Job', seedName2))).toBeDefined();
});

test('prune: removed objects are deleted in reverse wave order, each gone before the next wave', async () => {
  const v1 = [configMap(ns, 'a', 0), configMap(ns, 'b', 1), configMap(ns, 'c', 2), configMap(ns, 'stay', 0)];
  await runSync(c, plan(v1), clusterOpts);
  const tl = new Timeline();
  const result = await runSync(c, plan([configMap(ns, 'stay', 0)], v1), { ...clusterOpts, onEvent: tl.push });
  for (const n of ['a', 'b', 'c']) expect(await c.get(ref(ns, 'ConfigMap', n))).toBeUndefined();
  expect(await c.get(ref(ns, 'ConfigMap', 'stay'))).toBeDefined();
  expect(result.pruned.map((k) => k.name)).toEqual(['c', 'b', 'a']);
  const pruned = (n: string) => tl.index('object.pruned', `ConfigMap ${ns}/${n}`);
  expect(pruned('c')).toBeGreaterThan(-1);
  expect(pruned('c')).toBeLessThan(pruned('b'));
  expect(pruned('b')).toBeLessThan(pruned('a'));
});

test('bad input writes nothing: every problem is reported at once', async () => {
  const err = await runSync(
    c,
    plan([
      hookJob(ns, 'migrate', { phase: 'PreSync' }),
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: ns } },
      configMap('no-such-namespace-xyz', 'elsewhere'),
      configMap(ns, 'fine'),
    ]),
    clusterOpts,
  ).catch((e) => e);
  expect(err).toBeInstanceOf(ClusterValidationError);
  expect(err.problems).toHaveLength(2);
  expect(err.message).toMatch(/Widget/);
  expect(err.message).toMatch(/namespace "no-such-namespace-xyz" does not exist/);

  // Server-side dry run: an object the API server rejects.
  const err2 = await runSync(c, plan([hookJob(ns, 'migrate', { phase: 'PreSync' }), configMap(ns, 'bad', undefined, { 'not a valid key!': 'x' }), configMap(ns, 'fine')]), clusterOpts).catch((e) => e);
  expect(err2).toBeInstanceOf(ClusterValidationError);
  expect(err2.problems).toEqual([expect.objectContaining({ object: `ConfigMap ${ns}/bad`, message: expect.stringContaining('dry run') })]);

  for (const [kind, name] of [['Job', 'migrate'], ['ConfigMap', 'fine'], ['ConfigMap', 'bad']] as const) expect(await c.get(ref(ns, kind, name))).toBeUndefined();
});

test('a hook deadline fails the sync (SyncTimeoutError) and SyncFail runs', async () => {
  const err = await runSync(
    c,
    plan([hookJob(ns, 'stuck', { phase: 'PreSync', duration: '60s' }), configMap(ns, 'x'), hookJob(ns, 'notify', { phase: 'SyncFail' })]),
    { ...clusterOpts, hookTimeoutMs: 1500 },
  ).catch((e) => e);
  expect(err).toBeInstanceOf(SyncTimeoutError);
  expect(err.reason).toBe('HookTimeout');
  expect(err.syncFail.status).toBe('Succeeded');
  expect(envOf(await c.get(ref(ns, 'Job', 'notify')))[SYNC_HOOKS_FAILURE_MESSAGE]).toMatch(/HookTimeout in PreSync/);
  expect(await c.get(ref(ns, 'ConfigMap', 'x'))).toBeUndefined();
});

test('cancellation terminates the running hook (deleted), runs SyncFail, and throws SyncCancelledError', async () => {
  const ctl = new AbortController();
  const sync = runSync(
    c,
    plan([hookJob(ns, 'long', { phase: 'PreSync', duration: '60s' }), configMap(ns, 'x'), hookJob(ns, 'notify', { phase: 'SyncFail' })]),
    { ...clusterOpts, signal: ctl.signal },
  ).catch((e) => e);
  await eventually('hook long running', async () => (await c.get(ref(ns, 'Job', 'long')))?.status?.active === 1);
  ctl.abort();
  const err = await sync;
  expect(err).toBeInstanceOf(SyncCancelledError);
  expect(err.hooks.find((h: HookResult) => h.name === 'long')).toMatchObject({ status: 'Terminated', deleted: true });
  expect(await c.get(ref(ns, 'Job', 'long'))).toBeUndefined();
  expect(envOf(await c.get(ref(ns, 'Job', 'notify')))[SYNC_HOOKS_FAILED_PHASE]).toBe('PreSync');
});
