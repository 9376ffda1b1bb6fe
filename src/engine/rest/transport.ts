/**
 * The one REST layer under the real `KubeClient`: sends a request, retries transient failures by
 * the policy (policy.ts), never sends a create twice without looking first, and turns failures into
 * typed errors (errors.ts). Counts what it retried (`stats()`, `onRetry`).
 *
 * The HTTP exchange itself (`send`: authentication, TLS, fetch) is supplied by the caller, so the
 * whole retry behaviour is unit-testable without a server.
 */
import { KubeApiError } from '../client';
import { AmbiguousCreateError, ClusterUnreachableError, KubeAuthError, RequestAbout, causeText } from './errors';
import { DEFAULT_RETRY_POLICY, Failure, RetryPolicy, classifyNetworkError, decide, idempotenceOf, parseRetryAfter } from './policy';

export interface HttpResponse {
  status: number;
  statusText?: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface SendInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** One HTTP exchange (authentication included). Throws on network errors, resolves on any status. */
export type SendFn = (url: URL, init: SendInit) => Promise<HttpResponse>;

/** Whether an earlier attempt of a create made the object: its live state if so. */
export type RecoverResult = { found: true; value: unknown } | { found: false };

export interface RestRequest {
  method: string;
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** Answer as text (logs) instead of JSON. */
  text?: boolean;
  timeoutMs?: number;
  about: RequestAbout;
  /** For a create: looks up whether an earlier, ambiguous attempt created the object. */
  recover?: () => Promise<RecoverResult>;
  /** Overrides for this request (e.g. a short budget for best-effort log reads). */
  policy?: Partial<RetryPolicy>;
}

export interface RetryEvent {
  verb: string;
  object: string;
  method: string;
  /** Attempts made so far. */
  attempt: number;
  delayMs: number;
  /** `429`, `503`, `ECONNRESET`, `ECONNREFUSED`... */
  cause: string;
  /** The create is looked up before being sent again. */
  lookup: boolean;
}

export interface RequestStats {
  /** Requests made (each counted once, however many attempts). */
  requests: number;
  /** HTTP exchanges, retries included. */
  attempts: number;
  /** Attempts that were followed by another one (or by the look-up of a create). */
  retries: number;
  /** Creates whose ambiguous attempt was found to have succeeded (not sent again). */
  recoveredCreates: number;
  /** Retries by cause (`429`, `503`, `ECONNRESET`...). */
  retriesByCause: Record<string, number>;
}

export interface TransportOptions {
  server: string;
  /** The kubeconfig user entry name, for messages. */
  user: string;
  send: SendFn;
  policy?: Partial<RetryPolicy>;
  onRetry?: (e: RetryEvent) => void;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

const REQUEST_TIMEOUT_MS = 60_000;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function failureCause(f: Failure): string {
  return f.kind === 'http' ? String(f.status) : f.code;
}

export class RestTransport {
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private reachedServer = false;
  private closed = false;
  private readonly counters: RequestStats = { requests: 0, attempts: 0, retries: 0, recoveredCreates: 0, retriesByCause: {} };

  constructor(private readonly o: TransportOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...o.policy };
    this.sleep = o.sleep ?? defaultSleep;
    this.random = o.random ?? Math.random;
    this.now = o.now ?? Date.now;
  }

  get server(): string {
    return this.o.server;
  }

  stats(): RequestStats {
    return { ...this.counters, retriesByCause: { ...this.counters.retriesByCause } };
  }

  /** No further retries (pending requests end with their current failure). */
  close(): void {
    this.closed = true;
  }

  async request(req: RestRequest): Promise<any> {
    const url = new URL(this.o.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { Accept: req.text ? '*/*' : 'application/json' };
    if (req.body !== undefined) headers['Content-Type'] = req.contentType ?? 'application/json';
    const init: SendInit = {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      timeoutMs: req.timeoutMs ?? REQUEST_TIMEOUT_MS,
    };
    const policy = req.policy ? { ...this.policy, ...req.policy } : this.policy;
    const idempotence = idempotenceOf(req.method, req.contentType, req.query?.dryRun !== undefined);
    const started = this.now();
    let attempts = 0;
    let ambiguous = false;
    this.counters.requests++;
    for (;;) {
      attempts++;
      this.counters.attempts++;
      let failure: Failure;
      let finalError: Error;
      try {
        const res = await this.o.send(url, init);
        const text = await res.text();
        this.reachedServer = true;
        if (res.status >= 200 && res.status < 300) return req.text ? text : text ? JSON.parse(text) : undefined;
        finalError = this.apiError(req, res, text, attempts);
        if (res.status === 409 && ambiguous && req.recover) {
          // An earlier attempt that broke did create it after all.
          const found = await this.recover(req);
          if (found) return found.value;
        }
        failure = { kind: 'http', status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.now()) };
      } catch (err) {
        failure = classifyNetworkError(err);
        if (failure.kind === 'fatal' && failure.code === 'UNKNOWN' && !(err instanceof TypeError)) throw err;
        finalError = new ClusterUnreachableError(this.o.server, causeText(err), req.about.verb, req.about.object, attempts);
      }
      const d = this.closed
        ? ({ action: 'fail' } as const)
        : decide({ idempotence, failure, attempts, elapsedMs: this.now() - started, reachedServer: this.reachedServer }, policy, this.random);
      if (d.action === 'fail') throw finalError;
      const cause = failureCause(failure);
      this.counters.retries++;
      this.counters.retriesByCause[cause] = (this.counters.retriesByCause[cause] ?? 0) + 1;
      this.o.onRetry?.({ verb: req.about.verb, object: req.about.object, method: req.method, attempt: attempts, delayMs: d.delayMs, cause, lookup: d.action === 'recover' });
      await this.sleep(d.delayMs);
      if (d.action === 'recover') {
        ambiguous = true;
        if (!req.recover) throw new AmbiguousCreateError(req.about.object, finalError.message);
        const found = await this.recover(req);
        if (found) return found.value;
      }
    }
  }

  private async recover(req: RestRequest): Promise<{ value: unknown } | undefined> {
    const r = await req.recover!();
    if (!r.found) return undefined;
    this.counters.recoveredCreates++;
    return { value: r.value };
  }

  private apiError(req: RestRequest, res: HttpResponse, text: string, attempts: number): KubeApiError {
    let status: any;
    try {
      status = JSON.parse(text);
    } catch {
      status = undefined;
    }
    const message: string = status?.message ?? (text.trim() || res.statusText || `HTTP ${res.status}`);
    const reason: string = status?.reason ?? String(res.status);
    if (res.status === 401 || res.status === 403) {
      return new KubeAuthError(res.status, reason, req.about.verb, req.about.object, this.o.user, message, status);
    }
    const after = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    return new KubeApiError(res.status, reason, `${req.method} ${req.path}: ${message}${after}`, status);
  }
}

/** `requests retried: 7 (429 ×2, 503 ×3, ECONNRESET ×2); 1 create found done after a broken connection`, or undefined when nothing was retried. */
export function describeRetries(stats: RequestStats | undefined): string | undefined {
  if (!stats || stats.retries === 0) return undefined;
  const causes = Object.entries(stats.retriesByCause)
    .map(([c, n]) => `${c} ×${n}`)
    .join(', ');
  const found = stats.recoveredCreates ? `; ${stats.recoveredCreates} create${stats.recoveredCreates === 1 ? '' : 's'} found done after a broken connection (not sent again)` : '';
  return `requests retried: ${stats.retries} of ${stats.requests} (${causes})${found}`;
}
