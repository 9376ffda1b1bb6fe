import { EngineEvent, formatEvent, runSync, runTeardown } from '../../../src/engine';
import { completeJob, FakeKubeClient, readyWorkload, Reaction } from '../../support';
import { KubeObject } from '../../../src/model';
import { planSync, planTeardown } from '../../../src/plan';
import { configMap, deployment, fakeCluster, fast, job, NS, Recorder } from './_helpers';

type Beat = Extract<EngineEvent, { type: 'heartbeat' }>;

/**
 * A reaction that does nothing until `release()`: the test lets the object finish only after it
 * has seen heartbeats, so nothing depends on how fast timers fire on a loaded machine.
 */
function held(then: (afterMs?: number) => Reaction) {
  let captured: { obj: KubeObject; fake: FakeKubeClient } | undefined;
  return {
    reaction: ((obj: KubeObject, fake: FakeKubeClient) => {
      captured = { obj, fake };
    }) as Reaction,
    release: () => captured && then(0)(captured.obj, captured.fake),
  };
}

/** Records events; after `n` heartbeats calls `release` once. */
function releaseAfterBeats(rec: Recorder, n: number, release: () => void) {
  let beats = 0;
  return (e: EngineEvent) => {
    rec.push(e);
    if (e.type === 'heartbeat' && ++beats === n) release();
  };
}

function between(rec: Recorder, from: number, to: number): Beat[] {
  return rec.events.slice(from, to).filter((e): e is Beat => e.type === 'heartbeat');
}

describe('heartbeats while the engine waits', () => {
  test('a long hook: repeated lines saying what, for how long, and the hook deadline; none once it is done', async () => {
    const fake = fakeCluster();
    const migrate = held(completeJob);
    fake.react({ name: 'migrate' }, migrate.reaction);
    const rec = new Recorder();
    await runSync(fake, planSync([job('migrate', { phase: 'PreSync', activeDeadlineSeconds: 300 }), configMap('cfg')]), {
      ...fast,
      dryRun: false,
      heartbeatIntervalMs: 40,
      onEvent: releaseAfterBeats(rec, 3, migrate.release),
    });
    const created = rec.index('hook.created', 'migrate');
    const done = rec.index('hook.succeeded', 'migrate');
    const beats = between(rec, created, done);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    const createdAt = Date.parse(rec.events[created].time);
    for (const b of beats) {
      expect(b).toMatchObject({ phase: 'PreSync', wave: 0 });
      expect(b.waitingFor).toHaveLength(1);
      expect(b.waitingFor[0]).toMatchObject({ key: `batch/Job/${NS}/migrate`, object: `Job ${NS}/migrate`, until: 'complete' });
      // The hook's deadline: activeDeadlineSeconds + the 30 s grace, from its creation (well before the operation's 30 min).
      expect(Math.abs(Date.parse(b.deadline!) - (createdAt + 330_000))).toBeLessThan(1_000);
      expect(b.waitingFor[0].deadline).toBe(b.deadline);
      expect(formatEvent(b)).toMatch(
        new RegExp(`^\\+\\d+\\.\\ds PreSync wave 0: still waiting after \\d+(\\.\\d)?m?s for hook Job ${NS}/migrate to complete.*; deadline in 5m\\d\\ds \\(\\d\\d:\\d\\d:\\d\\d UTC\\)$`),
      );
    }
    const waited = beats.map((b) => b.waitedMs);
    expect(waited).toEqual([...waited].sort((a, b) => a - b));
    expect(new Set(waited).size).toBe(waited.length);
    // Nothing after the wait ended (the config map's wave is the last one: not gated).
    expect(between(rec, done, rec.events.length)).toEqual([]);
  });

  test('the wave gate: objects not yet healthy, with the operation deadline', async () => {
    const fake = fakeCluster();
    const web = held(readyWorkload);
    fake.react({ name: 'web' }, web.reaction);
    const rec = new Recorder();
    const started = Date.now();
    await runSync(fake, planSync([deployment('web', { wave: 0 }), configMap('after', { wave: 1 })]), {
      ...fast,
      dryRun: false,
      timeoutMs: 120_000,
      heartbeatIntervalMs: 40,
      onEvent: releaseAfterBeats(rec, 2, web.release),
    });
    const beats = between(rec, rec.index('object.applied', 'web'), rec.index('object.ready', 'web'));
    expect(beats.length).toBeGreaterThanOrEqual(2);
    for (const b of beats) {
      expect(b).toMatchObject({ phase: 'Sync', wave: 0 });
      expect(b.waitingFor.map((i) => [i.object, i.until])).toEqual([[`Deployment ${NS}/web`, 'healthy']]);
      expect(Math.abs(Date.parse(b.deadline!) - (started + 120_000))).toBeLessThan(1_000);
      expect(formatEvent(b)).toContain(`Sync wave 0: still waiting after`);
      expect(formatEvent(b)).toContain(`for Deployment ${NS}/web to become healthy`);
    }
  });

  test('teardown: waiting for an object to be deleted', async () => {
    const fake = fakeCluster();
    const objs = [configMap('cfg')];
    await runSync(fake, planSync(objs), { ...fast, dryRun: false });
    // A finalizer holds the deletion until the test has seen two heartbeats.
    const cfg = { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'cfg' };
    await fake.patchFinalizers(cfg, { add: ['test/hold'] });
    const rec = new Recorder();
    await runTeardown(fake, planTeardown(objs), {
      ...fast,
      heartbeatIntervalMs: 40,
      onEvent: releaseAfterBeats(rec, 2, () => void fake.patchFinalizers(cfg, { remove: ['test/hold'] })),
    });
    const beats = rec.of('heartbeat');
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats[0].waitingFor.map((i) => [i.object, i.until])).toEqual([[`ConfigMap ${NS}/cfg`, 'deleted']]);
    expect(formatEvent(beats[0])).toContain(`for ConfigMap ${NS}/cfg to be deleted`);
  });

  test('heartbeatIntervalMs 0 disables them', async () => {
    const fake = fakeCluster();
    fake.react({ name: 'migrate' }, completeJob(200));
    const rec = new Recorder();
    await runSync(fake, planSync([job('migrate', { phase: 'PreSync' })]), { ...fast, dryRun: false, heartbeatIntervalMs: 0, onEvent: rec.push });
    expect(rec.of('heartbeat')).toEqual([]);
  });

  test('several waits of one wave share one line; more than three are summarized', () => {
    const line = formatEvent({
      type: 'heartbeat',
      phase: 'Sync',
      wave: 2,
      waitedMs: 45_000,
      deadline: '2026-12-01T13:00:00.000Z',
      deadlineInMs: 555_000,
      waitingFor: ['a', 'b', 'c', 'd', 'e'].map((n) => ({ key: n, object: `Deployment app/${n}`, until: 'healthy' as const, waitedMs: 45_000, ...(n === 'a' ? { message: '1 of 3 replicas ready' } : {}) })),
      time: '2026-12-01T12:50:45.000Z',
      elapsedMs: 50_000,
      operationId: 'x',
    });
    expect(line).toBe(
      '+50.0s Sync wave 2: still waiting after 45.0s for Deployment app/a to become healthy (1 of 3 replicas ready), Deployment app/b to become healthy, Deployment app/c to become healthy and 2 more; deadline in 9m15s (13:00:00 UTC)',
    );
  });
});
