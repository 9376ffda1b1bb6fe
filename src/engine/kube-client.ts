/**
 * The real `KubeClient`: REST through kube-connection.ts (Node's https for the common
 * kubeconfigs, client-node's KubeConfig and its undici for the others), watches by
 * rest/watch-stream.ts.
 *
 * Object requests are plain REST calls authenticated by client-node, not `KubernetesObjectApi`:
 * that class serializes built-in kinds through the client's generated models, which silently drops
 * every field the models do not know (a typo, or a field newer than the client) before the
 * server-side apply; the API server must see the manifest as written.
 *
 * client-node is ESM-only and heavy, so it is required lazily, and only when the kubeconfig needs it.
 */
import * as crypto from 'node:crypto';
import { ANNOTATION_CREATE_TOKEN, KubeObject, LABEL_OPERATION } from '../model';
import {
  FIELD_MANAGER,
  FinalizerPatch,
  KubeApiError,
  KubeClient,
  ListQuery,
  LogOptions,
  ObjectRef,
  DeleteOpts,
  WatchEventType,
  WatchHandle,
  WriteOpts,
  describeRef,
  isConflict,
  isNotFound,
} from './client';
import { AmbiguousCreateError, KubeAuthError, RequestAbout } from './rest/errors';
import { RetryPolicy } from './rest/policy';
import { HttpResponse, RecoverResult, RequestStats, RestRequest, RestTransport, RetryEvent, SendInit } from './rest/transport';
import { KubeConnection, openConnection } from './kube-connection';
import { watchStream } from './rest/watch-stream';
import { builtinResource } from './builtin-resources';

/** How long a pod log read may take before it counts as "logs unavailable". */
const LOG_TIMEOUT_MS = 5_000;

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

function withKind(items: KubeObject[], apiVersion: string, kind: string): KubeObject[] {
  return items.map((o) => ({ ...o, apiVersion: o.apiVersion ?? apiVersion, kind: o.kind ?? kind }));
}

function describeCollection(kind: string, namespace: string | undefined): string {
  return namespace ? `${kind} objects in namespace ${namespace}` : `${kind} objects`;
}

function describeBody(obj: KubeObject): string {
  const name = obj.metadata?.name ?? `${obj.metadata?.generateName ?? ''}*`;
  return describeRef({ apiVersion: obj.apiVersion, kind: obj.kind, name, namespace: obj.metadata?.namespace });
}

/** Options of `createKubeClient`. */
export interface KubeClientOptions {
  /** Overrides of the retry policy (defaults: DEFAULT_RETRY_POLICY). */
  retry?: Partial<RetryPolicy>;
  /** Called before each retry (and each look-up of a create whose outcome is unknown). */
  onRetry?: (e: RetryEvent) => void;
}

class RestKubeClient implements KubeClient {
  private readonly discovery = new Map<string, Promise<ApiResource[] | undefined>>();
  private readonly watches = new Set<WatchHandle>();
  private readonly server: string;
  private readonly defaultNamespace: string;
  private readonly user: string;
  private readonly rest: RestTransport;

  constructor(
    private readonly conn: KubeConnection,
    opts: KubeClientOptions = {},
  ) {
    this.server = conn.server;
    this.defaultNamespace = conn.defaultNamespace;
    this.user = conn.user;
    this.rest = new RestTransport({ server: this.server, user: this.user, send: (url, init) => this.send(url, init), policy: opts.retry, onRetry: opts.onRetry });
  }

  requestStats(): RequestStats {
    return this.rest.stats();
  }

  // ---- HTTP -------------------------------------------------------------------------------

  /** One HTTP exchange, authenticated by the connection; retries and errors are the transport's. */
  private send(url: URL, init: SendInit): Promise<HttpResponse> {
    return this.conn.send(url, init);
  }

  private request(method: string, path: string, about: RequestAbout, opts: Omit<RestRequest, 'method' | 'path' | 'about'> = {}): Promise<any> {
    return this.rest.request({ method, path, about, ...opts });
  }

  // ---- discovery --------------------------------------------------------------------------

  private async resources(apiVersion: string, refresh: boolean): Promise<ApiResource[] | undefined> {
    if (refresh || !this.discovery.has(apiVersion)) {
      const p = this.request('GET', groupVersionPath(apiVersion), { verb: 'discover', object: `API ${apiVersion}` }).then(
        (list: any) => (list?.resources ?? []).filter((r: ApiResource) => !r.name.includes('/')) as ApiResource[],
        (err: unknown) => {
          if (isNotFound(err)) return undefined;
          this.discovery.delete(apiVersion);
          throw err;
        },
      );
      this.discovery.set(apiVersion, p);
    }
    return this.discovery.get(apiVersion);
  }

  private async resource(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const builtin = builtinResource(apiVersion, kind);
    if (builtin) return builtin;
    const cached = (await this.resources(apiVersion, false))?.find((r) => r.kind === kind);
    if (cached) return cached;
    // A miss may be a CRD established since the last look: ask again.
    return (await this.resources(apiVersion, true))?.find((r) => r.kind === kind);
  }

  private async collectionPath(apiVersion: string, kind: string, namespace: string | undefined, forWatch = false): Promise<string> {
    const r = await this.resource(apiVersion, kind);
    if (!r) throw new KubeApiError(404, 'NotFound', `the server does not serve ${kind} in ${apiVersion}`);
    const ns = r.namespaced ? namespace ?? (forWatch ? undefined : this.defaultNamespace) : undefined;
    return `${groupVersionPath(apiVersion)}${ns ? `/namespaces/${encodeURIComponent(ns)}` : ''}/${r.name}`;
  }

  private async objectPath(ref: ObjectRef): Promise<string> {
    return `${await this.collectionPath(ref.apiVersion, ref.kind, ref.namespace)}/${encodeURIComponent(ref.name)}`;
  }

  async isServed(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.resource(apiVersion, kind)) !== undefined;
  }

  async isNamespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    return (await this.resource(apiVersion, kind))?.namespaced;
  }

  // ---- objects ----------------------------------------------------------------------------

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.request('GET', await this.objectPath(ref), { verb: 'get', object: describeRef(ref) });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async list(q: ListQuery): Promise<KubeObject[]> {
    const path = await this.collectionPath(q.apiVersion, q.kind, q.namespace, true);
    const list = await this.request('GET', path, { verb: 'list', object: describeCollection(q.kind, q.namespace) }, { query: { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector } });
    return withKind(list?.items ?? [], q.apiVersion, q.kind);
  }

  async apply(obj: KubeObject, opts: WriteOpts = {}): Promise<KubeObject> {
    if (!obj.metadata?.name) throw new Error(`cannot apply ${obj.kind} without metadata.name`);
    // JSON is YAML, so the apply-patch body is the object as JSON.
    const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
    return this.request('PATCH', await this.objectPath(ref), { verb: opts.dryRun ? 'apply (dry run)' : 'apply', object: describeRef(ref) }, {
      query: { fieldManager: FIELD_MANAGER, force: 'true', dryRun: opts.dryRun ? 'All' : undefined, fieldValidation: opts.fieldValidation },
      body: obj,
      contentType: 'application/apply-patch+yaml',
    });
  }

  async create(obj: KubeObject, opts: WriteOpts = {}): Promise<KubeObject> {
    const path = await this.collectionPath(obj.apiVersion, obj.kind, obj.metadata?.namespace);
    const about = { verb: opts.dryRun ? 'create (dry run)' : 'create', object: describeBody(obj) };
    const fieldValidation = opts.fieldValidation;
    if (opts.dryRun) return this.request('POST', path, about, { query: { fieldManager: FIELD_MANAGER, dryRun: 'All', fieldValidation }, body: obj });
    // A token per create: after a connection broke mid-POST, it tells our object from anyone else's.
    const token = crypto.randomBytes(8).toString('hex');
    const body: KubeObject = { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata?.annotations, [ANNOTATION_CREATE_TOKEN]: token } } };
    return this.request('POST', path, about, { query: { fieldManager: FIELD_MANAGER, fieldValidation }, body, recover: () => this.findCreated(body, token) });
  }

  async replace(obj: KubeObject, opts: WriteOpts = {}): Promise<KubeObject> {
    if (!obj.metadata?.name) throw new Error(`cannot replace ${obj.kind} without metadata.name`);
    const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
    return this.request('PUT', await this.objectPath(ref), { verb: opts.dryRun ? 'replace (dry run)' : 'replace', object: describeRef(ref) }, {
      query: { fieldManager: FIELD_MANAGER, dryRun: opts.dryRun ? 'All' : undefined, fieldValidation: opts.fieldValidation },
      body: obj,
    });
  }

  /** After an ambiguous POST: the object that attempt created, found by its create token. */
  private async findCreated(body: KubeObject, token: string): Promise<RecoverResult> {
    const namespace = body.metadata.namespace ?? this.defaultNamespace;
    let candidates: KubeObject[];
    if (body.metadata.name) {
      const live = await this.get({ apiVersion: body.apiVersion, kind: body.kind, name: body.metadata.name, namespace });
      candidates = live ? [live] : [];
    } else {
      const op = body.metadata.labels?.[LABEL_OPERATION];
      if (!op) throw new AmbiguousCreateError(describeBody(body), `it has neither a name nor a ${LABEL_OPERATION} label to look it up by`);
      const listed = await this.list({ apiVersion: body.apiVersion, kind: body.kind, namespace, labelSelector: `${LABEL_OPERATION}=${op}` });
      candidates = listed.filter((o) => o.metadata.generateName === body.metadata.generateName);
    }
    const mine = candidates.find((o) => o.metadata.annotations?.[ANNOTATION_CREATE_TOKEN] === token);
    return mine ? { found: true, value: mine } : { found: false };
  }

  async delete(ref: ObjectRef, opts: DeleteOpts = {}): Promise<boolean> {
    try {
      const preconditions = opts.ifResourceVersion ? { preconditions: { resourceVersion: opts.ifResourceVersion } } : {};
      await this.request('DELETE', await this.objectPath(ref), { verb: 'delete', object: describeRef(ref) }, {
        body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: opts.propagationPolicy ?? 'Foreground', ...preconditions },
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async patchFinalizers(ref: ObjectRef, patch: FinalizerPatch, seen?: KubeObject): Promise<KubeObject | undefined> {
    const path = await this.objectPath(ref);
    let hint = seen?.metadata?.resourceVersion ? seen : undefined;
    for (let attempt = 0; ; attempt++) {
      const live = hint ?? (await this.get(ref));
      const fromHint = live === hint;
      hint = undefined;
      if (!live) return undefined;
      const current = live.metadata.finalizers ?? [];
      const next = [...current.filter((f) => !(patch.remove ?? []).includes(f))];
      for (const f of patch.add ?? []) if (!next.includes(f)) next.push(f);
      if (next.length === current.length && next.every((f, i) => f === current[i])) {
        // Nothing to change by what was seen: confirm on the live object.
        if (fromHint) continue;
        return live;
      }
      try {
        // resourceVersion makes the merge patch conditional: a concurrent change gives 409 and a retry.
        return await this.request('PATCH', path, { verb: 'patch the finalizers of', object: describeRef(ref) }, {
          query: { fieldManager: FIELD_MANAGER },
          body: { metadata: { finalizers: next, resourceVersion: live.metadata.resourceVersion } },
          contentType: 'application/merge-patch+json',
        });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (!isConflict(err) || attempt >= 5) throw err;
      }
    }
  }

  async podLogs(namespace: string, pod: string, opts: LogOptions = {}): Promise<string | undefined> {
    try {
      const text: string = await this.request(
        'GET',
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
        { verb: 'read the logs of', object: `Pod ${namespace}/${pod}` },
        {
          query: { container: opts.container, tailLines: String(opts.tailLines ?? 50) },
          text: true,
          timeoutMs: LOG_TIMEOUT_MS,
          // Best effort: a short budget, the failure report must not wait on logs.
          policy: { maxElapsedMs: LOG_TIMEOUT_MS, maxAttempts: 3 },
        },
      );
      return text;
    } catch {
      return undefined;
    }
  }

  // ---- watch ------------------------------------------------------------------------------

  watch(
    q: ListQuery,
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
    onClose: (err?: unknown) => void,
    onOpen?: () => void,
  ): WatchHandle {
    let stopped = false;
    let controller: AbortController | undefined;
    const handle: WatchHandle = {
      stop: () => {
        if (stopped) return;
        stopped = true;
        this.watches.delete(handle);
        controller?.abort();
      },
    };
    this.watches.add(handle);
    const close = (err?: unknown) => {
      if (stopped) return;
      stopped = true;
      this.watches.delete(handle);
      onClose(err);
    };
    (async () => {
      const path = await this.collectionPath(q.apiVersion, q.kind, q.namespace, true);
      const url = new URL(this.server + path);
      for (const [k, v] of Object.entries({ labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, allowWatchBookmarks: 'false' })) if (v !== undefined) url.searchParams.set(k, v);
      controller = await watchStream(
        { url, open: (u, signal) => this.conn.stream(u, signal) },
        (type: string, obj: any) => {
          if (stopped) return;
          if (type === 'ERROR') return close(new KubeApiError(obj?.code ?? 500, obj?.reason ?? 'WatchError', obj?.message ?? 'watch error'));
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')
            onEvent(type, { ...obj, apiVersion: obj.apiVersion ?? q.apiVersion, kind: obj.kind ?? q.kind });
        },
        (err: any) => {
          const status = err?.statusCode;
          // Refused credentials or permissions: typed, so waiters can surface it instead of re-watching blindly.
          if (status === 401 || status === 403) close(new KubeAuthError(status, String(status), 'watch', describeCollection(q.kind, q.namespace), this.user, err.message));
          else close(err ?? undefined);
        },
      );
      if (stopped) controller?.abort();
      else onOpen?.();
    })().catch(close);
    return handle;
  }

  close(): void {
    this.rest.close();
    for (const w of [...this.watches]) w.stop();
    this.conn.close();
  }
}

/**
 * A `KubeClient` for the cluster of a kubeconfig given as a file path, YAML, JSON or base64 text
 * (never quoted in errors: see kubeconfig.ts); without an argument, client-node's default (`KUBECONFIG`, then `~/.kube/config`, then in-cluster).
 */
/** `context` selects a kubeconfig context other than the current one; `opts` tunes the retries. */
export function createKubeClient(kubeconfigPathOrYaml?: string, context?: string, opts: KubeClientOptions = {}): KubeClient {
  return new RestKubeClient(openConnection(kubeconfigPathOrYaml, context), opts);
}
