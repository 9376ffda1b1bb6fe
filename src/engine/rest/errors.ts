/**
 * Typed errors of the REST layer. None of them carries a credential: the user is the kubeconfig's
 * user entry name, the server its URL.
 */
import { KubeApiError } from '../client';

/** What a request was about, for messages: `create` + `Job team/migrate`. */
export interface RequestAbout {
  /** Kubernetes verb: get, list, watch, create, apply, patch, delete, discover, logs. */
  verb: string;
  /** `Kind ns/name`, `Jobs in namespace ns`, `API apps/v1`... */
  object: string;
}

/**
 * 401 (credentials not accepted) or 403 (not allowed). Surfaces at once, never retried, never
 * swallowed while waiting: an RBAC problem must not look like a timeout.
 */
export class KubeAuthError extends KubeApiError {
  override readonly name: string = 'KubeAuthError';
  constructor(
    status: 401 | 403,
    reason: string,
    readonly verb: string,
    readonly object: string,
    /** The kubeconfig user entry the request was made as (a name, never a credential). */
    readonly user: string,
    serverMessage: string,
    body?: unknown,
  ) {
    super(
      status,
      reason,
      status === 401
        ? `unauthorized (401): the API server did not accept the credentials of kubeconfig user "${user}" to ${verb} ${object}: ${serverMessage}`
        : `forbidden (403): kubeconfig user "${user}" may not ${verb} ${object}: ${serverMessage}`,
      body,
    );
  }
}

export function isAuthError(err: unknown): err is KubeAuthError {
  return err instanceof KubeAuthError;
}

/** The API server could not be reached (after the retries the policy allows). */
export class ClusterUnreachableError extends Error {
  override readonly name = 'ClusterUnreachableError';
  constructor(
    readonly server: string,
    /** The socket-level reason: `connect ECONNREFUSED 127.0.0.1:6443`, `read ECONNRESET`... */
    readonly causeText: string,
    readonly verb: string,
    readonly object: string,
    readonly attempts: number,
  ) {
    super(`cannot reach the cluster at ${server}: ${causeText} (${verb} ${object}${attempts > 1 ? `, ${attempts} attempts` : ''})`);
  }
}

/**
 * A create whose outcome is unknown (the connection broke after it was sent) and that could not be
 * looked up: it is not sent again, since that could create the object twice.
 */
export class AmbiguousCreateError extends Error {
  override readonly name = 'AmbiguousCreateError';
  constructor(
    readonly object: string,
    cause: string,
  ) {
    super(`the create of ${object} may or may not have happened (${cause}); it was not sent again`);
  }
}

/** The text of a socket-level error: undici's `fetch failed` hides the reason in `cause`. */
export function causeText(err: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let e: any = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const m = typeof e.message === 'string' ? e.message : '';
    if (m && m !== 'fetch failed' && !parts.includes(m)) parts.push(m);
    e = e.cause;
  }
  if (!parts.length) return typeof err === 'string' ? err : 'fetch failed';
  // Innermost first: the socket's own words are the useful ones.
  return parts.reverse()[0];
}
