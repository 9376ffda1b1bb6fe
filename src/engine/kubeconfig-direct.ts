/**
 * The kubeconfigs the client can use without @kubernetes/client-node (which costs about 0.5 s of
 * CPU and 50 MiB to load, mostly its generated API models): a server over https, a CA, client
 * certificates, a bearer token or basic auth, `insecure-skip-tls-verify`, `tls-server-name`. This
 * is what kubeadm, kind, k3s, the embedded cluster and most CI clusters hand out. Anything else
 * (exec plugins, auth providers, impersonation, proxies, plain http, a field this code does not
 * know) gives undefined, and the caller loads client-node as before, so behaviour (and every
 * error message) stays client-node's for those.
 *
 * Pure: reads only the parsed kubeconfig; files named in it are read by `directConnection`.
 */
import * as path from 'node:path';
import type { ParsedKubeconfig } from './kubeconfig';

/** Where a certificate or key comes from: a file (absolute) or base64 data, as client-node reads them. */
export type Source = { file: string } | { data: string };

export interface DirectConfig {
  /** Without a trailing slash. */
  server: string;
  /** The context's namespace, else `default`. */
  defaultNamespace: string;
  /** The kubeconfig user entry's name (for messages). */
  user: string;
  /** `Authorization` header value, if any (token wins over basic auth, as in client-node). */
  authorization?: string;
  ca?: Source;
  cert?: Source;
  key?: Source;
  /** `insecure-skip-tls-verify: true` gives false; undefined leaves Node's default. */
  rejectUnauthorized?: false;
  servername?: string;
}

const CLUSTER_KEYS = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'extensions']);
const USER_KEYS = new Set(['token', 'username', 'password', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'extensions']);

function named(list: unknown, name: unknown): Record<string, any> | undefined {
  if (!Array.isArray(list) || typeof name !== 'string') return undefined;
  const all = list.filter((e) => e && typeof e === 'object' && e.name === name);
  return all.length === 1 ? all[0] : undefined;
}

function source(file: unknown, data: unknown, dir: string | undefined): Source | undefined | null {
  if (file !== undefined && file !== null && file !== '') return typeof file === 'string' ? { file: dir && !path.isAbsolute(file) ? path.join(dir, file) : file } : null;
  if (data !== undefined && data !== null && data !== '') return typeof data === 'string' ? { data } : null;
  return undefined;
}

/**
 * The connection settings of `parsed` (with `context` instead of its current-context), or
 * undefined when it needs client-node: an unknown or unusual field anywhere in the chosen
 * context, cluster or user, or anything client-node would reject (it then reports it).
 */
export function directConfig(parsed: ParsedKubeconfig, context?: string): DirectConfig | undefined {
  const cfg = parsed.config;
  const ctxName = context || cfg['current-context'];
  const ctxEntry = named(cfg.contexts, ctxName);
  const ctx = ctxEntry?.context;
  if (!ctx || typeof ctx !== 'object' || typeof ctx.cluster !== 'string' || typeof ctx.user !== 'string') return undefined;
  if (Object.keys(ctx).some((k) => !['cluster', 'user', 'namespace', 'extensions'].includes(k))) return undefined;
  const cluster = named(cfg.clusters, ctx.cluster)?.cluster;
  const userEntry = named(cfg.users, ctx.user);
  const user = userEntry?.user ?? {};
  if (!cluster || typeof cluster !== 'object' || !userEntry || typeof user !== 'object') return undefined;
  if (Object.keys(cluster).some((k) => !CLUSTER_KEYS.has(k)) || Object.keys(user).some((k) => !USER_KEYS.has(k))) return undefined;
  if (typeof cluster.server !== 'string' || !/^https:\/\/[^/]/.test(cluster.server)) return undefined;
  const dir = parsed.dir;
  const ca = source(cluster['certificate-authority'], cluster['certificate-authority-data'], dir);
  const cert = source(user['client-certificate'], user['client-certificate-data'], dir);
  const key = source(user['client-key'], user['client-key-data'], dir);
  if (ca === null || cert === null || key === null) return undefined;
  const skip = cluster['insecure-skip-tls-verify'];
  if (skip !== undefined && typeof skip !== 'boolean') return undefined;
  const servername = cluster['tls-server-name'];
  if (servername !== undefined && (typeof servername !== 'string' || !servername)) return undefined;
  for (const k of ['token', 'username', 'password']) if (user[k] !== undefined && typeof user[k] !== 'string') return undefined;
  if (user.password !== undefined && user.username === undefined) return undefined;
  const authorization = user.token
    ? `Bearer ${user.token}`
    : user.username
      ? `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`
      : undefined;
  return {
    server: cluster.server.replace(/\/$/, ''),
    defaultNamespace: (typeof ctx.namespace === 'string' && ctx.namespace) || 'default',
    user: userEntry.name,
    ...(authorization ? { authorization } : {}),
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(skip === true ? { rejectUnauthorized: false as const } : {}),
    ...(servername ? { servername } : {}),
  };
}
