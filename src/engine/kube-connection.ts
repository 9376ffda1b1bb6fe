/**
 * How the real client reaches the API server: the server, the context's namespace, and per
 * request the authentication headers and the connection pool (an undici dispatcher).
 *
 * For the common kubeconfigs (kubeconfig-direct.ts) this needs only undici; for the others
 * (exec plugins, auth providers, proxies, the default KUBECONFIG/~/.kube/config/in-cluster
 * loading) it is @kubernetes/client-node's KubeConfig, as before. client-node is ESM-only and
 * heavy (about 0.5 s of CPU to load), so it is required only in that case.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { directConfig, DirectConfig, Source } from './kubeconfig-direct';
import { loadKubeConfig, parseKubeconfig } from './kubeconfig';

export interface Authenticated {
  headers: Record<string, string>;
  /** undefined: undici's global dispatcher (no TLS option to apply). */
  dispatcher: unknown;
}

export interface KubeConnection {
  readonly server: string;
  readonly defaultNamespace: string;
  /** The kubeconfig user entry's name, for messages. */
  readonly user: string;
  /** Which loader serves it: `direct` (undici only) or `client-node`. */
  readonly via: 'direct' | 'client-node';
  /** Headers and dispatcher for one request (per request: exec/OIDC tokens may rotate). */
  authenticate(url: URL, method: string): Promise<Authenticated>;
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
  private dispatcher: any;
  private created = false;

  constructor(private readonly cfg: DirectConfig) {
    this.server = cfg.server;
    this.defaultNamespace = cfg.defaultNamespace;
    this.user = cfg.user;
  }

  async authenticate(): Promise<Authenticated> {
    if (!this.created) {
      // Files are read at the first request, as client-node does (a missing file fails that request).
      const tls: Record<string, unknown> = {};
      const ca = read(this.cfg.ca);
      const cert = read(this.cfg.cert);
      const key = read(this.cfg.key);
      if (ca) tls.ca = ca;
      if (cert) tls.cert = cert;
      if (key) tls.key = key;
      if (this.cfg.rejectUnauthorized === false) tls.rejectUnauthorized = false;
      if (this.cfg.servername) tls.servername = this.cfg.servername;
      // As client-node: keep-alive probes after 30 s (client-go's), no dispatcher without TLS options.
      if (Object.keys(tls).length) this.dispatcher = new (loadUndici().Agent)({ connect: { ...tls, keepAlive: true, keepAliveInitialDelay: 30_000 } });
      this.created = true;
    }
    return { headers: this.cfg.authorization ? { Authorization: this.cfg.authorization } : {}, dispatcher: this.dispatcher };
  }

  close(): void {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    d?.close?.().catch?.(() => undefined);
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

  async authenticate(url: URL, method: string): Promise<Authenticated> {
    const { RequestContext } = require('@kubernetes/client-node');
    const ctx = new RequestContext(url.toString(), method);
    await this.kc.applySecurityAuthentication(ctx);
    this.dispatcher ??= ctx.getDispatcher();
    return { headers: ctx.getHeaders(), dispatcher: this.dispatcher };
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
