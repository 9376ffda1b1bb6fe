/**
 * `sync` flags for Argo CD's Application-level sync policy: `--create-namespace` (CreateNamespace=true)
 * and the operation retry `--retry-limit N [--retry-backoff-duration 5s] [--retry-backoff-factor 2]
 * [--retry-backoff-max-duration 3m]` (spec.syncPolicy.retry; off by default).
 */
import { OperationRetry, operationRetryProblems } from '../engine';
import { bool, ParsedArgs, UsageError } from './args';
import { durationFlag, stringFlag } from './options';

export { SYNC_POLICY_FLAGS } from './flag-lists';

function numberFlag(args: ParsedArgs, name: string): number | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name}: must be a number (got "${v}")`);
  return n;
}

export function createNamespaceFlag(args: ParsedArgs): boolean {
  return bool(args, 'create-namespace');
}

/** The retry policy of the flags; undefined when `--retry-limit` is not given (no retry). */
export function retryFlags(args: ParsedArgs): OperationRetry | undefined {
  const limit = numberFlag(args, 'retry-limit');
  const durationMs = durationFlag(args, 'retry-backoff-duration');
  const factor = numberFlag(args, 'retry-backoff-factor');
  const maxDurationMs = durationFlag(args, 'retry-backoff-max-duration');
  if (limit === undefined) {
    if (durationMs !== undefined || factor !== undefined || maxDurationMs !== undefined) throw new UsageError('--retry-backoff-* need --retry-limit <n>');
    return undefined;
  }
  const backoff = { ...(durationMs !== undefined ? { durationMs } : {}), ...(factor !== undefined ? { factor } : {}), ...(maxDurationMs !== undefined ? { maxDurationMs } : {}) };
  const retry: OperationRetry = { limit, ...(Object.keys(backoff).length ? { backoff } : {}) };
  const problems = operationRetryProblems(retry, '--retry');
  if (problems.length) throw new UsageError(problems.join('; ').replace('--retry.limit', '--retry-limit').replace('--retry.backoff.factor', '--retry-backoff-factor'));
  return retry;
}
