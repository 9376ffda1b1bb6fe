/**
 * An in-memory `KubeClient` for unit tests of the engine (and of front ends built on it).
 *
 * - Objects live in a map; every change bumps resourceVersion (and generation on spec changes)
 *   and is broadcast to watches.
 * - Deletion honours finalizers (deletionTimestamp until the last one goes) and cascades to
 *   objects owned by the deleted one.
 * - "Controllers" are scripted: `react(match, reaction)` runs after each apply/create of a
 *   matching object (see fake-reactions.ts: `completeJob`, `failJob`, `readyDeployment`...).
 *   Objects without a reaction get `defaultReaction` (Jobs complete, Pods succeed, workloads
 *   become ready at the current generation), like the kwok test cluster.
 * - `failOn(verb, match, message)` injects API errors; `breakWatches` closes every watch and
 *   `watchesBroken` makes new ones fail, to exercise the polling fallback.
 * - `log` records every mutating call in order, for assertions on ordering.
 */
import { KubeObject, groupOf } from '../../src/model';
import {
  FinalizerPatch,
  KubeApiError,
  KubeClient,
  ListQuery,
  LogOptions,
  ObjectRef,
  PropagationPolicy,
  DeleteOpts,
  WatchEventType,
  WatchHandle,
  refId,
  refOf,
  WriteOpts,
} from '../../src/engine/client';
import { defaultReaction } from './fake-reactions';

export type FakeVerb = 'apply' | 'create' | 'replace' | 'delete' | 'patchFinalizers' | 'status' | 'removed';

export interface FakeLogEntry {
  seq: number;
  verb: FakeVerb;
  /** `group/Kind/ns/name` */
  id: string;
  dryRun?: boolean;
  /** apply/create: the object as sent; delete: the propagation policy; patchFinalizers: the patch. */
  detail?: unknown;
}

/** Matches objects by kind / name / namespace (all optional), or by a predicate. */
export type FakeMatch =
  | { kind?: string; name?: string | RegExp; namespace?: string }
  | ((obj: KubeObject | ObjectRef) => boolean);

export type Reaction = (live: KubeObject, fake: FakeKubeClient) => void;

interface Watcher {
  query: ListQuery;
  onEvent: (type: WatchEventType, obj: KubeObject) => void;
  onClose: (err?: unknown) => void;
  stopped: boolean;
}

const BUILTIN_KINDS: Array<[string, string, boolean]> = [
  ['v1', 'Namespace', false],
  ['v1', 'ConfigMap', true],
  ['v1', 'Secret', true],
  ['v1', 'Service', true],
  ['v1', 'ServiceAccount', true],
  ['v1', 'Pod', true],
  ['v1', 'PersistentVolumeClaim', true],
  ['apps/v1', 'Deployment', true],
  ['apps/v1', 'StatefulSet', true],
  ['apps/v1', 'DaemonSet', true],
  ['apps/v1', 'ReplicaSet', true],
  ['batch/v1', 'Job', true],
  ['batch/v1', 'CronJob', true],
  ['coordination.k8s.io/v1', 'Lease', true],
  ['rbac.authorization.k8s.io/v1', 'Role', true],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', true],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', false],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', false],
  ['networking.k8s.io/v1', 'Ingress', true],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', false],
];

function nameOf(o: KubeObject | ObjectRef): string {
  return 'metadata' in o ? o.metadata?.name ?? '' : o.name;
}
function nsOf(o: KubeObject | ObjectRef): string | undefined {
  return 'metadata' in o ? o.metadata?.namespace : o.namespace;
}

export function matches(m: FakeMatch, o: KubeObject | ObjectRef): boolean {
  if (typeof m === 'function') return m(o);
  if (m.kind !== undefined && m.kind !== o.kind) return false;
  if (m.namespace !== undefined && m.namespace !== nsOf(o)) return false;
  if (m.name !== undefined) {
    const n = nameOf(o);
    if (typeof m.name === 'string' ? m.name !== n : !m.name.test(n)) return false;
  }
  return true;
}

const clone = <T>(x: T): T => structuredClone(x);

function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => JSON.stringify({ ...o, metadata: undefined, status: undefined });
  return strip(a) !== strip(b);
}

export class FakeKubeClient implements KubeClient {
  readonly log: FakeLogEntry[] = [];
  /** When true, new watches close at once with an error (the engine must poll). */
  watchesBroken = false;
  /** Milliseconds a deleted object without finalizers lingers (deletionTimestamp set) before it goes. */
  deletionDelayMs = 0;

  private readonly store = new Map<string, KubeObject>();
  private readonly served = new Map<string, boolean>();
  private readonly reactions: Array<{ match: FakeMatch; reaction: Reaction }> = [];
  private readonly faults: Array<{ verb: FakeVerb; match: FakeMatch; error: KubeApiError; dryRun?: boolean; times: number }> = [];
  private readonly logs = new Map<string, string>();
  private readonly watchers = new Set<Watcher>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private rv = 1;
  private seq = 0;
  private uid = 0;

  constructor(opts: { served?: Array<[apiVersion: string, kind: string, namespaced: boolean]> } = {}) {
    for (const [v, k, n] of opts.served ?? BUILTIN_KINDS) this.serve(v, k, n);
  }

  // ---- test controls ----------------------------------------------------------------------

  serve(apiVersion: string, kind: string, namespaced: boolean): void {
    this.served.set(`${apiVersion}|${kind}`, namespaced);
  }

  /** Runs `reaction` after every apply/create of a matching object (latest registration wins). */
  react(match: FakeMatch, reaction: Reaction): this {
    this.reactions.unshift({ match, reaction });
    return this;
  }

  /** Makes the next `times` calls of `verb` on a matching object fail with `message` (HTTP `status`). */
  failOn(verb: FakeVerb, match: FakeMatch, message: string, opts: { status?: number; times?: number; dryRun?: boolean } = {}): this {
    const status = opts.status ?? 422;
    this.faults.push({
      verb,
      match,
      error: new KubeApiError(status, status === 422 ? 'Invalid' : 'InternalError', message),
      dryRun: opts.dryRun,
      times: opts.times ?? Infinity,
    });
    return this;
  }

  setPodLogs(namespace: string, pod: string, text: string): void {
    this.logs.set(`${namespace}/${pod}`, text);
  }

  /** Puts an object in the store as if it already existed (no reaction, logged as nothing). */
  seed(obj: KubeObject): KubeObject {
    return this.write(this.materialize(clone(obj), undefined), 'ADDED');
  }

  /** Merges `status` into the live object (a controller writing status). */
  setStatus(ref: ObjectRef, status: Record<string, unknown>): KubeObject | undefined {
    const live = this.store.get(refId(ref));
    if (!live) return undefined;
    const next = clone(live);
    next.status = { ...(next.status ?? {}), ...clone(status) };
    this.record('status', ref);
    return this.write(next, 'MODIFIED');
  }

  /** Runs `fn` after `ms` (timers are cleared by `dispose`). */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Closes every open watch with an error, as a dropped connection would. */
  breakWatches(err: unknown = new Error('connection reset')): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.stopped = true;
      w.onClose(err);
    }
  }

  openWatchCount(): number {
    return this.watchers.size;
  }

  /** Live objects, optionally filtered. */
  objects(match?: FakeMatch): KubeObject[] {
    return [...this.store.values()].filter((o) => !match || matches(match, o)).map(clone);
  }

  peek(ref: ObjectRef): KubeObject | undefined {
    const o = this.store.get(refId(ref));
    return o && clone(o);
  }

  /** Log entries of a verb (optionally only those whose id contains `idPart`). */
  entries(verb?: FakeVerb, idPart?: string, includeDryRun = false): FakeLogEntry[] {
    return this.log.filter((e) => (!verb || e.verb === verb) && (!idPart || e.id.includes(idPart)) && (includeDryRun || !e.dryRun));
  }

  /** Sequence number of the first matching log entry, or -1. */
  seqOf(verb: FakeVerb, idPart: string): number {
    return this.entries(verb, idPart)[0]?.seq ?? -1;
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of this.watchers) w.stopped = true;
    this.watchers.clear();
  }

  // ---- KubeClient ---------------------------------------------------------------------------

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    // Like the API server: a kind that is not served is a 404, i.e. no such object.
    if (!this.served.has(`${ref.apiVersion}|${ref.kind}`)) return undefined;
    const o = this.store.get(refId(ref));
    return o && clone(o);
  }

  async list(q: ListQuery): Promise<KubeObject[]> {
    this.assertServed(q.apiVersion, q.kind);
    return [...this.store.values()].filter((o) => this.inQuery(q, o)).map(clone);
  }

  watch(
    query: ListQuery,
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
    onClose: (err?: unknown) => void,
    onOpen?: () => void,
  ): WatchHandle {
    const w: Watcher = { query, onEvent, onClose, stopped: false };
    if (this.watchesBroken) {
      queueMicrotask(() => !w.stopped && onClose(new Error('watch refused (watchesBroken)')));
    } else {
      this.watchers.add(w);
      const initial = [...this.store.values()].filter((o) => this.inQuery(query, o)).map(clone);
      queueMicrotask(() => {
        if (!w.stopped) onOpen?.();
        for (const o of initial) if (!w.stopped) onEvent('ADDED', o);
      });
    }
    return {
      stop: () => {
        w.stopped = true;
        this.watchers.delete(w);
      },
    };
  }

  async apply(obj: KubeObject, opts: WriteOpts = {}): Promise<KubeObject> {
    this.assertServed(obj.apiVersion, obj.kind);
    if (!obj.metadata?.name) throw new KubeApiError(422, 'Invalid', `${obj.kind}: metadata.name: Required value`);
    this.checkNamespace(obj);
    this.record('apply', refOf(obj), clone(obj), opts.dryRun);
    this.fault('apply', obj, opts.dryRun);
    const id = refId(refOf(obj));
    const live = this.store.get(id);
    if (live?.metadata.deletionTimestamp)
      throw new KubeApiError(409, 'Conflict', `${obj.kind} "${obj.metadata.name}" is being deleted`);
    // As the API server: a resourceVersion in the applied object is a precondition.
    if (obj.metadata.resourceVersion !== undefined && obj.metadata.resourceVersion !== live?.metadata.resourceVersion)
      throw new KubeApiError(409, 'Conflict', `${obj.kind} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    const next = this.materialize(clone(obj), live);
    if (opts.dryRun) return next;
    const written = this.write(next, live ? 'MODIFIED' : 'ADDED');
    this.runReactions(written);
    return clone(written);
  }

  async replace(obj: KubeObject, opts: WriteOpts = {}): Promise<KubeObject> {
    this.assertServed(obj.apiVersion, obj.kind);
    this.record('replace', refOf(obj), clone(obj), opts.dryRun);
    this.fault('replace', obj, opts.dryRun);
    const live = this.store.get(refId(refOf(obj)));
    if (!live) throw new KubeApiError(404, 'NotFound', `${obj.kind} "${obj.metadata.name}" not found`);
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== live.metadata.resourceVersion) throw new KubeApiError(409, 'Conflict', `${obj.kind} "${obj.metadata.name}": the object has been modified`);
    // A PUT replaces the whole object: nothing of the live spec/data survives, status is the server's.
    const body = clone(obj);
    delete body.status;
    const next = this.materialize(body, { ...live, spec: undefined, data: undefined } as KubeObject);
    if (opts.dryRun) return next;
    const written = this.write(next, 'MODIFIED');
    this.runReactions(written);
    return clone(written);
  }

  async create(obj: KubeObject, opts: WriteOpts = {}): Promise<KubeObject> {
    this.assertServed(obj.apiVersion, obj.kind);
    this.checkNamespace(obj);
    const o = clone(obj);
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = `${o.metadata.generateName}${(++this.uid).toString(36).padStart(5, 'x')}`;
    if (!o.metadata.name) throw new KubeApiError(422, 'Invalid', `${obj.kind}: metadata.name or generateName is required`);
    this.record('create', refOf(o), clone(o), opts.dryRun);
    this.fault('create', o, opts.dryRun);
    if (this.store.has(refId(refOf(o))))
      throw new KubeApiError(409, 'AlreadyExists', `${o.kind} "${o.metadata.name}" already exists`);
    const next = this.materialize(o, undefined);
    if (opts.dryRun) return next;
    const written = this.write(next, 'ADDED');
    this.runReactions(written);
    return clone(written);
  }

  async delete(ref: ObjectRef, opts: DeleteOpts = {}): Promise<boolean> {
    this.assertServed(ref.apiVersion, ref.kind);
    const policy = opts.propagationPolicy ?? 'Foreground';
    this.record('delete', ref, policy);
    this.fault('delete', ref);
    const live = this.store.get(refId(ref));
    if (!live) return false;
    if (opts.ifResourceVersion && live.metadata.resourceVersion !== opts.ifResourceVersion) {
      throw new KubeApiError(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${opts.ifResourceVersion}, ResourceVersion in object meta: ${live.metadata.resourceVersion}`);
    }
    if (policy !== 'Orphan') this.cascade(live, policy);
    if (!live.metadata.deletionTimestamp) {
      const next = clone(live);
      next.metadata.deletionTimestamp = new Date().toISOString();
      this.write(next, 'MODIFIED');
    }
    this.finishDeletionSoon(ref);
    return true;
  }

  async patchFinalizers(ref: ObjectRef, patch: FinalizerPatch): Promise<KubeObject | undefined> {
    this.assertServed(ref.apiVersion, ref.kind);
    const live = this.store.get(refId(ref));
    if (!live) return undefined;
    this.record('patchFinalizers', ref, patch);
    this.fault('patchFinalizers', ref);
    const next = clone(live);
    const fins = (next.metadata.finalizers ?? []).filter((f) => !(patch.remove ?? []).includes(f));
    for (const f of patch.add ?? []) if (!fins.includes(f)) fins.push(f);
    next.metadata.finalizers = fins;
    const written = this.write(next, 'MODIFIED');
    if (written.metadata.deletionTimestamp) this.finishDeletionSoon(ref);
    return clone(written);
  }

  async podLogs(namespace: string, pod: string, opts: LogOptions = {}): Promise<string | undefined> {
    const text = this.logs.get(`${namespace}/${pod}`);
    if (text === undefined) return undefined;
    const lines = text.replace(/\n$/, '').split('\n');
    return lines.slice(-(opts.tailLines ?? 50)).join('\n');
  }

  async isServed(apiVersion: string, kind: string): Promise<boolean> {
    return this.served.has(`${apiVersion}|${kind}`);
  }

  async isNamespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    return this.served.get(`${apiVersion}|${kind}`);
  }

  // ---- internals --------------------------------------------------------------------------

  private assertServed(apiVersion: string, kind: string): void {
    if (!this.served.has(`${apiVersion}|${kind}`))
      throw new KubeApiError(404, 'NotFound', `the server could not find the requested resource (${kind} ${apiVersion})`);
  }

  private checkNamespace(obj: KubeObject): void {
    const ns = obj.metadata?.namespace;
    if (ns && this.served.get(`${obj.apiVersion}|${obj.kind}`) && !this.store.has(`/Namespace//${ns}`))
      throw new KubeApiError(404, 'NotFound', `namespaces "${ns}" not found`);
  }

  private record(verb: FakeVerb, ref: ObjectRef, detail?: unknown, dryRun?: boolean): void {
    this.log.push({ seq: ++this.seq, verb, id: refId(ref), detail, ...(dryRun ? { dryRun: true } : {}) });
  }

  private fault(verb: FakeVerb, o: KubeObject | ObjectRef, dryRun?: boolean): void {
    const f = this.faults.find((x) => x.verb === verb && x.times > 0 && (x.dryRun === undefined || x.dryRun === !!dryRun) && matches(x.match, o));
    if (!f) return;
    f.times--;
    throw f.error;
  }

  private inQuery(q: ListQuery, o: KubeObject): boolean {
    if (o.kind !== q.kind || groupOf(o.apiVersion) !== groupOf(q.apiVersion)) return false;
    if (q.namespace && o.metadata.namespace !== q.namespace) return false;
    if (q.labelSelector) {
      for (const term of q.labelSelector.split(',')) {
        const [k, v] = term.split('=');
        if ((o.metadata.labels ?? {})[k] !== v) return false;
      }
    }
    return true;
  }

  /** Turns a manifest into the object the server would store (merging onto `live`). */
  private materialize(obj: KubeObject, live: KubeObject | undefined): KubeObject {
    const meta = obj.metadata;
    if (!live) {
      meta.uid = `uid-${++this.uid}`;
      meta.creationTimestamp = new Date().toISOString();
      meta.generation = 1;
      // The API server defaults a new Pod's phase to Pending.
      if (obj.kind === 'Pod' && obj.apiVersion === 'v1' && !obj.status?.phase) obj.status = { ...(obj.status ?? {}), phase: 'Pending' };
      return obj;
    }
    const next: KubeObject = { ...clone(live), ...obj, status: live.status };
    next.metadata = {
      ...live.metadata,
      ...meta,
      labels: { ...(live.metadata.labels ?? {}), ...(meta.labels ?? {}) },
      annotations: { ...(live.metadata.annotations ?? {}), ...(meta.annotations ?? {}) },
      finalizers: [...new Set([...(live.metadata.finalizers ?? []), ...(meta.finalizers ?? [])])],
      uid: live.metadata.uid,
      creationTimestamp: live.metadata.creationTimestamp,
      generation: (live.metadata.generation ?? 1) + (specChanged(live, next) ? 1 : 0),
    };
    return next;
  }

  private write(obj: KubeObject, type: WatchEventType): KubeObject {
    obj.metadata.resourceVersion = String(++this.rv);
    this.store.set(refId(refOf(obj)), obj);
    this.broadcast(type, obj);
    return obj;
  }

  private broadcast(type: WatchEventType, obj: KubeObject): void {
    for (const w of [...this.watchers]) {
      if (w.stopped || !this.inQuery(w.query, obj)) continue;
      const copy = clone(obj);
      queueMicrotask(() => !w.stopped && w.onEvent(type, copy));
    }
  }

  private runReactions(obj: KubeObject): void {
    const r = this.reactions.find((x) => matches(x.match, obj));
    (r?.reaction ?? defaultReaction)(clone(obj), this);
  }

  private cascade(owner: KubeObject, policy: PropagationPolicy): void {
    for (const o of [...this.store.values()]) {
      if ((o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid)) {
        void this.delete(refOf(o), { propagationPolicy: policy });
      }
    }
  }

  private finishDeletionSoon(ref: ObjectRef): void {
    const finish = () => {
      const live = this.store.get(refId(ref));
      if (!live?.metadata.deletionTimestamp || (live.metadata.finalizers ?? []).length > 0) return;
      this.store.delete(refId(ref));
      this.record('removed', ref);
      this.broadcast('DELETED', clone(live));
    };
    if (this.deletionDelayMs > 0) this.later(this.deletionDelayMs, finish);
    else finish();
  }

  /** @internal used by reactions */
  writeStatus(ref: ObjectRef, status: Record<string, unknown>): KubeObject | undefined {
    return this.setStatus(ref, status);
  }

  /** @internal used by reactions: stores a new object without running reactions. */
  put(obj: KubeObject): KubeObject {
    const live = this.store.get(refId(refOf(obj)));
    return this.write(this.materialize(clone(obj), live), live ? 'MODIFIED' : 'ADDED');
  }
}
