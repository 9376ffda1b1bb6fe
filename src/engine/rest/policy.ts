/**
 * The retry policy of the REST layer, pure (no I/O, no clock, no randomness of its own): which
 * failures are transient, which requests may be sent again, and how long to wait before that.
 *
 * - Retried: 429 (the server did not process the request), 502/503/504 and any 5xx carrying
 *   `Retry-After`, connection refused (an API server restarting) and connection resets / hang-ups
 *   / timeouts (the request may or may not have been processed).
 * - Idempotent requests (GET, LIST, server-side apply and merge PATCH, DELETE, dry runs) are sent
 *   again. A create (POST) is sent again only when the server cannot have processed it (429,
 *   connection refused); after any other transient failure its outcome is unknown and the caller
 *   must look the object up first (`recover`).
 * - Never retried: 401/403 and every other answer of the server, unknown hosts, TLS errors.
 * - Waits: exponential backoff with "equal jitter", capped; `Retry-After` (capped) replaces the
 *   backoff. Bounded by a number of attempts and the time since the first one.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff; doubles per attempt. */
  baseDelayMs: number;
  /** Largest backoff. */
  maxDelayMs: number;
  /** No new attempt once this much time has passed since the first (covers an API-server restart). */
  maxElapsedMs: number;
  /** A server's `Retry-After` longer than this is cut to this. */
  maxRetryAfterMs: number;
  /**
   * Attempts on "connection refused" while this client has never reached the server: a wrong
   * address or a cluster that is down should fail fast, a restart of a server we talked to not.
   */
  unreachedConnectAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 12,
  baseDelayMs: 200,
  maxDelayMs: 8_000,
  maxElapsedMs: 60_000,
  maxRetryAfterMs: 30_000,
  unreachedConnectAttempts: 2,
};

/** A request that may be sent again as is (`idempotent`), or a create that may not (`create`). */
export type Idempotence = 'idempotent' | 'create';

/** Idempotence from the HTTP request: POST creates (unless a dry run); everything else we send is idempotent. */
export function idempotenceOf(method: string, contentType?: string, dryRun = false): Idempotence {
  const m = method.toUpperCase();
  if (m === 'POST') return dryRun ? 'idempotent' : 'create';
  // JSON patches (add/remove by index) are not idempotent; we only send apply and merge patches.
  if (m === 'PATCH' && contentType === 'application/json-patch+json') return 'create';
  return 'idempotent';
}

/**
 * What went wrong with one attempt:
 * - `http`: the server answered with a non-2xx status;
 * - `unsent`: no connection was made, the server never saw the request (refused, DNS, connect timeout);
 * - `ambiguous`: the connection broke or timed out after the request was (maybe) sent;
 * - `fatal`: anything else (TLS errors, unknown host, a bug): not retried.
 */
export type Failure =
  | { kind: 'http'; status: number; retryAfterMs?: number }
  | { kind: 'unsent'; code: string }
  | { kind: 'ambiguous'; code: string }
  | { kind: 'fatal'; code: string };

const UNSENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'EADDRNOTAVAIL']);
const AMBIGUOUS_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'TimeoutError',
]);

/** The error code of a failed fetch: undici wraps the socket error as `cause` of `TypeError: fetch failed`. */
export function errorCode(err: unknown): string {
  const seen = new Set<unknown>();
  let e: any = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    if (typeof e.code === 'string' && e.code) return e.code;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return e.name;
    if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) return 'ECONNRESET';
    if (typeof e.message === 'string' && /other side closed/i.test(e.message)) return 'UND_ERR_SOCKET';
    e = e.cause;
  }
  return 'UNKNOWN';
}

/** Classifies a thrown (network-level) error. An abort by the caller is fatal, never retried. */
export function classifyNetworkError(err: unknown): Failure {
  const code = errorCode(err);
  if (UNSENT_CODES.has(code)) return { kind: 'unsent', code };
  if (AMBIGUOUS_CODES.has(code)) return { kind: 'ambiguous', code };
  return { kind: 'fatal', code };
}

/** `Retry-After` (delta seconds or HTTP date) in ms, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with equal jitter: half the step fixed, half random. `attempt` is 1 after the first failure. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export function isTransientStatus(status: number, retryAfterMs?: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504 || (status >= 500 && retryAfterMs !== undefined);
}

export type Decision =
  /** Give up: the failure is final. */
  | { action: 'fail'; why: string }
  /** Wait `delayMs`, then send again. */
  | { action: 'retry'; delayMs: number }
  /** Wait `delayMs`, then find out whether the create happened before sending it again. */
  | { action: 'recover'; delayMs: number };

export interface Attempt {
  idempotence: Idempotence;
  failure: Failure;
  /** Attempts made so far (1 after the first). */
  attempts: number;
  /** Since the first attempt started. */
  elapsedMs: number;
  /** This client has had an HTTP answer from the server before. */
  reachedServer: boolean;
}

/** What to do after a failed attempt. */
export function decide(a: Attempt, policy: RetryPolicy, random: () => number): Decision {
  const f = a.failure;
  if (f.kind === 'fatal') return { action: 'fail', why: 'not a transient failure' };
  if (f.kind === 'http' && !isTransientStatus(f.status, f.retryAfterMs)) return { action: 'fail', why: `HTTP ${f.status} is final` };
  if (f.kind === 'unsent' && !a.reachedServer && a.attempts >= policy.unreachedConnectAttempts) return { action: 'fail', why: 'the server was never reached' };
  if (a.attempts >= policy.maxAttempts) return { action: 'fail', why: `gave up after ${a.attempts} attempts` };
  let delayMs = backoffMs(a.attempts, policy, random);
  if (f.kind === 'http' && f.retryAfterMs !== undefined) {
    // The server said when: wait that long (capped), plus a little jitter so clients do not return together.
    delayMs = Math.min(f.retryAfterMs, policy.maxRetryAfterMs) + Math.round(random() * policy.baseDelayMs);
  }
  if (a.elapsedMs + delayMs > policy.maxElapsedMs) return { action: 'fail', why: `gave up after ${a.attempts} attempts in ${Math.round(a.elapsedMs / 1000)}s` };
  // A create the server cannot have processed may simply be sent again; otherwise look first.
  const unprocessed = f.kind === 'unsent' || (f.kind === 'http' && f.status === 429);
  return a.idempotence === 'create' && !unprocessed ? { action: 'recover', delayMs } : { action: 'retry', delayMs };
}
