/** Managed (non-hook) objects: apply, prune, delete, and the health gate. */
import { KubeObject, PlanTask, describe, formatKey, keyOf } from '../model';
import { ObjectRef, describeRef, refId, refOf } from './client';
import { CRD_ESTABLISHED_TIMEOUT_MS } from './constants';
import { DeleteReason, EnginePhase } from './events';
import { TaskState, resourceState } from './health';
import { Operation } from './operation';
import { StepFailure } from './step-failure';
import { DeadlineExceeded, WaitAborted, waitFor, waitGone } from './wait';
import { writeResource } from './write';

export interface Applied {
  task: PlanTask;
  ref: ObjectRef;
  uid?: string;
  /** `metadata.generation` our apply returned: the gate waits for the controller to observe it. */
  generation?: number;
  /** When the apply returned (for the readiness duration). */
  at: number;
  /**
   * The apply's response already showed the object healthy at the generation it returned (a kind
   * without a health check, e.g. a ConfigMap, or an unchanged, rolled-out workload): the gate
   * needs no read and no watch for it.
   */
  readyAtApply?: boolean;
}

/** Server-side apply of a managed object; an API error fails the step (ApplyFailed). */
export async function applyResource(op: Operation, task: PlanTask): Promise<Applied> {
  const obj = op.objectOf(task);
  const key = formatKey(keyOf(obj));
  try {
    const live = await writeResource(op, obj);
    op.recordApplied(keyOf(obj));
    op.emit({ type: 'object.applied', phase: task.phase, wave: task.wave, key, object: describe(obj) });
    const generation = live.metadata?.generation;
    const readyAtApply = !!live.metadata && resourceState(live, generation).state === 'Succeeded';
    return { task, ref: refOf(obj), uid: live.metadata?.uid, generation, at: Date.now(), ...(readyAtApply ? { readyAtApply } : {}) };
  } catch (err) {
    throw new StepFailure({ reason: 'ApplyFailed', phase: task.phase, wave: task.wave, key, object: describe(obj), detail: (err as Error).message });
  }
}

/**
 * Deletes an object (Foreground) and waits until it is gone. Resolves false when it was already
 * absent. Failures become StepFailure(`reason`).
 */
export async function deleteAndWait(
  op: Operation,
  obj: KubeObject,
  where: { phase: EnginePhase; wave: number },
  why: DeleteReason,
  failReason: 'PruneFailed' | 'DeleteFailed',
): Promise<boolean> {
  const ref = refOf(obj);
  const t0 = Date.now();
  const about = { key: refId(ref), object: describeRef(ref) };
  try {
    const live = await op.client.get(ref);
    if (!live) return false;
    await op.client.delete(ref, { propagationPolicy: 'Foreground' });
    await waitGone(op, ref, live.metadata.uid, {
      signal: op.signal,
      onProgress: (m) => {
        op.waitingOn.set(about.object, m);
        op.emit({ type: 'object.waiting', ...where, ...about, message: m });
      },
      subject: { ...where, ...about, until: 'deleted' },
    });
    op.waitingOn.delete(about.object);
  } catch (err) {
    if (err instanceof WaitAborted) throw err;
    op.waitingOn.delete(about.object);
    throw new StepFailure({ reason: failReason, ...where, ...about, detail: (err as Error).message });
  }
  op.recorder?.forget(ref);
  const durationMs = Date.now() - t0;
  if (why === 'prune') op.emit({ type: 'object.pruned', ...where, ...about, durationMs });
  else op.emit({ type: 'object.deleted', reason: why, ...where, ...about, durationMs });
  return true;
}

/** Health gate of an applied managed object: Healthy (at the current generation), else Degraded fails. */
export async function awaitResource(op: Operation, a: Applied, signal: AbortSignal): Promise<void> {
  const { task, ref } = a;
  const about = { phase: task.phase, wave: task.wave, key: refId(ref), object: describeRef(ref) };
  if (a.readyAtApply) {
    op.emit({ type: 'object.ready', ...about, durationMs: Date.now() - a.at });
    return;
  }
  type Outcome = TaskState | { state: 'Missing'; message: string };
  const outcome = await waitFor<Outcome>(
    op,
    ref,
    (obj) => {
      if (!obj || (a.uid && obj.metadata.uid !== a.uid)) return { done: true, value: { state: 'Missing', message: 'the object was deleted while waiting for it to become healthy' } };
      const s = resourceState(obj, a.generation);
      return s.state === 'Running' ? { done: false, message: s.message } : { done: true, value: s };
    },
    { signal, onProgress: (m) => op.emit({ type: 'object.waiting', ...about, message: m }), subject: { ...about, until: 'healthy' } },
  );
  if (outcome.state === 'Succeeded') {
    op.emit({ type: 'object.ready', ...about, durationMs: Date.now() - a.at });
    return;
  }
  throw new StepFailure({
    reason: outcome.state === 'Missing' ? 'Missing' : 'Degraded',
    ...about,
    detail: outcome.state === 'Missing' ? outcome.message : `is Degraded: ${outcome.message ?? 'unhealthy'}`,
  });
}

/** After applying a CRD: wait (briefly) for Established so CRs in the same wave can be applied. */
export async function awaitCrdEstablished(op: Operation, a: Applied): Promise<void> {
  try {
    await waitFor(
      op,
      a.ref,
      (obj) => {
        const est = (obj?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
        return est ? { done: true, value: undefined } : { done: false };
      },
      { signal: op.signal, deadlineAt: Date.now() + CRD_ESTABLISHED_TIMEOUT_MS },
    );
  } catch (err) {
    if (err instanceof DeadlineExceeded) op.warn(`${describeRef(a.ref)} was not Established within ${CRD_ESTABLISHED_TIMEOUT_MS / 1000}s`, refId(a.ref));
    else throw err;
  }
}
