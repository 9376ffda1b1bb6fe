/** SyncedChart `retry` input (Argo CD's spec.syncPolicy.retry) → the engine's retry policy, or its problems. */
import { OperationRetry, operationRetryProblems } from '../engine';
import { ChartRetry } from './inputs';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go durations as Argo CD writes them (`5s`, `3m`, `1h30m`, `500ms`); undefined when invalid. */
export function goDurationMs(text: string): number | undefined {
  const s = text.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let ms = 0;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    ms += Number(m[1]) * UNITS[m[2]];
    consumed = re.lastIndex;
  }
  return consumed > 0 && consumed === s.length ? ms : undefined;
}

export function chartRetry(retry: ChartRetry | undefined): { retry?: OperationRetry; problems: string[] } {
  if (retry === undefined || retry === null) return { problems: [] };
  const problems: string[] = [];
  const b = retry.backoff ?? {};
  const dur = (v: unknown, field: string): number | undefined => {
    if (v === undefined) return undefined;
    const ms = typeof v === 'string' ? goDurationMs(v) : undefined;
    if (ms === undefined) problems.push(`retry.backoff.${field}: must be a duration such as "5s" or "3m", got ${JSON.stringify(v)}`);
    return ms;
  };
  const durationMs = dur(b.duration, 'duration');
  const maxDurationMs = dur(b.maxDuration, 'maxDuration');
  const backoff = { ...(durationMs !== undefined ? { durationMs } : {}), ...(b.factor !== undefined ? { factor: b.factor } : {}), ...(maxDurationMs !== undefined ? { maxDurationMs } : {}) };
  const out: OperationRetry = { limit: retry.limit, ...(Object.keys(backoff).length ? { backoff } : {}) };
  problems.push(...operationRetryProblems(out));
  return problems.length ? { problems } : { retry: out, problems };
}
