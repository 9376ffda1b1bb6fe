/**
 * What an operation does with its record at the start and at the end: releases the hooks a dead
 * operation left running (finalizer removed, deleted) unless it is continued, deletes hook
 * instances earlier operations left behind (teardown), and stores how the operation ended.
 */
import { HOOK_FINALIZER } from '../model';
import { describeRef, refId } from './client';
import { CLEANUP_TIMEOUT_MS } from './constants';
import { LockLostError } from './lock';
import { Operation } from './operation';
import { ownedBy } from './ownership';
import { RecordStatus, terminateDeadHook } from './record';
import { waitGone } from './wait';

/**
 * Before validation (we hold the lock, so their operation is dead): the hooks a dead operation
 * left running are terminated (hook finalizer removed, deleted), unless it is being continued.
 * Validation then sees the cluster as this operation will (e.g. a named hook about to be re-created).
 */
export async function releaseDeadOperation(op: Operation): Promise<void> {
  const rec = op.recorder;
  if (!rec) return;
  for (const h of rec.deadHooks(op.resumed)) {
    try {
      if (await terminateDeadHook(op.client, h)) {
        op.warn(`${describeRef(h)} was left running by operation ${rec.prior!.operation.id.slice(0, 7)} (${rec.prior!.operation.holder}), which is gone: terminated (${HOOK_FINALIZER} removed, deleted)`, refId(h));
      }
      rec.forget(h);
    } catch (err) {
      op.warn(`could not terminate ${describeRef(h)} left by a dead operation: ${(err as Error).message}`, refId(h));
    }
  }
}

/** Before the first write of the operation: the record stored with status Running. */
export async function startRecord(op: Operation): Promise<void> {
  await op.recorder?.flush();
}

/** Stores how the operation ended (best effort: a failed write is a warning). */
export async function endRecord(op: Operation, status: RecordStatus, message?: string): Promise<void> {
  const rec = op.recorder;
  if (!rec) return;
  rec.finish(status, message);
  try {
    if (status === 'Succeeded' && op.kind === 'teardown') await rec.remove();
    else await rec.flush();
  } catch (err) {
    op.warn(`could not update the operation record: ${(err as Error).message}`);
  }
  if (rec.lock?.lost) op.warn(`the lock of application "${rec.app}" was taken over by another run while this ${op.kind} ran (it was not renewed in time)`);
}

/**
 * Teardown: hook instances recorded as written by earlier operations of the app (sync hooks left
 * behind by a killed run, hooks without a delete policy) that still exist and carry the app's
 * label are deleted, finalizer first, before the managed objects (so no namespace waits on them).
 */
export async function deleteLeftoverHooks(op: Operation): Promise<void> {
  const rec = op.recorder;
  if (!rec?.state) return;
  const mine = new Set(op.hooks.map((h) => refId(h.ref)));
  const leftovers = rec.state.written.filter((w) => w.hook && !mine.has(refId(w)));
  await Promise.all(
    leftovers.map(async (ref) => {
      const t0 = Date.now();
      const live = await op.client.get(ref);
      if (live && ownedBy(live, rec.app)) {
        if ((live.metadata.finalizers ?? []).includes(HOOK_FINALIZER)) await op.client.patchFinalizers(ref, { remove: [HOOK_FINALIZER] });
        await op.client.delete(ref, { propagationPolicy: 'Foreground' });
        await waitGone(op, ref, live.metadata.uid, { signal: op.signal, deadlineAt: Date.now() + CLEANUP_TIMEOUT_MS });
        op.emit({ type: 'object.deleted', reason: 'teardown', key: refId(ref), object: describeRef(ref), durationMs: Date.now() - t0 });
      }
      rec.forget(ref);
    }),
  );
  await rec.flush();
}

/**
 * The lock was lost while the operation ran: it ends here, writing nothing more (its client
 * refuses writes, its record refuses updates). Reported once, with the new holder.
 */
export function stoppedByLockLoss(op: Operation): LockLostError {
  const err = op.lockLostError();
  op.emit({ type: 'operation.failed', operation: op.kind, reason: 'LockLost', message: err.message, durationMs: op.elapsed() });
  return err;
}
