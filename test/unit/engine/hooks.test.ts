import { HOOK_FINALIZER, KubeObject } from '../../../src/model';
import { FinalizerPatch, ObjectRef, generatedHookName, runSync } from '../../../src/engine';
import { FakeKubeClient, completeJob, failJob } from '../../support';
import { planSync } from '../../../src/plan';
import { NS, Recorder, configMap, fakeCluster, fast, job, namespace } from './_helpers';

const jobRef = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name });

test('BeforeHookCreation: the old instance loses its stale finalizer, is deleted (Foreground) and gone before the new one is applied', async () => {
  const fake = fakeCluster();
  fake.deletionDelayMs = 30;
  fake.seed({
    ...job('migrate', { phase: 'PreSync' }),
    metadata: { ...job('migrate').metadata, finalizers: [HOOK_FINALIZER] },
    status: { conditions: [{ type: 'Complete', status: 'True' }] },
  });
  const oldUid = fake.peek(jobRef('migrate'))!.metadata.uid;
  const rec = new Recorder();
  const result = await runSync(fake, planSync([job('migrate', { phase: 'PreSync' }), configMap('x')], { defaultNamespace: NS }), { ...fast, onEvent: rec.push });

  const unlock = fake.seqOf('patchFinalizers', 'Job/app/migrate');
  const del = fake.entries('delete', 'Job/app/migrate')[0];
  const gone = fake.seqOf('removed', 'Job/app/migrate');
  const applied = fake.seqOf('apply', 'Job/app/migrate');
  expect(unlock).toBeLessThan(del.seq);
  expect(del.detail).toBe('Foreground');
  expect(gone).toBeLessThan(applied);
  expect(rec.of('object.deleted')[0]).toMatchObject({ reason: 'BeforeHookCreation', object: 'Job app/migrate' });
  expect(fake.peek(jobRef('migrate'))!.metadata.uid).not.toBe(oldUid);
  expect(result.hooks[0].status).toBe('Succeeded');
  fake.dispose();
});

test('without BeforeHookCreation an existing named hook is re-applied in place (not deleted)', async () => {
  const fake = fakeCluster();
  fake.seed(job('migrate', { phase: 'PreSync', policy: 'HookFailed' }));
  await runSync(fake, planSync([job('migrate', { phase: 'PreSync', policy: 'HookFailed' })], { defaultNamespace: NS }), fast);
  expect(fake.entries('delete', 'Job/app/migrate')).toHaveLength(0);
  expect(fake.entries('apply', 'Job/app/migrate')).toHaveLength(1);
  fake.dispose();
});

test('generateName hooks get <generateName><opid7>-<phase>-<unix>, created (not applied), and the default op id is deterministic', async () => {
  const startedAt = new Date('2026-01-02T03:04:05Z');
  expect(generatedHookName('seed-', 'ABCDEF0123', 'PreSync', 1767323045)).toBe('seed-abcdef0-presync-1767323045');

  const fake = fakeCluster();
  const plan = planSync([job('seed', { phase: 'PreSync', generateName: true }), job('check', { phase: 'PostSync', generateName: true })], { defaultNamespace: NS });
  const r = await runSync(fake, plan, { ...fast, operationId: 'abcdef0123456', startedAt });
  const unix = Math.floor(startedAt.getTime() / 1000);
  expect(r.hooks.map((h) => h.name)).toEqual([`seed-abcdef0-presync-${unix}`, `check-abcdef0-postsync-${unix}`]);
  expect(fake.entries('create').map((e) => e.id)).toEqual([`batch/Job/app/seed-abcdef0-presync-${unix}`, `batch/Job/app/check-abcdef0-postsync-${unix}`]);

  const a = await runSync(fakeCluster(), plan, fast);
  const b = await runSync(fakeCluster(), plan, fast);
  expect(a.operationId).toBe(b.operationId);
  expect(a.operationId).toMatch(/^[0-9a-f]{7,}$/);
  const other = await runSync(fakeCluster(), planSync([job('seed', { phase: 'PreSync', generateName: true, wave: 3 })], { defaultNamespace: NS }), fast);
  expect(other.operationId).not.toBe(a.operationId);
  fake.dispose();
});

test('every hook is created with the hook finalizer, which is removed once its result is read (success and failure)', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'bad' }, failJob({ afterMs: 10 }));
  const plan = planSync([job('good', { phase: 'PreSync' }), job('bad', { phase: 'Sync' }), configMap('x')], { defaultNamespace: NS });
  await runSync(fake, plan, fast).catch(() => undefined);
  for (const name of ['good', 'bad']) {
    const sent = fake.entries('apply', `Job/app/${name}`)[0].detail as any;
    expect(sent.metadata.finalizers).toContain(HOOK_FINALIZER);
    const patch = fake.entries('patchFinalizers', `Job/app/${name}`).at(-1)!.detail;
    expect(patch).toEqual({ remove: [HOOK_FINALIZER] });
    expect(fake.peek(jobRef(name))!.metadata.finalizers).not.toContain(HOOK_FINALIZER);
  }
  fake.dispose();
});

test('the hook finalizer keeps a Job deleted behind our back (TTL, GC) readable until its result is seen', async () => {
  const fake = fakeCluster();
  // Something deletes the Job before the engine has read its result; only then is the result written.
  fake.react({ name: 'migrate' }, (j, f) =>
    f.later(10, () => {
      void f.delete({ apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name: 'migrate' }, { propagationPolicy: 'Background' });
      expect(f.peek(jobRef('migrate'))!.metadata.deletionTimestamp).toBeDefined();
      completeJob(0)(j, f);
    }),
  );
  const r = await runSync(fake, planSync([job('migrate', { phase: 'PreSync' }), configMap('x')], { defaultNamespace: NS }), fast);
  expect(r.hooks[0]).toMatchObject({ name: 'migrate', status: 'Succeeded' });
  // Once the engine released its finalizer, the pending deletion completed.
  expect(fake.peek(jobRef('migrate'))).toBeUndefined();
  fake.dispose();
});

test('HookSucceeded is operation-level: deleted only when the whole sync succeeds', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'post' }, completeJob(20));
  const rec = new Recorder();
  const plan = planSync([job('pre', { phase: 'PreSync', policy: 'HookSucceeded' }), configMap('x'), job('post', { phase: 'PostSync' })], { defaultNamespace: NS });
  const r = await runSync(fake, plan, { ...fast, onEvent: rec.push });
  // The PreSync hook still existed while PostSync ran; it was deleted at the very end.
  expect(fake.seqOf('delete', 'Job/app/pre')).toBeGreaterThan(fake.entries('status', 'Job/app/post')[0].seq);
  expect(fake.peek(jobRef('pre'))).toBeUndefined();
  expect(fake.peek(jobRef('post'))).toBeDefined();
  expect(rec.of('object.deleted').map((e) => [e.object, e.reason])).toEqual([['Job app/pre', 'HookSucceeded']]);
  expect(rec.index('object.deleted')).toBeLessThan(rec.index('operation.succeeded'));
  expect(r.hooks.find((h) => h.name === 'pre')!.deleted).toBe(true);

  // When the sync fails later, the succeeded HookSucceeded hook is NOT deleted.
  const fake2 = fakeCluster();
  fake2.react({ name: 'post' }, failJob());
  await expect(runSync(fake2, plan, fast)).rejects.toThrow(/HookFailed in PostSync/);
  expect(fake2.peek(jobRef('pre'))).toBeDefined();
  expect(fake2.entries('delete', 'Job/app/pre')).toHaveLength(0);
  fake.dispose();
  fake2.dispose();
});

test('HookFailed is operation-level: on failure every finished HookFailed hook is deleted, succeeded ones included', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'sync-hook' }, failJob({ afterMs: 5 }));
  const plan = planSync(
    [
      job('pre-ok', { phase: 'PreSync', policy: 'HookFailed' }),
      job('pre-keep', { phase: 'PreSync' }),
      job('sync-hook', { phase: 'Sync', policy: 'HookFailed' }),
      configMap('x'),
    ],
    { defaultNamespace: NS },
  );
  const err = await runSync(fake, plan, fast).catch((e) => e);
  expect(err.reason).toBe('HookFailed');
  expect(fake.peek(jobRef('pre-ok'))).toBeUndefined();
  expect(fake.peek(jobRef('sync-hook'))).toBeUndefined();
  expect(fake.peek(jobRef('pre-keep'))).toBeDefined();
  expect(err.hooks.filter((h: any) => h.deleted).map((h: any) => h.name).sort()).toEqual(['pre-ok', 'sync-hook']);

  // On success HookFailed hooks stay.
  const fake2 = fakeCluster();
  await runSync(fake2, planSync([job('pre-ok', { phase: 'PreSync', policy: 'HookFailed' }), configMap('x')], { defaultNamespace: NS }), fast);
  expect(fake2.peek(jobRef('pre-ok'))).toBeDefined();
  fake.dispose();
  fake2.dispose();
});

test('a failed hook error carries its Job conditions, exit code, reason, message and log tail', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, failJob({ exitCode: 3, reason: 'Error', message: 'relation "users" already exists', logs: 'step 1\nstep 2\nboom: relation exists\n' }));
  const err = await runSync(fake, planSync([job('migrate', { phase: 'PreSync' }), configMap('x')], { defaultNamespace: NS }), fast).catch((e) => e);
  expect(err.name).toBe('SyncFailedError');
  expect(err).toMatchObject({ reason: 'HookFailed', phase: 'PreSync', wave: 0, object: 'Job app/migrate', key: 'batch/Job/app/migrate' });
  expect(err.jobConditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Failed', reason: 'BackoffLimitExceeded' })]));
  expect(err.containers[0]).toMatchObject({ container: 'main', exitCode: 3, reason: 'Error', message: 'relation "users" already exists' });
  expect(err.logTail).toBe('step 1\nstep 2\nboom: relation exists');
  expect(err.message).toContain('exit code 3');
  // The hook's output may hold secrets: `message` (state, env, logs) withholds it, `details` has it.
  expect(err.message).not.toContain('boom: relation exists');
  expect(err.message).not.toContain('relation "users" already exists');
  expect(err.message).toContain('termination message and logs withheld');
  expect(err.details).toContain('    | boom: relation exists');
  expect(err.details).toContain('relation "users" already exists');
  expect(err.hooks[0]).toMatchObject({ name: 'migrate', status: 'Failed', phase: 'PreSync' });
  expect(err.hooks[0].failure.containers[0].exitCode).toBe(3);

  // Without logs (kwok), the termination details are still there.
  const fake2 = fakeCluster();
  fake2.react({ name: 'migrate' }, failJob({ exitCode: 7, message: 'no logs here' }));
  const err2 = await runSync(fake2, planSync([job('migrate', { phase: 'PreSync' })], { defaultNamespace: NS }), fast).catch((e) => e);
  expect(err2.logTail).toBeUndefined();
  expect(err2.containers[0]).toMatchObject({ exitCode: 7, reason: 'Error', message: 'no logs here' });
  fake.dispose();
  fake2.dispose();
});

test('a hook without activeDeadlineSeconds times out after hookTimeoutMs; with it, after the deadline plus grace', async () => {
  const fake = fakeCluster();
  fake.react({ kind: 'Job' }, () => undefined);
  const plan = planSync([job('stuck', { phase: 'PreSync' }), configMap('x')], { defaultNamespace: NS });
  const err = await runSync(fake, plan, { ...fast, hookTimeoutMs: 60 }).catch((e) => e);
  expect(err.name).toBe('SyncTimeoutError');
  expect(err.reason).toBe('HookTimeout');
  expect(err.timeoutMs).toBe(60);
  expect(err.detail).toMatch(/did not complete within/);
  expect(fake.entries('apply', 'ConfigMap')).toHaveLength(0);

  const fake2 = fakeCluster();
  fake2.react({ kind: 'Job' }, () => undefined);
  const withDeadline = planSync([job('stuck', { phase: 'PreSync', activeDeadlineSeconds: 1 })], { defaultNamespace: NS });
  const err2 = await runSync(fake2, withDeadline, { ...fast, hookTimeoutMs: 10_000, hookDeadlineGraceMs: 50 }).catch((e) => e);
  expect(err2.reason).toBe('HookTimeout');
  expect(err2.timeoutMs).toBe(1050);
  fake.dispose();
  fake2.dispose();
});

test('a completed hook loses its finalizer with the object its watch showed Complete (no read before the patch)', async () => {
  const seen: Array<string | undefined> = [];
  class Recording extends FakeKubeClient {
    override async patchFinalizers(ref: ObjectRef, patch: FinalizerPatch, current?: KubeObject): Promise<KubeObject | undefined> {
      const complete = (current?.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Complete' && c.status === 'True');
      if (ref.kind === 'Job') seen.push(current ? `${complete ? 'Complete' : 'not complete'} ${current.metadata.resourceVersion === this.peek(ref)?.metadata.resourceVersion}` : undefined);
      return super.patchFinalizers(ref, patch);
    }
  }
  const fake = new Recording();
  fake.seed(namespace(NS));
  fake.react({ kind: 'Job' }, completeJob(20));
  await runSync(fake, planSync([job('migrate', { phase: 'PreSync' }), configMap('x')], { defaultNamespace: NS }), fast);
  // The object the wait ended on: Complete, at the live resourceVersion.
  expect(seen).toEqual(['Complete true']);
  expect(fake.peek(jobRef('migrate'))?.metadata.finalizers ?? []).not.toContain(HOOK_FINALIZER);
  fake.dispose();
});

test("a succeeded sync hook's finalizer is removed while the next wave starts, and is gone when runSync resolves", async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const order: string[] = [];
  class SlowRelease extends FakeKubeClient {
    override async patchFinalizers(ref: ObjectRef, patch: FinalizerPatch): Promise<KubeObject | undefined> {
      if (ref.kind === 'Job' && patch.remove?.includes(HOOK_FINALIZER) && ref.name === 'migrate') {
        order.push('release started');
        // Held until the next wave has written something (at most 1 s: a sync that waits for the
        // release before its next wave fails the order check below instead of hanging).
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([held, new Promise<void>((r) => (timer = setTimeout(r, 1000)))]);
        clearTimeout(timer);
        order.push('release done');
      }
      return super.patchFinalizers(ref, patch);
    }
    override async apply(obj: KubeObject, opts?: Parameters<FakeKubeClient['apply']>[1]): Promise<KubeObject> {
      if (!opts?.dryRun && obj.metadata.name === 'next') {
        order.push('next wave applied');
        release();
      }
      return super.apply(obj, opts);
    }
  }
  const fake = new SlowRelease();
  fake.seed(namespace(NS));
  fake.react({ kind: 'Job' }, completeJob(20));
  const plan = planSync([job('migrate', { phase: 'Sync', wave: 0 }), configMap('next', { wave: 1 })], { defaultNamespace: NS });
  const result = await runSync(fake, plan, fast);
  expect(result.hooks[0].status).toBe('Succeeded');
  expect(order).toEqual(['release started', 'next wave applied', 'release done']);
  expect(fake.peek(jobRef('migrate'))?.metadata.finalizers ?? []).not.toContain(HOOK_FINALIZER);
  fake.dispose();
});

test('with HookSucceeded, the background finalizer removal ends before the hook is deleted at the end of the sync', async () => {
  const fake = fakeCluster();
  fake.react({ kind: 'Job' }, completeJob(20));
  const plan = planSync([job('migrate', { phase: 'Sync', wave: 0, policy: 'HookSucceeded' }), configMap('next', { wave: 1 })], { defaultNamespace: NS });
  const result = await runSync(fake, plan, fast);
  expect(result.hooks[0].status).toBe('Succeeded');
  const unlock = fake.seqOf('patchFinalizers', 'Job/app/migrate');
  const del = fake.seqOf('delete', 'Job/app/migrate');
  expect(unlock).toBeGreaterThan(0);
  expect(unlock).toBeLessThan(del);
  // Removed once: the deletion does not patch (or read) the hook again.
  expect(fake.entries('patchFinalizers', 'Job/app/migrate')).toHaveLength(1);
  expect(fake.peek(jobRef('migrate'))).toBeUndefined();
  fake.dispose();
});
