/**
 * The operation record, the lock and resuming, on the fake cluster. A "crash" is a client that
 * starts failing every call (the process is gone: nothing it does afterwards reaches the cluster)
 * plus a cancel so the dead run's promise settles.
 */
import { APP_LABEL, decide, KubeClient, LockHeldError, LockLostError, lockRef, OperationLock, OperationRecord, parseRecord, recordRef, SyncFailedError, TeardownFailedError } from '../../../src/engine';
import { completeJob, FakeKubeClient, never } from '../../support';
import { HOOK_FINALIZER, KubeObject } from '../../../src/model';
import { syncManifests, teardownManifests } from '../../../src/runner';
import { NS, Recorder, configMap, fakeCluster, fast, job, rejection } from './_helpers';

const APP = 'shop';
const jobRef = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name });

function seedDefault(fake: FakeKubeClient): FakeKubeClient {
  fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return fake;
}

/** A client that dies (every call fails) when `kill()` is called. */
function killable(fake: FakeKubeClient): { client: KubeClient; kill: () => void } {
  let dead = false;
  const client = new Proxy(fake, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (dead && prop !== 'watch' && prop !== 'close') return Promise.reject(new Error('the process was killed'));
        return v.apply(target, args);
      };
    },
  }) as unknown as KubeClient;
  return { client, kill: () => (dead = true) };
}

function record(fake: FakeKubeClient): OperationRecord {
  const cm = fake.peek(recordRef(APP));
  if (!cm) throw new Error('no record');
  return parseRecord(cm, APP);
}

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** PreSync hook → ConfigMap (wave 0) → Sync hook (wave 1) → PostSync hook. */
function chart(extra: KubeObject[] = []): KubeObject[] {
  return [
    job('pre', { phase: 'PreSync', policy: 'HookSucceeded' }),
    configMap('cfg'),
    job('mid', { phase: 'Sync', wave: 1, policy: 'HookSucceeded' }),
    job('post', { phase: 'PostSync', policy: 'HookSucceeded' }),
    ...extra,
  ];
}

/** Starts a sync and kills it once the Sync hook `mid` exists (running: it never completes on its own). */
async function killedSync(fake: FakeKubeClient, manifests = chart()): Promise<void> {
  fake.react({ kind: 'Job', name: 'mid' }, never);
  const { client, kill } = killable(fake);
  const ctl = new AbortController();
  const run = syncManifests(client, { manifests, namespace: NS, record: { app: APP, lockTtlMs: 1 }, engine: { ...fast, signal: ctl.signal } });
  await until('the Sync hook to be created', () => !!fake.peek(jobRef('mid')));
  await until('the record to list mid with its uid', () => record(fake).hooks.some((h) => h.name === 'mid' && !!h.uid));
  kill();
  ctl.abort();
  await rejection(run);
}

test('every object written carries the app label, and is in the record before it is written', async () => {
  const fake = seedDefault(fakeCluster());
  await syncManifests(fake, { manifests: chart(), namespace: NS, record: { app: APP }, engine: fast });
  const writes = fake.entries().filter((e) => (e.verb === 'apply' || e.verb === 'create') && !e.id.includes('sync-hooks-op-') && !e.id.includes('sync-hooks-history-') && !e.id.includes('Lease/'));
  expect(writes.map((w) => w.id)).toEqual(expect.arrayContaining(['batch/Job/app/pre', '/ConfigMap/app/cfg', 'batch/Job/app/mid', 'batch/Job/app/post']));
  for (const w of writes) {
    expect((w.detail as KubeObject).metadata.labels?.[APP_LABEL]).toBe(APP);
    const name = (w.detail as KubeObject).metadata.name!;
    const before = fake.entries('apply', 'sync-hooks-op-shop').filter((r) => r.seq < w.seq && JSON.stringify(r.detail).includes(`\\"name\\": \\"${name}\\"`));
    expect(before.length).toBeGreaterThan(0);
  }
  const rec = record(fake);
  expect(rec.operation).toMatchObject({ kind: 'sync', status: 'Succeeded' });
  expect(rec.hooks.map((h) => [h.name, h.status, !!h.uid, !!h.deleted])).toEqual([
    ['pre', 'Succeeded', true, true],
    ['mid', 'Succeeded', true, true],
    ['post', 'Succeeded', true, true],
  ]);
  expect(rec.written.map((w) => w.name)).toEqual(['cfg']);
  expect(fake.peek(lockRef(APP))).toBeUndefined();
  fake.dispose();
});

test('a killed sync is continued by the re-run: completed hooks are not re-run, the running one is adopted; teardown leaves nothing', async () => {
  const fake = seedDefault(fakeCluster());
  await killedSync(fake);
  const crashed = record(fake);
  expect(crashed.operation.status).toBe('Running');
  expect(crashed.operation).toMatchObject({ phase: 'Sync', wave: 1 });
  const midUid = fake.peek(jobRef('mid'))!.metadata.uid;
  expect(fake.peek(jobRef('mid'))!.metadata.finalizers).toContain(HOOK_FINALIZER);

  // The hook finishes while nobody watches; the re-run takes the (expired) lock and continues.
  completeJob()(fake.peek(jobRef('mid'))!, fake);
  fake.react({ kind: 'Job', name: 'mid' }, completeJob());
  const start = fake.entries().length;
  const events = new Recorder();
  const log: string[] = [];
  const { result } = await syncManifests(fake, { manifests: chart(), namespace: NS, record: { app: APP, log: (l) => log.push(l) }, engine: { ...fast, onEvent: events.push } });
  const after = fake.entries().slice(start);
  expect(log.join('\n')).toMatch(/took over the lock of application "shop" from .* \(sync started .*not renewed/);
  expect(result.resumed).toBe(true);
  expect(result.operationId).toBe(crashed.operation.id);
  expect(after.filter((e) => (e.verb === 'apply' || e.verb === 'create') && e.id === 'batch/Job/app/pre')).toEqual([]);
  expect(after.filter((e) => (e.verb === 'apply' || e.verb === 'create') && e.id === 'batch/Job/app/mid')).toEqual([]);
  expect(events.of('hook.resumed').map((e) => [e.object, e.state])).toEqual([
    ['Job app/pre', 'Succeeded'],
    ['Job app/mid', 'Running'],
  ]);
  expect(result.hooks.find((h) => h.name === 'mid')).toMatchObject({ status: 'Succeeded', deleted: true });
  expect(record(fake).hooks.find((h) => h.name === 'mid')!.uid).toBe(midUid);
  expect(fake.peek(jobRef('post'))).toBeUndefined(); // ran, HookSucceeded

  await teardownManifests(fake, { manifests: chart(), namespace: NS, record: { app: APP } });
  expect(fake.objects((o) => (o as KubeObject).metadata?.labels?.[APP_LABEL] === APP)).toEqual([]);
  expect(fake.peek(recordRef(APP))).toBeUndefined();
  expect(fake.peek(lockRef(APP))).toBeUndefined();
  fake.dispose();
});

test('--restart (restart: true) starts over: the completed PreSync hook runs again; the dead run\'s hook is terminated', async () => {
  const fake = seedDefault(fakeCluster());
  await killedSync(fake);
  fake.react({ kind: 'Job', name: 'mid' }, completeJob());
  const start = fake.entries().length;
  const events = new Recorder();
  const { result } = await syncManifests(fake, { manifests: chart(), namespace: NS, record: { app: APP, restart: true }, engine: { ...fast, onEvent: events.push } });
  expect(result.resumed).toBeUndefined();
  const after = fake.entries().slice(start);
  // The dead run's running hook: finalizer released and deleted before anything else.
  const release = after.find((e) => e.verb === 'patchFinalizers' && e.id === 'batch/Job/app/mid')!;
  const firstApply = after.find((e) => e.verb === 'apply' && e.id === 'batch/Job/app/pre')!;
  expect(release.seq).toBeLessThan(firstApply.seq);
  expect(result.warnings.join('\n')).toMatch(/Job app\/mid was left running by operation .* which is gone: terminated/);
  expect(events.of('hook.resumed')).toEqual([]);
  expect(after.filter((e) => e.verb === 'apply' && e.id === 'batch/Job/app/pre')).toHaveLength(1);
  fake.dispose();
});

test('a new revision after a crash prunes what the killed run applied (it was never in an inventory)', async () => {
  const fake = seedDefault(fakeCluster());
  await killedSync(fake, chart([configMap('old', { wave: 0 })]));
  expect(fake.peek({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'old' })).toBeDefined();
  fake.react({ kind: 'Job', name: 'mid' }, completeJob());
  const { result, inventory } = await syncManifests(fake, { manifests: chart(), namespace: NS, record: { app: APP }, engine: fast });
  expect(result.pruned.map((k) => k.name)).toEqual(['old']);
  expect(fake.peek({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'old' })).toBeUndefined();
  expect(inventory.map((e) => e.name)).toEqual(['cfg']);
  expect(record(fake).written.map((w) => w.name)).toEqual(['cfg']);
  fake.dispose();
});

test('a second operation of the app fails at once, naming the holder and when it started', async () => {
  const fake = seedDefault(new FakeKubeClient());
  const held = await OperationLock.acquire(fake, { app: APP, kind: 'sync' });
  const err = await rejection(syncManifests(fake, { manifests: [configMap('c', { ns: 'default' })], record: { app: APP }, engine: fast }));
  expect(err).toBeInstanceOf(LockHeldError);
  expect(err.message).toContain(`application "shop" is locked by ${held.holder}, which started a sync at `);
  expect(err.message).toMatch(/the lock expires at \d{4}-/);
  expect(fake.entries().filter((e) => e.verb === 'apply' && !e.id.includes('Lease'))).toEqual([]);
  await held.release();
  expect(fake.peek(lockRef(APP))).toBeUndefined();
  fake.dispose();
});

test('a one-wave sync without hooks stores its record twice: Running with the wave\'s intent, then the end', async () => {
  const fake = seedDefault(fakeCluster());
  await syncManifests(fake, { manifests: [configMap('a', { ns: 'default' }), configMap('b', { ns: 'default' })], record: { app: APP }, engine: fast });
  const writes = fake.entries().filter((e) => e.verb === 'apply' && e.id === `/ConfigMap/default/${recordRef(APP).name}`);
  expect(writes.map((w) => JSON.parse((w.detail as any).data['record.json']).operation.status)).toEqual(['Running', 'Succeeded']);
  // The first write already lists what the wave writes, before it is written.
  const first = JSON.parse((writes[0].detail as any).data['record.json']);
  expect(first.written.map((w: { name: string }) => w.name).sort()).toEqual(['a', 'b']);
  expect(writes[0].seq).toBeLessThan(fake.seqOf('apply', 'ConfigMap/default/a'));
  fake.dispose();
});

test('releasing the lock: one delete conditional on the version this run wrote; a Lease taken over since stays', async () => {
  const fake = seedDefault(new FakeKubeClient());
  const mine = await OperationLock.acquire(fake, { app: APP, kind: 'sync' });
  const before = { entries: fake.entries().length, requests: mine.requests };
  await mine.release();
  expect(fake.entries().slice(before.entries).map((e) => e.verb)).toEqual(['delete', 'removed']);
  expect(mine.requests - before.requests).toBe(1); // no read first
  expect(fake.peek(lockRef(APP))).toBeUndefined();

  const lost = await OperationLock.acquire(fake, { app: APP, kind: 'sync' });
  const live = fake.peek(lockRef(APP))!;
  await fake.apply({ ...live, metadata: { ...live.metadata, resourceVersion: undefined, managedFields: undefined }, spec: { ...live.spec, holderIdentity: 'elsewhere:1:new' } } as KubeObject);
  await lost.release();
  expect(fake.peek(lockRef(APP))?.spec.holderIdentity).toBe('elsewhere:1:new');
  fake.dispose();
});

test('two takers of an expired lock: one wins, the other gets the holder (the takeover is conditional)', async () => {
  const fake = seedDefault(new FakeKubeClient());
  fake.seed({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'sync-hooks-lock-shop', namespace: 'default' },
    spec: { holderIdentity: 'elsewhere:1:abc', leaseDurationSeconds: 1, acquireTime: '2020-01-01T00:00:00.000000Z', renewTime: '2020-01-01T00:00:00.000000Z' },
  });
  const results = await Promise.allSettled([OperationLock.acquire(fake, { app: APP, kind: 'sync' }), OperationLock.acquire(fake, { app: APP, kind: 'teardown' })]);
  const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<OperationLock>[];
  const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  expect(lost[0].reason).toBeInstanceOf(LockHeldError);
  expect(lost[0].reason.message).toContain(won[0].value.holder);
  await won[0].value.release();
  fake.dispose();
});

test('a teardown that failed after PreDelete does not re-run PreDelete on retry', async () => {
  const fake = seedDefault(fakeCluster());
  const manifests = [job('backup', { phase: 'PreDelete', policy: 'HookSucceeded' }), configMap('cfg')];
  await syncManifests(fake, { manifests, namespace: NS, record: { app: APP }, engine: fast });
  fake.failOn('delete', { kind: 'ConfigMap', name: 'cfg' }, 'etcd is down', { status: 500, times: 1 });
  const err = await rejection(teardownManifests(fake, { manifests, namespace: NS, record: { app: APP }, engine: fast }));
  expect(err).toBeInstanceOf(TeardownFailedError);
  expect(fake.entries('create', 'Job/app/backup').length + fake.entries('apply', 'Job/app/backup').length).toBe(1);
  const events = new Recorder();
  const result = await teardownManifests(fake, { manifests, namespace: NS, record: { app: APP }, engine: { ...fast, onEvent: events.push } });
  expect(result.resumed).toBe(true);
  expect(fake.entries('create', 'Job/app/backup').length + fake.entries('apply', 'Job/app/backup').length).toBe(1);
  expect(events.of('hook.resumed').map((e) => e.object)).toEqual(['Job app/backup']);
  expect(fake.peek(jobRef('backup'))).toBeUndefined(); // HookSucceeded, deleted at the end of the teardown that completed
  expect(fake.peek(recordRef(APP))).toBeUndefined();
  fake.dispose();
});

test('a failed sync is not continued: the retry runs every hook again (as Argo CD)', async () => {
  const fake = seedDefault(fakeCluster());
  fake.failOn('apply', { kind: 'ConfigMap', name: 'cfg' }, 'webhook denied', { times: 1, dryRun: false });
  expect(await rejection(syncManifests(fake, { manifests: chart(), namespace: NS, record: { app: APP }, engine: fast }))).toBeInstanceOf(SyncFailedError);
  expect(record(fake).operation.status).toBe('Failed');
  const { result } = await syncManifests(fake, { manifests: chart(), namespace: NS, record: { app: APP }, engine: fast });
  expect(result.resumed).toBeUndefined();
  expect(fake.entries('apply', 'Job/app/pre')).toHaveLength(2);
  fake.dispose();
});

test('decide(): resume only an interrupted operation (or a failed teardown) of the same kind and revision, unless restarting', () => {
  const rec = (kind: 'sync' | 'teardown', status: 'Running' | 'Failed' | 'Succeeded'): OperationRecord => ({
    format: 'v1',
    app: APP,
    operation: { id: 'abc1234', kind, revision: 'r1', status, holder: 'h:1:x', startedAt: 't', updatedAt: 't', phase: 'PreSync', wave: 0 },
    hooks: [],
    written: [],
  });
  expect(decide(undefined, 'sync', 'r1', false).resume).toBe(false);
  expect(decide(rec('sync', 'Running'), 'sync', 'r1', false)).toMatchObject({ resume: true, reason: expect.stringContaining('interrupted at PreSync wave 0') });
  expect(decide(rec('sync', 'Running'), 'sync', 'r2', false)).toMatchObject({ resume: false, reason: 'the manifests changed (new revision)' });
  expect(decide(rec('sync', 'Running'), 'sync', 'r1', true)).toMatchObject({ resume: false, reason: 'asked to restart' });
  expect(decide(rec('sync', 'Running'), 'teardown', 'r1', false).resume).toBe(false);
  expect(decide(rec('sync', 'Failed'), 'sync', 'r1', false).resume).toBe(false);
  expect(decide(rec('sync', 'Succeeded'), 'sync', 'r1', false).resume).toBe(false);
  expect(decide(rec('teardown', 'Failed'), 'teardown', 'r1', false).resume).toBe(true);
});

test('a teardown with no manifests and no inventory removes what the record lists (delete --name after a killed first run)', async () => {
  const fake = seedDefault(fakeCluster());
  await killedSync(fake);
  expect(fake.objects((o) => (o as KubeObject).metadata?.labels?.[APP_LABEL] === APP).length).toBeGreaterThan(0);
  const result = await teardownManifests(fake, { manifests: [], namespace: NS, record: { app: APP }, engine: fast });
  expect(result.warnings.join('\n')).toMatch(/Job app\/mid was left running .* terminated/);
  expect(fake.objects((o) => (o as KubeObject).metadata?.labels?.[APP_LABEL] === APP)).toEqual([]);
  expect(fake.peek(recordRef(APP))).toBeUndefined();
  fake.dispose();
});

describe('the lock taken over while the operation runs', () => {
  const lease = (holder: string): KubeObject => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'sync-hooks-lock-shop', namespace: 'default', annotations: { 'sync-hooks.dev/operation-kind': 'sync' } },
    spec: { holderIdentity: holder, leaseDurationSeconds: 60, acquireTime: '2026-01-01T00:00:00.000000Z', renewTime: new Date().toISOString().replace('Z', '000Z') },
  });
  const writes = (fake: FakeKubeClient, from: number) =>
    fake
      .entries()
      .slice(from)
      .filter((e) => ['apply', 'create', 'replace', 'delete', 'patchFinalizers'].includes(e.verb) && !e.id.includes('/Lease/'));

  test('sync: stops at the next safe point with LockLostError naming the new holder; no further write, wave or SyncFail', async () => {
    const fake = seedDefault(fakeCluster());
    fake.react({ kind: 'Job', name: 'mid' }, never);
    const manifests = chart([job('onfail', { phase: 'SyncFail' }), configMap('later', { wave: 2 })]);
    const events = new Recorder();
    const run = syncManifests(fake, { manifests, namespace: NS, record: { app: APP, lockTtlMs: 600 }, engine: { ...fast, onEvent: events.push } });
    await until('the Sync hook to run', () => !!fake.peek(jobRef('mid')));
    const stolenAt = fake.entries().length;
    await fake.replace({ ...lease('thief:1:abc'), metadata: { ...lease('thief:1:abc').metadata, resourceVersion: fake.peek(lockRef(APP))!.metadata.resourceVersion } });
    const err = await rejection(run);
    expect(err).toBeInstanceOf(LockLostError);
    expect(err.message).toContain('application "shop": the lock was taken over by thief:1:abc, which started a sync at 2026-01-01T00:00:00.000000Z');
    expect(err.message).toContain('the sync stopped at Sync wave 1 and wrote nothing more');
    // Nothing written after the theft but the Lease (the thief's write, our refused renewal): no
    // record update, no hook, no SyncFail, no cleanup.
    expect(writes(fake, stolenAt).map((e) => `${e.verb} ${e.id}`)).toEqual([]);
    expect(fake.peek(jobRef('post'))).toBeUndefined();
    expect(fake.peek(jobRef('onfail'))).toBeUndefined();
    expect(fake.peek({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'later' })).toBeUndefined();
    expect(fake.peek(jobRef('mid'))!.metadata.finalizers).toContain(HOOK_FINALIZER); // left to the new holder
    expect(fake.peek(lockRef(APP))!.spec.holderIdentity).toBe('thief:1:abc');
    expect(events.of('operation.failed').map((e) => e.reason)).toEqual(['LockLost']);
    fake.dispose();
  });

  test('teardown: the Lease deleted under it also stops it before the next wave', async () => {
    const fake = seedDefault(fakeCluster());
    const manifests = [job('backup', { phase: 'PreDelete', policy: 'HookSucceeded' }), configMap('cfg')];
    await syncManifests(fake, { manifests, namespace: NS, record: { app: APP }, engine: fast });
    fake.react({ kind: 'Job', name: 'backup' }, never);
    const run = teardownManifests(fake, { manifests, namespace: NS, record: { app: APP, lockTtlMs: 600 }, engine: fast });
    await until('the PreDelete hook to run', () => !!fake.peek(jobRef('backup')));
    const stolenAt = fake.entries().length;
    await fake.delete(lockRef(APP));
    const err = await rejection(run);
    expect(err).toBeInstanceOf(LockLostError);
    expect(err.message).toContain('the lock was released by someone else (the Lease was deleted) while this teardown ran');
    expect(writes(fake, stolenAt).map((e) => `${e.verb} ${e.id}`)).toEqual([]);
    expect(fake.peek({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'cfg' })).toBeDefined();
    fake.dispose();
  });
});
