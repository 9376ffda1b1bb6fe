import { formatEvent, runSync } from '../../../src/engine';
import { completeJob, never, readyWorkload } from '../../support';
import { planSync } from '../../../src/plan';
import { NS, Recorder, configMap, deployment, fakeCluster, fast, job } from './_helpers';

afterEach(() => jest.useRealTimers());

test('phases run in order: PreSync completes before Sync objects are applied; PostSync starts after Sync is healthy', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, completeJob(30));
  fake.react({ kind: 'Deployment' }, readyWorkload(30));
  const plan = planSync(
    [
      job('migrate', { phase: 'PreSync' }),
      configMap('settings'),
      deployment('web'),
      configMap('late', { wave: 1 }),
      job('smoke', { phase: 'PostSync' }),
    ],
    { defaultNamespace: NS },
  );
  const rec = new Recorder();
  const result = await runSync(fake, plan, { ...fast, onEvent: rec.push });

  // In the cluster: the Job's completion was written before the Deployment was applied.
  const jobDone = fake.entries('status', 'Job/app/migrate')[0].seq;
  expect(fake.seqOf('apply', 'Deployment/app/web')).toBeGreaterThan(jobDone);
  // The Deployment was ready before wave 1 was applied, and wave 1 before PostSync.
  const webReady = fake.entries('status', 'Deployment/app/web')[0].seq;
  expect(fake.seqOf('apply', 'ConfigMap/app/late')).toBeGreaterThan(webReady);
  expect(fake.seqOf('apply', 'Job/app/smoke')).toBeGreaterThan(fake.seqOf('apply', 'ConfigMap/app/late'));

  // The event stream tells the same story.
  expect(rec.index('hook.succeeded', 'migrate')).toBeLessThan(rec.index('object.applied', 'web'));
  expect(rec.index('object.ready', 'web')).toBeLessThan(rec.index('object.applied', 'late'));
  expect(rec.index('object.applied', 'late')).toBeLessThan(rec.index('hook.created', 'smoke'));
  expect(rec.types()[0]).toBe('operation.started');
  expect(rec.types().at(-1)).toBe('operation.succeeded');
  expect(rec.of('phase.started').map((e) => e.phase)).toEqual(['PreSync', 'Sync', 'PostSync']);
  expect(rec.of('wave.started').map((e) => `${e.phase}/${e.wave}`)).toEqual(['PreSync/0', 'Sync/0', 'Sync/1', 'PostSync/0']);
  for (const e of rec.events) expect(formatEvent(e)).toMatch(/^\+\d+\.\ds /);

  expect(result.applied.map((k) => `${k.kind}/${k.name}`)).toEqual(['ConfigMap/settings', 'Deployment/web', 'ConfigMap/late']);
  expect(result.hooks.map((h) => [h.name, h.phase, h.status])).toEqual([
    ['migrate', 'PreSync', 'Succeeded'],
    ['smoke', 'PostSync', 'Succeeded'],
  ]);
  for (const h of result.hooks) expect(Date.parse(h.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(h.startedAt));
  fake.dispose();
});

test("a wave's hooks run in parallel", async () => {
  const fake = fakeCluster();
  fake.react({ kind: 'Job' }, completeJob(40));
  const plan = planSync([job('a', { phase: 'PreSync' }), job('b', { phase: 'PreSync' }), job('c', { phase: 'PreSync' })], { defaultNamespace: NS });
  const rec = new Recorder();
  await runSync(fake, plan, { ...fast, onEvent: rec.push });
  const created = rec.of('hook.created').map((e) => e.elapsedMs);
  const firstDone = rec.of('hook.succeeded').map((e) => e.elapsedMs).sort((x, y) => x - y)[0];
  // All three were started before any of them finished.
  expect(created).toHaveLength(3);
  expect(Math.max(...created)).toBeLessThanOrEqual(firstDone);
  fake.dispose();
});

test('objects of a wave are applied with bounded concurrency', async () => {
  const fake = fakeCluster();
  let inFlight = 0;
  let peak = 0;
  const apply = fake.apply.bind(fake);
  fake.apply = async (obj, opts) => {
    if (opts?.dryRun) return apply(obj, opts);
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 10));
    inFlight--;
    return apply(obj, opts);
  };
  const plan = planSync(Array.from({ length: 9 }, (_, i) => configMap(`cm${i}`)), { defaultNamespace: NS });
  const result = await runSync(fake, plan, { ...fast, concurrency: 3 });
  expect(result.applied).toHaveLength(9);
  expect(peak).toBe(3);
  fake.dispose();
});

test('the final wave without hooks is not gated (Argo CD parity); waitForFinalWave gates it', async () => {
  const fake = fakeCluster();
  fake.react({ kind: 'Deployment' }, never);
  const plan = planSync([deployment('web')], { defaultNamespace: NS });
  const rec = new Recorder();
  await expect(runSync(fake, plan, { ...fast, onEvent: rec.push })).resolves.toBeDefined();
  expect(rec.index('object.ready')).toBe(-1);

  const err = await runSync(fake, plan, { ...fast, waitForFinalWave: true, timeoutMs: 100 }).catch((e) => e);
  expect(err.name).toBe('SyncTimeoutError');
  expect(err.reason).toBe('Timeout');
  fake.dispose();
});

test('non-hook resources gate the next wave, and readiness requires the current generation', async () => {
  const fake = fakeCluster();
  // The Deployment exists and looks ready, but for generation 1; the sync changes its spec.
  fake.seed({
    ...deployment('web', { image: 'nginx:1' }),
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
  });
  fake.react({ kind: 'Deployment' }, readyWorkload(50));
  const plan = planSync([deployment('web', { image: 'nginx:2' }), configMap('after', { wave: 1 })], { defaultNamespace: NS });
  await runSync(fake, plan, fast);
  const caughtUp = fake.entries('status', 'Deployment/app/web')[0].seq;
  expect(fake.peek({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'web' })!.metadata.generation).toBe(2);
  expect(fake.seqOf('apply', 'ConfigMap/app/after')).toBeGreaterThan(caughtUp);
  fake.dispose();
});

test('waiting falls back to polling when watches break', async () => {
  const fake = fakeCluster();
  fake.watchesBroken = true;
  fake.react({ name: 'migrate' }, completeJob(30));
  const plan = planSync([job('migrate', { phase: 'PreSync' }), configMap('x')], { defaultNamespace: NS });
  const result = await runSync(fake, plan, { pollIntervalMs: 10, resyncIntervalMs: 10_000 });
  expect(result.hooks[0].status).toBe('Succeeded');

  // A watch that drops mid-wait is recovered too.
  const fake2 = fakeCluster();
  fake2.react({ name: 'migrate' }, (j, f) => {
    f.later(10, () => f.breakWatches());
    completeJob(40)(j, f);
  });
  const r2 = await runSync(fake2, plan, { pollIntervalMs: 10, resyncIntervalMs: 10_000 });
  expect(r2.hooks[0].status).toBe('Succeeded');
  fake.dispose();
  fake2.dispose();
});

test('prune tasks are deleted (Foreground) and gone before the applies of their wave', async () => {
  const fake = fakeCluster();
  fake.deletionDelayMs = 30;
  const old = configMap('old');
  fake.seed(old);
  const plan = planSync([configMap('new')], { defaultNamespace: NS, previous: [old, configMap('new')] });
  const rec = new Recorder();
  const result = await runSync(fake, plan, { ...fast, onEvent: rec.push });
  const del = fake.entries('delete', 'ConfigMap/app/old')[0];
  expect(del.detail).toBe('Foreground');
  expect(fake.seqOf('removed', 'ConfigMap/app/old')).toBeLessThan(fake.seqOf('apply', 'ConfigMap/app/new'));
  expect(rec.index('object.pruned', 'old')).toBeLessThan(rec.index('object.applied', 'new'));
  expect(result.pruned.map((k) => k.name)).toEqual(['old']);
  fake.dispose();
});
