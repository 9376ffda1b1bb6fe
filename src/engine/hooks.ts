/**
 * Hook lifecycle (spec §3): naming of `generateName` hooks, BeforeHookCreation, creation with the
 * hook finalizer, waiting for completion with a per-hook deadline, finalizer removal, deletion by
 * policy and termination.
 */
import { HOOK_FINALIZER, KubeObject, LABEL_OPERATION, PlanTask, describe, formatKey, keyOf, operationLabelValue, writeOptionsOf } from '../model';
import { ObjectRef, describeRef, refId, refOf } from './client';
import { mapLimit } from './concurrency';
import { CLEANUP_TIMEOUT_MS } from './constants';
import { collectFailureDetails } from './diagnostics';
import { EnginePhase } from './events';
import { hookState } from './health';
import { HookRun, Operation } from './operation';
import { StepFailure } from './step-failure';
import { DeadlineExceeded, WaitAborted, waitFor, waitGone } from './wait';
import { writeOpts } from './write';


/** `<generateName><id7>-<phase>-<unix>`, lower-cased (Argo CD: revision instead of id). */
export function generatedHookName(generateName: string, operationId: string, phase: string, unixSeconds: number): string {
  return `${generateName}${operationId.slice(0, 7)}-${phase}-${unixSeconds}`.toLowerCase();
}

export function hookNameOf(op: Operation, task: PlanTask, obj: KubeObject): string {
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
      const ref: ObjectRef = { ...refOf(obj), name: hookNameOf(op, task, obj) };
      const where = { phase: phase ?? task.phase, wave: task.wave };
      try {
        const live = await op.client.get(ref);
        if (live) {
          if ((live.metadata.finalizers ?? []).includes(HOOK_FINALIZER)) await op.client.patchFinalizers(ref, { remove: [HOOK_FINALIZER] });
          if (task.deletePolicies.includes('BeforeHookCreation')) {
            const t0 = Date.now();
            await op.client.delete(ref, { propagationPolicy: 'Foreground' });
            await waitGone(op, ref, live.metadata.uid, { signal, deadlineAt: Date.now() + hookTimeoutMs(op, obj) });
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
export async function createHook(op: Operation, prepared: PreparedHook, env?: Record<string, string>): Promise<HookRun> {
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
    return run;
  } catch (err) {
    throw new StepFailure({ reason: 'ApplyFailed', phase, wave: task.wave, key, object, detail: (err as Error).message });
  }
}

async function releaseFinalizer(op: Operation, run: HookRun): Promise<void> {
  try {
    await op.client.patchFinalizers(run.ref, { remove: [HOOK_FINALIZER] });
  } catch (err) {
    op.warn(`could not remove ${HOOK_FINALIZER} from ${run.object}: ${(err as Error).message}`, run.key);
  }
}

export type HookOutcome = 'Succeeded' | 'Failed' | 'Aborted';

/**
 * Waits for a hook to complete (or its deadline). Records the result, removes the hook finalizer,
 * collects failure details and emits hook.succeeded / hook.failed; a hook past its deadline is
 * then terminated (deleted, hook.terminated). Never rejects: an aborted wait
 * resolves 'Aborted' with the hook still Running (the caller terminates it).
 */
export async function awaitHook(op: Operation, run: HookRun, signal: AbortSignal): Promise<HookOutcome> {
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
      { signal, deadlineAt: run.deadlineAt, onProgress: (m) => op.emit({ type: 'object.waiting', phase: run.phase, wave: run.wave, key: run.key, object: run.object, message: m }) },
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
  await releaseFinalizer(op, run);
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

/** Deletes finished hooks carrying `policy` (operation-level semantics) and waits until they are gone. */
export async function deleteHooksByPolicy(op: Operation, runs: HookRun[], policy: 'HookSucceeded' | 'HookFailed'): Promise<void> {
  const latest = new Map<string, HookRun>();
  for (const r of runs) latest.set(refId(r.ref), r);
  const targets = [...latest.values()].filter((r) => r.policies.includes(policy) && !r.deleted && r.status !== 'Running');
  await Promise.all(targets.map((r) => removeHook(op, r, policy)));
}

async function removeHook(op: Operation, run: HookRun, reason: 'HookSucceeded' | 'HookFailed' | 'terminate'): Promise<void> {
  const t0 = Date.now();
  try {
    await releaseFinalizer(op, run);
    await op.client.delete(run.ref, { propagationPolicy: 'Foreground' });
    await waitGone(op, run.ref, run.uid, { signal: new AbortController().signal, deadlineAt: Date.now() + CLEANUP_TIMEOUT_MS });
    run.deleted = true;
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
