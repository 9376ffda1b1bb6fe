/**
 * The one narrow seam between the engine and Kubernetes. Everything the engine does to a cluster
 * goes through `KubeClient`; `createKubeClient` (kube-client.ts) implements it with
 * `@kubernetes/client-node`, `FakeKubeClient` (test/support/fake-client.ts) in memory for unit tests.
 */
import { KubeObject } from '../model';
import type { RequestStats } from './rest/transport';

/** Field manager of every server-side apply and patch the engine makes. */
export const FIELD_MANAGER = 'sync-hooks';

/** Enough to address one object: its API version and kind, namespace (namespaced kinds) and name. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface ListQuery {
  apiVersion: string;
  kind: string;
  /** Omit for cluster-scoped kinds, or to list across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A live watch. `stop()` is idempotent; `onClose` is not called after a `stop()`. */
export interface WatchHandle {
  stop(): void;
}

export interface FinalizerPatch {
  add?: string[];
  remove?: string[];
}

/** How the API server treats unknown fields (kubectl `--validate`); unset: the server's default. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface WriteOpts {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
}

export interface LogOptions {
  container?: string;
  tailLines?: number;
}

export interface KubeClient {
  /** The object, or `undefined` when it does not exist (404). */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Objects matching the query (items always carry apiVersion and kind). */
  list(query: ListQuery): Promise<KubeObject[]>;
  /**
   * Watches objects matching `query`. A watch starts with one ADDED event per existing object, then
   * reports changes. `onClose` is called once when the watch ends for any reason other than `stop()`
   * (server timeout, network error); the caller decides whether to re-watch.
   */
  watch(
    query: ListQuery,
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
    onClose: (err?: unknown) => void,
    /**
     * Called once the watch is established on the server. Objects deleted before this moment are
     * simply absent from the initial ADDED events (no DELETED): re-read what you wait on here.
     */
    onOpen?: () => void,
  ): WatchHandle;
  /** Server-side apply with field manager `sync-hooks` and `force: true`. Needs metadata.name. */
  apply(obj: KubeObject, opts?: WriteOpts): Promise<KubeObject>;
  /** Plain create (POST); honours metadata.generateName. Throws a 409 KubeApiError if the name is taken. */
  create(obj: KubeObject, opts?: WriteOpts): Promise<KubeObject>;
  /**
   * Replace (PUT) of an existing object (`Replace=true`, kubectl replace); `obj.metadata.resourceVersion`
   * makes it conditional. Throws a 404 KubeApiError when the object does not exist.
   */
  replace(obj: KubeObject, opts?: WriteOpts): Promise<KubeObject>;
  /**
   * Deletes (default propagation Foreground). Resolves false when the object did not exist.
   * `ifResourceVersion`: only that version of it (a 409 KubeApiError when it changed since).
   */
  delete(ref: ObjectRef, opts?: DeleteOpts): Promise<boolean>;
  /**
   * Adds/removes finalizers. Resolves `undefined` when the object does not exist. `current`: the
   * object as last seen (a watch event, a read just made): the first attempt is conditional on its
   * resourceVersion instead of reading the object first (a conflict reads it and tries again).
   */
  patchFinalizers(ref: ObjectRef, patch: FinalizerPatch, current?: KubeObject): Promise<KubeObject | undefined>;
  /** The tail of a pod container's logs, or `undefined` when logs are unavailable. Never throws. */
  podLogs(namespace: string, pod: string, opts?: LogOptions): Promise<string | undefined>;
  /** Discovery: does the API server serve this kind at this apiVersion (now)? */
  isServed(apiVersion: string, kind: string): Promise<boolean>;
  /** Discovery: `undefined` when the kind is not served. */
  isNamespaced(apiVersion: string, kind: string): Promise<boolean | undefined>;
  /** Releases connections (watches, agents). Optional. */
  close?(): void;
  /** What the REST layer retried so far (real client only). */
  requestStats?(): RequestStats;
}

/** An error answered by the API server (or the fake), with its HTTP status and Status.reason. */
export class KubeApiError extends Error {
  override readonly name: string = 'KubeApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export interface DeleteOpts {
  propagationPolicy?: PropagationPolicy;
  ifResourceVersion?: string;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 409;
}

export function refOf(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name ?? '' };
  if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/** `Kind ns/name` for messages. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** Identity string of a ref, version-independent: `group/Kind/ns/name` (same shape as formatKey). */
export function refId(ref: ObjectRef): string {
  const i = ref.apiVersion.indexOf('/');
  const group = i < 0 ? '' : ref.apiVersion.slice(0, i);
  return `${group}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}
