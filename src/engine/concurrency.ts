/** Bounded parallelism for applies and deletes within a wave. */
import { WaitAborted } from './wait';

/**
 * Runs `fn` over `items` with at most `limit` in flight. Rejects with the first error, after the
 * calls already in flight have settled (so nothing keeps writing behind the caller's back); no new
 * call starts after an error or once `signal` is aborted (then it rejects with WaitAborted).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  let failed = false;
  let firstError: unknown;
  const worker = async () => {
    while (!failed && !signal?.aborted && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
        done++;
      } catch (err) {
        if (!failed) firstError = err;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failed) throw firstError;
  if (done < items.length) throw new WaitAborted('aborted');
  return results;
}
