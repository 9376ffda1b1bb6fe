/**
 * The REST layer's retry policy and transport, without a cluster: which failures and verbs are
 * retried, backoff and `Retry-After`, creates looked up instead of repeated, typed errors.
 */
import * as net from 'node:net';
import { AmbiguousCreateError, ClusterUnreachableError, KubeApiError, KubeAuthError, createKubeClient } from '../../../src/engine';
import {
  DEFAULT_RETRY_POLICY,
  Failure,
  backoffMs,
  classifyNetworkError,
  decide,
  idempotenceOf,
  parseRetryAfter,
} from '../../../src/engine/rest/policy';
import { HttpResponse, RecoverResult, RestTransport, RetryEvent, SendFn } from '../../../src/engine/rest/transport';

const P = DEFAULT_RETRY_POLICY;
const half = () => 0.5;

function netError(code: string, message = `read ${code}`): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

describe('policy', () => {
  test('backoff doubles from the base, is capped, and jitters within [step/2, step]', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, P, () => 1))).toEqual([200, 400, 800, 1600]);
    expect(backoffMs(20, P, () => 1)).toBe(P.maxDelayMs);
    expect(backoffMs(3, P, () => 0)).toBe(400);
    expect(backoffMs(3, P, half)).toBe(600);
  });

  test('Retry-After: delta seconds or an HTTP date; anything else is ignored', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  test('idempotence: GET, DELETE, apply/merge PATCH and dry-run POST are idempotent; a real POST is a create', () => {
    expect(idempotenceOf('GET')).toBe('idempotent');
    expect(idempotenceOf('DELETE')).toBe('idempotent');
    expect(idempotenceOf('PATCH', 'application/apply-patch+yaml')).toBe('idempotent');
    expect(idempotenceOf('PATCH', 'application/merge-patch+json')).toBe('idempotent');
    expect(idempotenceOf('PATCH', 'application/json-patch+json')).toBe('create');
    expect(idempotenceOf('POST')).toBe('create');
    expect(idempotenceOf('POST', 'application/json', true)).toBe('idempotent');
  });

  test('network errors: refused is unsent, resets / hang-ups / timeouts are ambiguous, TLS and DNS are fatal', () => {
    expect(classifyNetworkError(netError('ECONNREFUSED'))).toEqual({ kind: 'unsent', code: 'ECONNREFUSED' });
    expect(classifyNetworkError(netError('ECONNRESET'))).toEqual({ kind: 'ambiguous', code: 'ECONNRESET' });
    expect(classifyNetworkError(new Error('socket hang up'))).toEqual({ kind: 'ambiguous', code: 'ECONNRESET' });
    expect(classifyNetworkError(netError('UND_ERR_SOCKET', 'other side closed'))).toEqual({ kind: 'ambiguous', code: 'UND_ERR_SOCKET' });
    expect(classifyNetworkError(new DOMException('timed out', 'TimeoutError'))).toEqual({ kind: 'ambiguous', code: 'TimeoutError' });
    expect(classifyNetworkError(netError('DEPTH_ZERO_SELF_SIGNED_CERT')).kind).toBe('fatal');
    expect(classifyNetworkError(netError('ENOTFOUND')).kind).toBe('fatal');
  });

  const at = (failure: Failure, over: Partial<Parameters<typeof decide>[0]> = {}) =>
    decide({ idempotence: 'idempotent', failure, attempts: 1, elapsedMs: 0, reachedServer: true, ...over }, P, half);

  test('which answers are retried: 429, 502-504 and 5xx with Retry-After; never 401/403/404/409/422/500', () => {
    for (const status of [429, 502, 503, 504]) expect(at({ kind: 'http', status }).action).toBe('retry');
    expect(at({ kind: 'http', status: 500, retryAfterMs: 1000 }).action).toBe('retry');
    for (const status of [400, 401, 403, 404, 409, 422, 500]) expect(at({ kind: 'http', status }).action).toBe('fail');
    expect(at({ kind: 'ambiguous', code: 'ECONNRESET' }).action).toBe('retry');
    expect(at({ kind: 'unsent', code: 'ECONNREFUSED' }).action).toBe('retry');
    expect(at({ kind: 'fatal', code: 'CERT_HAS_EXPIRED' }).action).toBe('fail');
  });

  test('a create is sent again only when the server cannot have processed it; otherwise it is looked up first', () => {
    const create = { idempotence: 'create' as const };
    expect(at({ kind: 'http', status: 429 }, create).action).toBe('retry');
    expect(at({ kind: 'unsent', code: 'ECONNREFUSED' }, create).action).toBe('retry');
    expect(at({ kind: 'http', status: 503 }, create).action).toBe('recover');
    expect(at({ kind: 'ambiguous', code: 'ECONNRESET' }, create).action).toBe('recover');
    expect(at({ kind: 'ambiguous', code: 'TimeoutError' }, create).action).toBe('recover');
  });

  test('Retry-After replaces the backoff (capped, plus jitter under the base delay)', () => {
    expect(at({ kind: 'http', status: 429, retryAfterMs: 3000 })).toEqual({ action: 'retry', delayMs: 3100 });
    expect(at({ kind: 'http', status: 429, retryAfterMs: 3_600_000 })).toEqual({ action: 'retry', delayMs: P.maxRetryAfterMs + 100 });
    expect(at({ kind: 'http', status: 503 }, { attempts: 3 })).toEqual({ action: 'retry', delayMs: 600 });
  });

  test('bounded: by attempts, by elapsed time, and fast failure while the server was never reached', () => {
    expect(at({ kind: 'http', status: 503 }, { attempts: P.maxAttempts }).action).toBe('fail');
    expect(at({ kind: 'http', status: 503 }, { elapsedMs: P.maxElapsedMs - 100, attempts: 5 }).action).toBe('fail');
    expect(at({ kind: 'unsent', code: 'ECONNREFUSED' }, { reachedServer: false, attempts: 1 }).action).toBe('retry');
    expect(at({ kind: 'unsent', code: 'ECONNREFUSED' }, { reachedServer: false, attempts: P.unreachedConnectAttempts }).action).toBe('fail');
    // A server we talked to that refuses connections is restarting: keep trying.
    expect(at({ kind: 'unsent', code: 'ECONNREFUSED' }, { reachedServer: true, attempts: 6, elapsedMs: 20_000 }).action).toBe('retry');
  });
});

type Step = { status: number; body?: unknown; retryAfter?: string } | { error: string };

function response(s: { status: number; body?: unknown; retryAfter?: string }): HttpResponse {
  return {
    status: s.status,
    headers: { get: (n: string) => (n.toLowerCase() === 'retry-after' ? (s.retryAfter ?? null) : null) },
    text: async () => (s.body === undefined ? '' : JSON.stringify(s.body)),
  };
}

/** A transport over a scripted exchange: each send takes the next step. */
function scripted(steps: Step[], over: { reached?: boolean } = {}) {
  const sent: Array<{ method: string; url: string }> = [];
  const sleeps: number[] = [];
  const retries: RetryEvent[] = [];
  const send: SendFn = async (url, init) => {
    sent.push({ method: init.method, url: url.toString() });
    const s = steps.shift();
    if (!s) throw new Error('script exhausted');
    if ('error' in s) throw netError(s.error, s.error === 'ECONNREFUSED' ? 'connect ECONNREFUSED 127.0.0.1:6443' : `read ${s.error}`);
    return response(s);
  };
  const t = new RestTransport({
    server: 'https://127.0.0.1:6443',
    user: 'deployer',
    send,
    sleep: async (ms) => void sleeps.push(ms),
    random: half,
    onRetry: (e) => retries.push(e),
  });
  if (over.reached !== false) (t as any).reachedServer = true;
  return { t, sent, sleeps, retries };
}

const getCm = { method: 'GET', path: '/api/v1/namespaces/a/configmaps/x', about: { verb: 'get', object: 'ConfigMap a/x' } };
const postJob = { method: 'POST', path: '/apis/batch/v1/namespaces/a/jobs', body: { metadata: { name: 'j' } }, about: { verb: 'create', object: 'Job a/j' } };
const STATUS = (code: number, reason: string, message: string) => ({ kind: 'Status', code, reason, message });

describe('transport', () => {
  test('a GET survives 429 (Retry-After honoured), 503 and a connection reset, and counts its retries', async () => {
    const { t, sent, sleeps, retries } = scripted([{ status: 429, retryAfter: '2' }, { status: 503 }, { error: 'ECONNRESET' }, { status: 200, body: { ok: 1 } }]);
    await expect(t.request(getCm)).resolves.toEqual({ ok: 1 });
    expect(sent).toHaveLength(4);
    expect(sleeps).toEqual([2100, 300, 600]);
    expect(retries.map((r) => r.cause)).toEqual(['429', '503', 'ECONNRESET']);
    expect(t.stats()).toMatchObject({ requests: 1, attempts: 4, retries: 3, retriesByCause: { '429': 1, '503': 1, ECONNRESET: 1 } });
  });

  test('an ambiguous create is looked up, not sent again, when the first attempt did create it', async () => {
    const { t, sent } = scripted([{ error: 'ECONNRESET' }]);
    const recover = jest.fn(async (): Promise<RecoverResult> => ({ found: true, value: { metadata: { name: 'j', uid: 'u1' } } }));
    await expect(t.request({ ...postJob, recover })).resolves.toEqual({ metadata: { name: 'j', uid: 'u1' } });
    expect(sent.map((s) => s.method)).toEqual(['POST']);
    expect(recover).toHaveBeenCalledTimes(1);
    expect(t.stats()).toMatchObject({ retries: 1, recoveredCreates: 1 });
  });

  test('an ambiguous create that did not happen is sent again; a 409 after that is resolved by another look-up', async () => {
    const { t, sent } = scripted([{ status: 503 }, { status: 201, body: { metadata: { name: 'j' } } }]);
    const recover = jest.fn(async (): Promise<RecoverResult> => ({ found: false }));
    await expect(t.request({ ...postJob, recover })).resolves.toEqual({ metadata: { name: 'j' } });
    expect(sent.map((s) => s.method)).toEqual(['POST', 'POST']);

    const second = scripted([{ error: 'ECONNRESET' }, { status: 409, body: STATUS(409, 'AlreadyExists', 'jobs.batch "j" already exists') }]);
    let calls = 0;
    const late = async (): Promise<RecoverResult> => (++calls === 1 ? { found: false } : { found: true, value: { metadata: { name: 'j', uid: 'late' } } });
    await expect(second.t.request({ ...postJob, recover: late })).resolves.toEqual({ metadata: { name: 'j', uid: 'late' } });
    expect(calls).toBe(2);
  });

  test('a create that cannot be looked up is never sent twice', async () => {
    const { t, sent } = scripted([{ error: 'ECONNRESET' }, { status: 201, body: {} }]);
    await expect(t.request(postJob)).rejects.toBeInstanceOf(AmbiguousCreateError);
    expect(sent).toHaveLength(1);
  });

  test('a create refused with 429 is simply sent again (the server did not process it)', async () => {
    const { t, sent } = scripted([{ status: 429, retryAfter: '1' }, { status: 201, body: { metadata: { name: 'j' } } }]);
    const recover = jest.fn(async (): Promise<RecoverResult> => ({ found: false }));
    await t.request({ ...postJob, recover });
    expect(sent).toHaveLength(2);
    expect(recover).not.toHaveBeenCalled();
  });

  test('401 and 403 surface at once as a typed error naming verb, object and kubeconfig user', async () => {
    const forbidden = scripted([{ status: 403, body: STATUS(403, 'Forbidden', 'jobs.batch is forbidden: User "bob" cannot create resource "jobs"') }]);
    const err = await forbidden.t.request({ ...postJob, recover: async () => ({ found: false }) }).catch((e) => e);
    expect(err).toBeInstanceOf(KubeAuthError);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.message).toBe('forbidden (403): kubeconfig user "deployer" may not create Job a/j: jobs.batch is forbidden: User "bob" cannot create resource "jobs"');
    expect(forbidden.sent).toHaveLength(1);

    const unauthorized = scripted([{ status: 401, body: STATUS(401, 'Unauthorized', 'Unauthorized') }]);
    const e401 = await unauthorized.t.request(getCm).catch((e) => e);
    expect(e401).toMatchObject({ name: 'KubeAuthError', status: 401, verb: 'get', object: 'ConfigMap a/x', user: 'deployer' });
    expect(e401.message).toMatch(/^unauthorized \(401\): the API server did not accept the credentials of kubeconfig user "deployer" to get ConfigMap a\/x/);
  });

  test('other answers are final at once (404, 409, 422, 500)', async () => {
    for (const status of [404, 409, 422, 500]) {
      const { t, sent } = scripted([{ status, body: STATUS(status, 'X', 'no') }]);
      await expect(t.request(getCm)).rejects.toMatchObject({ status });
      expect(sent).toHaveLength(1);
    }
  });

  test('a server never reached fails fast: "cannot reach the cluster at <server>: <cause>"', async () => {
    const { t, sent } = scripted([{ error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }], { reached: false });
    const err = await t.request(getCm).catch((e) => e);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect(err.message).toBe('cannot reach the cluster at https://127.0.0.1:6443: connect ECONNREFUSED 127.0.0.1:6443 (get ConfigMap a/x, 2 attempts)');
    expect(sent).toHaveLength(P.unreachedConnectAttempts);
  });

  test('gives up on a transient failure after the policy budget, with the last answer', async () => {
    const { t, sent } = scripted(Array.from({ length: 20 }, () => ({ status: 503, body: STATUS(503, 'ServiceUnavailable', 'try later') })));
    const err = await t.request(getCm).catch((e) => e);
    expect(err).toMatchObject({ status: 503 });
    expect(err.message).toMatch(/try later \(after \d+ attempts\)/);
    expect(sent.length).toBeLessThanOrEqual(P.maxAttempts);
    expect(sent.length).toBeGreaterThan(3);
  });
});

test('createKubeClient against a port nobody listens on: "cannot reach the cluster at <server>: <cause>"', async () => {
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}
users:
- name: ci-user
  user: {token: s3cr3t-token-value}
contexts:
- name: ctx
  context: {cluster: c, user: ci-user}
current-context: ctx
`;
  const c = createKubeClient(kubeconfig);
  try {
    const err = await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect(err.message).toMatch(new RegExp(`^cannot reach the cluster at https://127\\.0\\.0\\.1:${port}: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
    expect(err.message).not.toContain('s3cr3t');
    expect(c.requestStats?.()).toMatchObject({ requests: 1, retries: 1 });
  } finally {
    c.close?.();
  }
}, 60_000);
