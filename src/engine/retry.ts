/**
 * Operation retry, as Argo CD's `spec.syncPolicy.retry {limit, backoff: {duration, factor,
 * maxDuration}}` (Argo CD `pkg/apis/application/v1alpha1/types.go` `RetryStrategy.NextRetryAt`:
 * the n-th retry waits `duration · factor^n`, at most `maxDuration`; defaults 5s, 2, 3m). A retry
 * starts the whole operation again, PreSync hooks included (`appcontroller.go`
 * `processRequestedAppOperation` clears the sync result). Off by default; there is no retry after
 * the operation deadline or a cancel (Argo CD: none after termination or timeout). Unlike Argo CD,
 * SyncFail runs once, after the last attempt.
 */
import { FailureInfo } from './errors';

export interface RetryBackoff {
  /** Wait before the first retry. Default 5 s. */
  durationMs?: number;
  /** Multiplier of the wait for each further retry. Default 2. */
  factor?: number;
  /** Longest wait. Default 3 min. */
  maxDurationMs?: number;
}

export interface OperationRetry {
  /** Retries after the first attempt (0: none). */
  limit: number;
  backoff?: RetryBackoff;
}

export const DEFAULT_RETRY_BACKOFF: Required<RetryBackoff> = { durationMs: 5_000, factor: 2, maxDurationMs: 3 * 60_000 };

/** Wait before retry number `retry` (0 = the first retry). */
export function retryDelayMs(policy: OperationRetry, retry: number): number {
  const b = { ...DEFAULT_RETRY_BACKOFF, ...policy.backoff };
  return Math.min(b.durationMs * Math.pow(b.factor, retry), b.maxDurationMs);
}

/** Problems of a retry policy (empty: valid), each naming the field. */
export function operationRetryProblems(policy: OperationRetry, prefix = 'retry'): string[] {
  const p: string[] = [];
  const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
  if (!int(policy.limit) || policy.limit < 0) p.push(`${prefix}.limit: must be an integer >= 0, got ${JSON.stringify(policy.limit)}`);
  const b = policy.backoff ?? {};
  if (b.durationMs !== undefined && !(typeof b.durationMs === 'number' && b.durationMs >= 0)) p.push(`${prefix}.backoff.duration: must be a duration >= 0`);
  if (b.factor !== undefined && !(typeof b.factor === 'number' && b.factor >= 1)) p.push(`${prefix}.backoff.factor: must be a number >= 1, got ${JSON.stringify(b.factor)}`);
  if (b.maxDurationMs !== undefined && !(typeof b.maxDurationMs === 'number' && b.maxDurationMs >= 0)) p.push(`${prefix}.backoff.maxDuration: must be a duration >= 0`);
  return p;
}

/** Whether a failed attempt may be retried: not after the operation deadline or a cancel. */
export function retryable(failure: FailureInfo): boolean {
  return failure.reason !== 'Cancelled' && failure.reason !== 'Timeout';
}
