/**
 * The benchmark's own access to the API server, independent of the engine: a client-node
 * KubeConfig for authentication, plain REST calls (undici, like client-node itself), namespace
 * lifecycle with condition polling (no fixed sleeps).
 */
import { createRequire } from 'node:module';
import { KubeObject } from '../model';
import { until } from './stats';

export function clientNode(): any {
  return require('@kubernetes/client-node');
}

function undici(): any {
  return createRequire(require.resolve('@kubernetes/client-node'))('undici');
}

export function loadKubeConfig(file: string): any {
  const kc = new (clientNode().KubeConfig)();
  kc.loadFromFile(file);
  return kc;
}

export interface RestResponse {
  status: number;
  body: any;
}

interface Auth {
  headers: Record<string, string>;
  dispatcher: unknown;
}

const auths = new WeakMap<object, Promise<Auth>>();

/**
 * Authentication headers and TLS dispatcher of `kc`, computed once. client-node's
 * `applySecurityAuthentication` builds a new undici Agent (a new TLS connection) on every call;
 * reusing the first one keeps one connection (undici negotiates HTTP/2 with the API server, as client-go does).
 * (Static credentials only, which is what the embedded cluster uses: a bearer token.)
 */
function authOf(kc: any): Promise<Auth> {
  let p = auths.get(kc);
  if (!p) {
    p = (async () => {
      const { RequestContext } = clientNode();
      const ctx = new RequestContext(kc.getCurrentCluster().server, 'GET');
      await kc.applySecurityAuthentication(ctx);
      return { headers: { ...ctx.getHeaders() }, dispatcher: ctx.getDispatcher() };
    })();
    auths.set(kc, p);
  }
  return p;
}

/** One REST call over the pooled connection of `kc`. */
export async function rest(
  kc: any,
  method: string,
  path: string,
  body?: unknown,
  opts: { timeoutMs?: number; contentType?: string; query?: Record<string, string> } = {},
): Promise<RestResponse> {
  const auth = await authOf(kc);
  const url = new URL(kc.getCurrentCluster().server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...auth.headers, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
  const res = await undici().fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: auth.dispatcher,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const text: string = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

const PLURALS: Record<string, string> = { ConfigMap: 'configmaps', Deployment: 'deployments', Job: 'jobs' };

/**
 * Server-side apply (field manager `sync-hooks`, force) of a namespaced ConfigMap, Deployment or
 * Job over the pooled connection: the reference for what the API server can take when the client
 * keeps its connections.
 */
export async function pooledApply(kc: any, obj: KubeObject): Promise<void> {
  const plural = PLURALS[obj.kind];
  if (!plural) throw new Error(`pooledApply: unsupported kind ${obj.kind}`);
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const r = await rest(kc, 'PATCH', `${base}/namespaces/${obj.metadata.namespace}/${plural}/${obj.metadata.name}`, obj, {
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: 'sync-hooks', force: 'true' },
  });
  if (r.status >= 300) throw new Error(`apply ${obj.kind} ${obj.metadata.name}: HTTP ${r.status} ${r.body?.message ?? ''}`);
}

export async function createNamespace(kc: any, name: string): Promise<void> {
  const r = await rest(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'sync-hooks.local/bench': 'true' } } });
  if (r.status >= 300) throw new Error(`creating namespace ${name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
}

/** Deletes the namespace and polls until the API server no longer has it (deadline `timeoutMs`). */
export async function deleteNamespace(kc: any, name: string, timeoutMs = 180_000): Promise<number> {
  const t0 = Date.now();
  const r = await rest(kc, 'DELETE', `/api/v1/namespaces/${name}`, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
  if (r.status >= 300 && r.status !== 404) throw new Error(`deleting namespace ${name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  await until(`namespace ${name} to be gone`, async () => ((await rest(kc, 'GET', `/api/v1/namespaces/${name}`)).status === 404 ? true : undefined), timeoutMs, 100);
  return Date.now() - t0;
}
