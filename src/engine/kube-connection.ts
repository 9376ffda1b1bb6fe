/**
 * How the real client reaches the API server: the server, the context's namespace, and the HTTP
 * exchanges themselves, authenticated and on the connection's pool.
 *
 * For the common kubeconfigs (kubeconfig-direct.ts) this is Node's own `https` (rest/node-https.ts):
 * no HTTP library is loaded. For the others (exec plugins, auth providers, proxies, the default
 * KUBECONFIG/~/.kube/config/in-cluster loading) it is @kubernetes/client-node's KubeConfig and
 * its undici, as before. client-node is ESM-only and heavy (about 0.5 s of CPU to load), so it is
 * required only in that case.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { directConfig, DirectConfig, Source } from './kubeconfig-direct';
import { loadKubeConfig, parseKubeconfig } from './kubeconfig';
import { HttpsPool, StreamResponse, TlsOptions } from './rest/node-https';
import type { HttpResponse, SendInit } from './rest/transport';

interface Authenticated {
  headers: Record<string, string>;
  dispatcher: unknown;
}

export interface KubeConnection {
  readonly server: string;
  readonly defaultNamespace: string;
  /** The kubeconfig user entry's name, for messages. */
  readonly user: string;
  /** Which loader serves it: `direct` (Node's https) or `client-node` (its undici). */
  readonly via: 'direct' | 'client-node';
  /** One HTTP exchange, authenticated: resolves on any status, throws on network errors. */
  send(url: URL, init: SendInit): Promise<HttpResponse>;
  /** A streamed, authenticated GET (a watch); aborting `signal` ends it. */
  stream(url: URL, signal: AbortSignal): Promise<StreamResponse>;
  close(): void;
}

/** The undici copy client-node itself uses (one copy in the process, whichever path is taken). */
export function loadUndici(): any {
  return createRequire(require.resolve('@kubernetes/client-node'))('undici');
}

function read(s: Source | undefined): Buffer | undefined {
  if (!s) return undefined;
  return 'file' in s ? fs.readFileSync(s.file) : Buffer.from(s.data, 'base64');
}

class DirectConnection implements KubeConnection {
  readonly via = 'direct';
  readonly server: string;
  readonly defaultNamespace: string;
  readonly user: string;
  private pool: HttpsPool | undefined;

  constructor(private readonly cfg: DirectConfig) {
    this.server = cfg.server;
    this.defaultNamespace = cfg.defaultNamespace;
    this.user = cfg.user;
  }

  /** The pool, made at the first request: files are read then, as client-node does (a missing file fails that request). */
  private https(): HttpsPool {
    if (!this.pool) {
      const tls: TlsOptions = {};
      const ca = read(this.cfg.ca);
      const cert = read(this.cfg.cert);
      const key = read(this.cfg.key);
      if (ca) tls.ca = ca;
      if (cert) tls.cert = cert;
      if (key) tls.key = key;
      if (this.cfg.rejectUnauthorized === false) tls.rejectUnauthorized = false;
      if (this.cfg.servername) tls.servername = this.cfg.servername;
      this.pool = new HttpsPool(tls);
    }
    return this.pool;
  }

  /** The TLS options of its connections (what client-node would give its agent). */
  tlsOptions(): TlsOptions {
    return this.https().tlsOptions;
  }

  /** The authentication headers of every request (static credentials). */
  headers(): Record<string, string> {
    return this.cfg.authorization ? { Authorization: this.cfg.authorization } : {};
  }

  send(url: URL, init: SendInit): Promise<HttpResponse> {
    const pool = this.https();
    return pool.send(url, { ...this.headers(), ...init.headers }, init);
  }

  stream(url: URL, signal: AbortSignal): Promise<StreamResponse> {
    const pool = this.https();
    return pool.stream(url, { ...this.headers(), Accept: 'application/json' }, signal);
  }

  close(): void {
    const p = this.pool;
    this.pool = undefined;
    p?.close();
  }
}

class ClientNodeConnection implements KubeConnection {
  readonly via = 'client-node';
  readonly server: string;
  readonly defaultNamespace: string;
  readonly user: string;
  /** One connection pool per client: client-node builds a new TLS agent per request otherwise. */
  private dispatcher: any;

  constructor(private readonly kc: any) {
    this.server = kc.getCurrentCluster().server.replace(/\/$/, '');
    const ctx = kc.getContextObject(kc.getCurrentContext());
    this.defaultNamespace = ctx?.namespace || 'default';
    this.user = kc.getCurrentUser()?.name ?? ctx?.user ?? 'unknown';
  }

  /** Headers and dispatcher for one request (per request: exec/OIDC tokens may rotate). */
  private async authenticate(url: URL, method: string): Promise<Authenticated> {
    const { RequestContext } = require('@kubernetes/client-node');
    const ctx = new RequestContext(url.toString(), method);
    await this.kc.applySecurityAuthentication(ctx);
    this.dispatcher ??= ctx.getDispatcher();
    return { headers: ctx.getHeaders(), dispatcher: this.dispatcher };
  }

  async send(url: URL, init: SendInit): Promise<HttpResponse> {
    const auth = await this.authenticate(url, init.method); // per request: tokens may rotate (exec plugins)
    return loadUndici().fetch(url, {
      method: init.method,
      headers: { ...auth.headers, ...init.headers },
      body: init.body,
      dispatcher: auth.dispatcher,
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  }

  async stream(url: URL, signal: AbortSignal): Promise<StreamResponse> {
    const auth = await this.authenticate(url, 'GET');
    const res = await loadUndici().fetch(url, { method: 'GET', headers: auth.headers, dispatcher: auth.dispatcher, signal });
    return { status: res.status, statusText: res.statusText, body: res.body };
  }

  close(): void {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    d?.close?.().catch?.(() => undefined);
  }
}

/**
 * The connection for a kubeconfig given as a file path, YAML, JSON or base64 text, with `context`
 * instead of its current one; without one, client-node's default loading. Errors are
 * `loadKubeConfig`'s (they never quote the kubeconfig).
 */
export function openConnection(input?: string, context?: string): KubeConnection {
  if (input !== undefined && input !== '') {
    const direct = directConfig(parseKubeconfig(input), context);
    if (direct) return new DirectConnection(direct);
  }
  return new ClientNodeConnection(loadKubeConfig(input, context));
}
