/** Internal: thrown inside a step to fail the operation with this information. */
import { FailureInfo } from './errors';
import type { Operation } from './operation';
import { WaitAborted } from './wait';

export class StepFailure extends Error {
  override name = 'StepFailure';
  constructor(readonly info: FailureInfo) {
    super(info.detail);
  }
}

/** `; still waiting for Job ns/x (being deleted, waiting for finalizer ...)` when deletions were pending. */
function stillWaiting(op: Operation): string {
  if (!op.waitingOn.size) return '';
  return `; still waiting for ${[...op.waitingOn].map(([object, m]) => `${object} (${m})`).join(', ')}`;
}

/** The failure an error thrown by the step loop stands for. */
export function toFailure(op: Operation, err: unknown): FailureInfo {
  if (err instanceof StepFailure) return err.info;
  const where = { phase: op.phase ?? ('PreSync' as const), ...(op.wave !== undefined ? { wave: op.wave } : {}) };
  if (err instanceof WaitAborted || op.signal.aborted) {
    return op.abortReason === 'Timeout'
      ? { reason: 'Timeout', ...where, detail: `the operation did not finish within ${Math.round(op.o.timeoutMs / 1000)}s${stillWaiting(op)}` }
      : { reason: 'Cancelled', ...where, detail: 'the operation was cancelled' };
  }
  return { reason: 'ApplyFailed', ...where, detail: (err as Error)?.message ?? String(err) };
}
