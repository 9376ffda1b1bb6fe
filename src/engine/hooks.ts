/**
 * Hook lifecycle (spec §3): naming of `generateName` hooks, BeforeHookCreation, creation with the
 * hook finalizer, waiting for completion with a per-hook deadline, finalizer removal, deletion by
 * policy and termination.
 */
import {
  ANNOTATION_SYNC_OPTIONS,
  ANNOTATION_SYNC_WAVE,
  HELM_HOOK_WEIGHT,
  HELM_RESOURCE_POLICY,
  HOOK_FINALIZER,
  KubeObject,
  LABEL_OPERATION,
  PlanTask,
  describe,
  formatKey,
  keyOf,
  operationLabelValue,
  writeOptionsOf,
} from '../model';
import { ObjectRef, describeRef, refId, refOf } from './client';
import { mapLimit } from './concurrency';
import { CLEANUP_TIMEOUT_MS } from './constants';
import { collectFailureDetails } from './diagnostics';
import { EnginePhase } from './events';
import { hookState } from './health';
import { HookRun, Operation } from './operation';
import { OPERATION_ANNOTATION } from './ownership';
import { PolicyMoment, deletesBeforeCreation, hooksToDelete } from './policy';
import { RecordedHook } from './record';
import { StepFailure } from './step-failure';
import { DeadlineExceeded, WaitAborted, waitFor, waitGone } from './wait';
import { writeOpts } from './write';


/** Annotations of a managed object kept in the record (what prune and teardown decide on). */
const RECORDED_ANNOTATIONS = [ANNOTATION_SYNC_OPTIONS, ANNOTATION_SYNC_WAVE, HELM_HOOK_WEIGHT, HELM_RESOURCE_POLICY];

/** `<generateName><id7>-<phase>-<unix>`, lower-cased (Argo CD: revision instead of id). */
export function generatedHookName(generateName: string, operationId: string, phase: string, unixSeconds: number): string {
  return `${generateName}${operationId.slice(0, 7)}-${phase}-${unixSeconds}`.toLowerCase();
}

export function hookNameOf(op: Operation, task: PlanTask, obj: KubeObject, phase: EnginePhase = task.phase): string {
  // A continued operation reuses the names its hooks were given (generated ones carry a time).
  const recorded = op.resumeHooks ? op.recorder?.hookOf(task, phase) : undefined;
  if (recorded) return recorded.name;
  const gen = task.generateName ?? (obj.metadata.name ? undefined : obj.metadata.generateName);
  return gen ? generatedHookName(gen, op.id, task.phase, op.nameStamp) : obj.metadata.name!;
}

function podSpecs(obj: KubeObject): any[] {
  if (obj.kind === 'Pod') return obj.spec ? [obj.spec] : [];
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template?.spec ? [obj.spec.jobTemplate.spec.template.spec] : [];
  return obj.spec?.template?.spec ? [obj.spec.template.spec] : [];
}

/** Sets `env` on every container and init container (replacing same-named variables). */
export function injectEnv(obj: KubeObject, env: Record<string, string>): void {
  for (const spec of podSpecs(obj)) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      c.env = [...(c.env ?? []).filter((e: { name: string }) => !(e.name in env)), ...Object.entries(env).map(([name, value]) => ({ name, value }))];
    }
  }
}

function hookTimeoutMs(op: Operation, obj: KubeObject): number {
  const ads = obj.kind === 'Job' || obj.kind === 'Pod' ? obj.spec?.activeDeadlineSeconds : undefined;
  return typeof ads === 'number' && ads > 0 ? ads * 1000 + op.o.hookDeadlineGraceMs : op.o.hookTimeoutMs;
}

export interface PreparedHook {
  task: PlanTask;
  phase: EnginePhase;
  ref: ObjectRef;
  /**
   * Continuing an interrupted operation: the hook already completed for this revision (not
   * re-run), or is still running (adopted: awaited, not re-created).
   */
  resume?: { state: 'Succeeded'; recorded: RecordedHook } | { state: 'Running'; live: KubeObject };
}

/** What an interrupted run of this revision left for `task`: completed, still running, or nothing usable. */
async function resumeOf(op: Operation, task: PlanTask, phase: EnginePhase, ref: ObjectRef): Promise<PreparedHook['resume']> {
  const recorded = op.resumeHooks ? op.recorder?.hookOf(task, phase) : undefined;
  if (!recorded) return undefined;
  if (recorded.status === 'Succeeded') return { state: 'Succeeded', recorded };
  if (recorded.status !== 'Running' && recorded.status !== 'Pending') return undefined;
  const live = await op.client.get(ref);
  if (!live || live.metadata.deletionTimestamp) return undefined;
  const ours = recorded.uid ? live.metadata.uid === recorded.uid : live.metadata.annotations?.[OPERATION_ANNOTATION] === op.id;
  return ours ? { state: 'Running', live } : undefined;
}

/** The record's view of a hook run. */
export function recordedHook(run: HookRun): RecordedHook {
  return {
    ...run.ref,
    task: run.task.id,
    phase: run.phase,
    wave: run.wave,
    status: run.status,
    ...(run.uid ? { uid: run.uid } : {}),
    ...(run.deleted ? { deleted: true } : {}),
  };
}

/** Stores a hook run's state in the record (best effort: a failed write is a warning). */
export async function recordHookRun(op: Operation, run: HookRun): Promise<void> {
  const rec = op.recorder;
  if (!rec) return;
  rec.noteHook(recordedHook(run));
  if (run.deleted) rec.forget(run.ref);
  try {
    await rec.flush();
  } catch (err) {
    op.warn((err as Error).message, run.key);
  }
}

/**
 * Before a step writes anything: records the step reached, the managed objects and the hooks
 * (with their names) it is about to write, and waits until the record is stored.
 */
export async function recordStepIntent(op: Operation, phase: EnginePhase, wave: number | undefined, managed: KubeObject[], hooks: PreparedHook[]): Promise<void> {
  if (!noteStepIntent(op, phase, wave, managed, hooks)) return;
  await op.recorder!.flush();
}

/** Notes the step reached and what it is about to write in the record, without storing it yet. False without a record. */
export function noteStepIntent(op: Operation, phase: EnginePhase, wave: number | undefined, managed: KubeObject[], hooks: PreparedHook[] = []): boolean {
  const rec = op.recorder;
  if (!rec) return false;
  const fresh = hooks.filter((h) => !h.resume);
  for (const h of fresh) rec.noteHook({ ...h.ref, task: h.task.id, phase: h.phase, wave: h.task.wave, status: 'Pending' });
  const kept = (o: KubeObject) => Object.fromEntries(RECORDED_ANNOTATIONS.flatMap((k) => (o.metadata.annotations?.[k] !== undefined ? [[k, String(o.metadata.annotations[k])]] : [])));
  rec.step(phase, wave);
  rec.noteWrites([...managed.map((o) => ({ ...refOf(o), annotations: kept(o) })), ...fresh.map((h) => ({ ...h.ref, hook: true }))]);
  return true;
}

/**
 * Before a wave's hooks are created: removes the hook finalizer left on existing instances (a
 * previous run that died), and deletes them (Foreground, waiting until gone) when the hook has
 * BeforeHookCreation.
 */
export async function prepareHooks(op: Operation, tasks: PlanTask[], signal: AbortSignal, phase?: EnginePhase): Promise<PreparedHook[]> {
  return mapLimit(
    tasks,
    op.o.concurrency,
    async (task) => {
      const obj = op.objectOf(task);
      const ref: ObjectRef = { ...refOf(obj), name: hookNameOf(op, task, obj, phase ?? task.phase) };
      const where = { phase: phase ?? task.phase, wave: task.wave };
      try {
        const resume = await resumeOf(op, task, where.phase, ref);
        if (resume) return { task, phase: where.phase, ref, resume };
        const live = await op.client.get(ref);
        if (live) {
          if ((live.metadata.finalizers ?? []).includes(HOOK_FINALIZER)) await op.client.patchFinalizers(ref, { remove: [HOOK_FINALIZER] }, live);
          if (deletesBeforeCreation(task)) {
            const t0 = Date.now();
            await op.client.delete(ref, { propagationPolicy: 'Foreground' });
            await waitGone(op, ref, live.metadata.uid, {
              signal,
              deadlineAt: Date.now() + hookTimeoutMs(op, obj),
              subject: { ...where, key: refId(ref), object: describeRef(ref), until: 'deleted' },
            });
            for (const h of op.hooks) if (refId(h.ref) === refId(ref)) h.deleted = true;
            op.emit({ type: 'object.deleted', reason: 'BeforeHookCreation', ...where, key: refId(ref), object: describeRef(ref), durationMs: Date.now() - t0 });
          }
        }
      } catch (err) {
        if (err instanceof WaitAborted) throw err;
        const detail = err instanceof DeadlineExceeded ? 'the previous instance was not deleted in time (BeforeHookCreation)' : `BeforeHookCreation: ${(err as Error).message}`;
        throw new StepFailure({ reason: 'ApplyFailed', ...where, key: refId(ref), object: describeRef(ref), detail });
      }
      return { task, phase: where.phase, ref };
    },
    signal,
  );
}

/** Creates (generateName) or applies (named) one hook, with the hook finalizer and optional env. */
/** The run of a hook an interrupted operation of this revision started (completed or still running). */
function resumedRun(op: Operation, prepared: PreparedHook): HookRun {
  const { task, ref, phase, resume } = prepared;
  const obj = op.objectOf(task);
  const now = Date.now();
  const run: HookRun = {
    task,
    phase,
    wave: task.wave,
    ref,
    key: formatKey(keyOf({ ...obj, metadata: { ...obj.metadata, name: ref.name } })),
    object: describe({ ...obj, metadata: { ...obj.metadata, name: ref.name } }),
    policies: task.deletePolicies,
    startedAtMs: now,
    deadlineAt: now + hookTimeoutMs(op, obj),
    status: 'Running',
  };
  if (resume?.state === 'Succeeded') {
    Object.assign(run, { uid: resume.recorded.uid, status: 'Succeeded', finishedAtMs: now, message: 'completed by the interrupted operation', deleted: resume.recorded.deleted });
  } else if (resume?.state === 'Running') run.uid = resume.live.metadata.uid;
  op.hooks.push(run);
  op.emit({ type: 'hook.resumed', phase, wave: task.wave, key: run.key, object: run.object, state: run.status === 'Succeeded' ? 'Succeeded' : 'Running' });
  return run;
}

export async function createHook(op: Operation, prepared: PreparedHook, env?: Record<string, string>): Promise<HookRun> {
  if (prepared.resume) {
    const run = resumedRun(op, prepared);
    await recordHookRun(op, run);
    return run;
  }
  const { task, ref, phase } = prepared;
  const body = structuredClone(op.objectOf(task));
  const generated = body.metadata.name !== ref.name;
  body.metadata.name = ref.name;
  delete body.metadata.generateName;
  body.metadata.finalizers = [...new Set([...(body.metadata.finalizers ?? []), HOOK_FINALIZER])];
  body.metadata.labels = { ...body.metadata.labels, [LABEL_OPERATION]: operationLabelValue(op.id) };
  if (env) injectEnv(body, env);
  const key = formatKey(keyOf(body));
  const object = describe(body);
  try {
    const opts = writeOpts(writeOptionsOf(body));
    const live = generated ? await op.client.create(body, opts) : await op.client.apply(body, opts);
    const run: HookRun = {
      task,
      phase,
      wave: task.wave,
      ref,
      key,
      object,
      policies: task.deletePolicies,
      uid: live.metadata.uid,
      startedAtMs: Date.now(),
      deadlineAt: Date.now() + hookTimeoutMs(op, body),
      status: 'Running',
    };
    op.hooks.push(run);
    op.emit({ type: 'hook.created', phase, wave: task.wave, key, object });
    await recordHookRun(op, run);
    return run;
  } catch (err) {
    throw new StepFailure({ reason: 'ApplyFailed', phase, wave: task.wave, key, object, detail: (err as Error).message });
  }
}

/** `seen`: the hook as last seen on its watch (saves reading it first). True once the finalizer is gone. */
async function releaseFinalizer(op: Operation, run: HookRun, seen?: KubeObject): Promise<boolean> {
  try {
    await op.client.patchFinalizers(run.ref, { remove: [HOOK_FINALIZER] }, seen);
    return true;
  } catch (err) {
    op.warn(`could not remove ${HOOK_FINALIZER} from ${run.object}: ${(err as Error).message}`, run.key);
    return false;
  }
}

export type HookOutcome = 'Succeeded' | 'Failed' | 'Aborted';

/**
 * Waits for a hook to complete (or its deadline). Records the result, removes the hook finalizer,
 * collects failure details and emits hook.succeeded / hook.failed; a hook past its deadline is
 * then terminated (deleted, hook.terminated). Never rejects: an aborted wait
 * resolves 'Aborted' with the hook still Running (the caller terminates it). `releaseInBackground`:
 * a succeeded hook's finalizer is removed without waiting (HookRun.released).
 */
export async function awaitHook(op: Operation, run: HookRun, signal: AbortSignal, opts: { releaseInBackground?: boolean } = {}): Promise<HookOutcome> {
  if (run.status === 'Succeeded') return 'Succeeded'; // completed by the interrupted operation
  let live: KubeObject | undefined;
  let message: string | undefined;
  let ok = false;
  try {
    const verdict = await waitFor(
      op,
      run.ref,
      (obj) => {
        if (!obj || (run.uid && obj.metadata.uid !== run.uid)) return { done: true, value: { state: 'Failed', message: 'the hook was deleted before it completed' } as const };
        const s = hookState(obj);
        live = obj;
        return s.state === 'Running' ? { done: false, message: s.message } : { done: true, value: s };
      },
      {
        signal,
        deadlineAt: run.deadlineAt,
        onProgress: (m) => op.emit({ type: 'object.waiting', phase: run.phase, wave: run.wave, key: run.key, object: run.object, message: m }),
        subject: { phase: run.phase, wave: run.wave, key: run.key, object: run.object, until: 'complete' },
      },
    );
    ok = verdict.state === 'Succeeded';
    message = verdict.message;
  } catch (err) {
    if (err instanceof WaitAborted) return 'Aborted';
    if (!(err instanceof DeadlineExceeded)) throw err;
    run.timedOut = true;
    message = `did not complete within ${Math.round((run.deadlineAt - run.startedAtMs) / 1000)}s`;
  }
  run.finishedAtMs = Date.now();
  run.status = ok ? 'Succeeded' : 'Failed';
  run.message = message;
  // A succeeded sync hook's finalizer goes while the next wave starts (the operation waits for it
  // before its delete policies and its end: Operation.settleReleases).
  run.released = releaseFinalizer(op, run, live);
  if (!(ok && opts.releaseInBackground)) await run.released;
  await recordHookRun(op, run);
  const durationMs = run.finishedAtMs - run.startedAtMs;
  const about = { phase: run.phase, wave: run.wave, key: run.key, object: run.object };
  if (ok) {
    op.emit({ type: 'hook.succeeded', ...about, durationMs, ...(message ? { message } : {}) });
    return 'Succeeded';
  }
  run.failure = await collectFailureDetails(op.client, live ?? (await op.client.get(run.ref).catch(() => undefined)), op.o.logTailLines);
  op.emit({ type: 'hook.failed', ...about, durationMs, message: message ?? 'failed' });
  if (run.timedOut) {
    // Past its deadline the hook is not left running (a Job without activeDeadlineSeconds would
    // run forever): it is deleted now, its details having been read above.
    run.message = `${message}; terminated`;
    await removeHook(op, run, 'terminate');
    op.emit({ type: 'hook.terminated', ...about, durationMs: Date.now() - run.startedAtMs });
  }
  return 'Failed';
}

/** Deletes (and waits until gone) the hooks the delete policies select at `moment` (policy.ts decides). */
export async function applyDeletePolicies(op: Operation, moment: PolicyMoment): Promise<void> {
  await Promise.all(hooksToDelete(op.hooks, moment).map(({ run, policy }) => removeHook(op, run, policy)));
}

async function removeHook(op: Operation, run: HookRun, reason: 'HookSucceeded' | 'HookFailed' | 'terminate'): Promise<void> {
  const t0 = Date.now();
  try {
    // Released when its result was read, unless that failed or it never finished (terminated).
    if (!(await run.released)) await releaseFinalizer(op, run);
    await op.client.delete(run.ref, { propagationPolicy: 'Foreground' });
    await waitGone(op, run.ref, run.uid, {
      signal: new AbortController().signal,
      deadlineAt: Date.now() + CLEANUP_TIMEOUT_MS,
      subject: { phase: run.phase, wave: run.wave, key: run.key, object: run.object, until: 'deleted' },
    });
    run.deleted = true;
    await recordHookRun(op, run);
    if (reason !== 'terminate') op.emit({ type: 'object.deleted', reason, phase: run.phase, wave: run.wave, key: run.key, object: run.object, durationMs: Date.now() - t0 });
  } catch (err) {
    op.warn(`could not delete ${run.object} (${reason}): ${(err as Error).message}`, run.key);
  }
}

/** Terminates hooks still running (cancel, timeout): status Terminated, finalizer removed, object deleted. */
export async function terminateRunningHooks(op: Operation, message: string, runs: HookRun[] = op.hooks): Promise<void> {
  const running = runs.filter((h) => h.status === 'Running');
  await Promise.all(
    running.map(async (run) => {
      run.status = 'Terminated';
      run.finishedAtMs = Date.now();
      run.message = message;
      await removeHook(op, run, 'terminate');
      op.emit({ type: 'hook.terminated', phase: run.phase, wave: run.wave, key: run.key, object: run.object, durationMs: run.finishedAtMs - run.startedAtMs });
    }),
  );
}
