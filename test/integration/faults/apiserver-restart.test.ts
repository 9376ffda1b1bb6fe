/**
 * The API server killed (SIGKILL) and started again in the middle of a sync, once while objects
 * are being applied and once while a hook runs: the sync completes. This test starts a cluster of
 * its own (it must not restart the API server other tests use) and stops it at the end.
 */
import { EngineEvent, KubeClient, RequestStats, createKubeClient, runSync } from '../../../src/engine';
import { ClusterState, ensureToolchain, startCluster, stopCluster } from '../../../src/localcluster';
import { KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { Timeline, clusterOpts, configMap, deployment, hookJob, uniqueNamespace, withNamespace } from '../engine/_helpers';
import { writeReport } from './_report';
import { Restart, restartApiServer } from './_restart';

let state: ClusterState;
let c: KubeClient;
const report: Record<string, unknown> = {};

beforeAll(async () => {
  const toolchain = await ensureToolchain({ parts: ['k8s', 'kwok'] });
  state = await startCluster({ toolchain, progress: () => undefined });
  c = createKubeClient(state.kubeconfig);
});
afterAll(async () => {
  c?.close?.();
  if (state) await stopCluster(state);
  writeReport('apiserver-restart', report);
});

/** Runs a sync and restarts the API server (without blocking the engine) at the first event `when` accepts. */
async function syncWithRestart(objs: KubeObject[], ns: string, when: (e: EngineEvent) => boolean) {
  const tl = new Timeline();
  let restart: Promise<Restart> | undefined;
  let killedAtElapsedMs: number | undefined;
  const before: RequestStats = c.requestStats!();
  const result = await runSync(c, planSync(objs, { defaultNamespace: ns }), {
    ...clusterOpts,
    onEvent: (e) => {
      tl.push(e);
      if (!restart && when(e)) {
        killedAtElapsedMs = e.elapsedMs;
        restart = restartApiServer(state);
        restart.catch(() => undefined);
      }
    },
  }).catch((e) => {
    throw new Error(`${(e as Error).message}\ntimeline:\n${tl.render()}`);
  });
  expect(restart).toBeDefined();
  const r = await restart!;
  const after = c.requestStats!();
  const retried = after.retries - before.retries;
  const byCause = Object.fromEntries(Object.entries(after.retriesByCause).map(([k, v]) => [k, v - (before.retriesByCause[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
  return { result, tl, restart: r, killedAtElapsedMs: killedAtElapsedMs!, retried, byCause, requests: after.requests - before.requests };
}

test('API server killed and restarted mid-apply: the sync completes with every object applied', async () => {
  const ns = uniqueNamespace('restart-apply');
  const cleanup = await withNamespace(c, ns);
  try {
    const objs = [0, 1, 2].flatMap((wave) => Array.from({ length: 8 }, (_, i) => configMap(ns, `w${wave}-cm-${i}`, wave)));
    objs.push(deployment(ns, 'web', 2));
    // Killed right after the first object of wave 1 was applied: the rest of wave 1 meets a dead server.
    const run = await syncWithRestart(objs, ns, (e) => e.type === 'object.applied' && e.wave === 1);
    expect(run.restart.newPid).not.toBe(run.restart.oldPid);
    expect(run.result.applied).toHaveLength(objs.length);
    for (const o of objs) expect(await c.get({ apiVersion: o.apiVersion, kind: o.kind, namespace: ns, name: o.metadata.name! })).toBeDefined();
    // Requests really met the dead server and were retried.
    expect(run.retried).toBeGreaterThan(0);
    expect(Object.keys(run.byCause).some((k) => /ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET/.test(k))).toBe(true);
    // Killed mid-apply: the whole of wave 2 was applied after the kill.
    const wave2 = run.tl.events.filter((e) => e.type === 'object.applied' && e.wave === 2);
    expect(wave2).toHaveLength(9);
    expect(Math.min(...wave2.map((e) => e.elapsedMs))).toBeGreaterThanOrEqual(run.killedAtElapsedMs);
    report.midApply = { downMs: run.restart.downMs, retried: run.retried, requests: run.requests, byCause: run.byCause };
  } finally {
    await cleanup();
  }
});

test('API server killed and restarted while a hook runs: the hook completes and the sync goes on', async () => {
  const ns = uniqueNamespace('restart-hook');
  const cleanup = await withNamespace(c, ns);
  try {
    const objs = [hookJob(ns, 'migrate', { phase: 'PreSync', generateName: true, duration: '4s' }), configMap(ns, 'app'), hookJob(ns, 'smoke', { phase: 'PostSync' })];
    const run = await syncWithRestart(objs, ns, (e) => e.type === 'hook.created' && e.phase === 'PreSync');
    expect(run.result.hooks.map((h) => [h.phase, h.status])).toEqual([
      ['PreSync', 'Succeeded'],
      ['PostSync', 'Succeeded'],
    ]);
    expect(run.result.applied.map((k) => k.name)).toEqual(['app']);
    // The engine's reads met the dead server while it waited on the hook, and were retried.
    expect(run.retried).toBeGreaterThan(0);
    expect(run.tl.at('hook.succeeded', 'migrate').elapsedMs).toBeGreaterThan(run.killedAtElapsedMs);
    const jobs = await c.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns });
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(run.result.hooks.map((h) => h.name).sort());
    report.midHook = { downMs: run.restart.downMs, retried: run.retried, requests: run.requests, byCause: run.byCause };
  } finally {
    await cleanup();
  }
});
