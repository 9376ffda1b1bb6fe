/**
 * The operation record: one ConfigMap per application, `sync-hooks-op-<app>` (data key
 * `record.json`), written AS the operation goes, so a run killed at any point leaves behind what
 * the next run needs to continue or to clean up:
 *
 * - the operation: id, kind (sync/teardown), revision (hash of the prepared manifests), status
 *   (Running until it ends), the step reached, who ran it and when;
 * - every hook run of the operation: task, name, uid, status, whether it was deleted;
 * - `written`: every object written for the application that may still exist, recorded BEFORE
 *   the write and removed once it is pruned or deleted.
 *
 * `decide()` is the pure part of resuming: (record, kind, revision, restart) → resume or start over.
 */
import { HOOK_FINALIZER, KubeObject, PlanTask } from '../model';
import { KubeClient, ObjectRef, refId } from './client';
import { EnginePhase } from './events';
import { OperationLock } from './lock';
import { HookStatus } from './types';
import { RecordError } from './operation-errors';

export const RECORD_NAME_PREFIX = 'sync-hooks-op-';
export const RECORD_DATA_KEY = 'record.json';
export const RECORD_FORMAT = 'v1';
export const DEFAULT_RECORD_NAMESPACE = 'default';

export type OperationKind = 'sync' | 'teardown';
export type RecordStatus = 'Running' | 'Succeeded' | 'Failed';

export interface RecordedObject extends ObjectRef {
  /** A hook instance (deleted by the engine's policies, not by prune). */
  hook?: boolean;
  /** The annotations prune and teardown decisions depend on (sync options, waves, resource policy). */
  annotations?: Record<string, string>;
}

export interface RecordedHook extends ObjectRef {
  /** The plan task (`<phase>:<key>`) it runs. */
  task: string;
  phase: EnginePhase;
  wave: number;
  uid?: string;
  /** `Pending`: about to be created (the name is known, the object may not exist). */
  status: HookStatus | 'Pending';
  deleted?: boolean;
}

export interface OperationRecord {
  format: typeof RECORD_FORMAT;
  app: string;
  operation: {
    id: string;
    kind: OperationKind;
    revision: string;
    status: RecordStatus;
    holder: string;
    startedAt: string;
    updatedAt: string;
    phase?: EnginePhase;
    wave?: number;
    message?: string;
  };
  hooks: RecordedHook[];
  written: RecordedObject[];
}

export { RecordError };

export function recordName(app: string): string {
  return `${RECORD_NAME_PREFIX}${app}`;
}

export function recordRef(app: string, namespace = DEFAULT_RECORD_NAMESPACE): ObjectRef {
  return { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: recordName(app) };
}

export function describeRecord(app: string, namespace = DEFAULT_RECORD_NAMESPACE): string {
  return `ConfigMap ${namespace}/${recordName(app)}`;
}

export function parseRecord(cm: KubeObject, app: string): OperationRecord {
  const where = describeRecord(app, cm.metadata?.namespace);
  const raw = (cm.data as Record<string, unknown> | undefined)?.[RECORD_DATA_KEY];
  if (typeof raw !== 'string') throw new RecordError(`${where} has no data key ${RECORD_DATA_KEY}; it was not written by sync-hooks`);
  let rec: OperationRecord;
  try {
    rec = JSON.parse(raw);
  } catch (e) {
    throw new RecordError(`${where}: ${RECORD_DATA_KEY} is not valid JSON (${(e as Error).message})`);
  }
  if (rec?.format !== RECORD_FORMAT || !rec.operation || !Array.isArray(rec.hooks) || !Array.isArray(rec.written)) {
    throw new RecordError(`${where}: not an operation record of format ${RECORD_FORMAT}`);
  }
  return rec;
}

/** What a new operation does with the record it finds. */
export interface ResumeDecision {
  resume: boolean;
  /** Why (for the log). */
  reason: string;
}

/**
 * Pure: an interrupted operation (status Running, its holder gone since we hold the lock) of the
 * same kind and revision is continued; a teardown that failed is continued too (its completed
 * PreDelete hooks are not re-run). A failed or finished sync, another revision, or `restart`
 * start over.
 */
export function decide(prior: OperationRecord | undefined, kind: OperationKind, revision: string, restart: boolean): ResumeDecision {
  if (!prior) return { resume: false, reason: 'no previous operation' };
  const p = prior.operation;
  if (p.kind !== kind) return { resume: false, reason: `the previous operation was a ${p.kind}` };
  if (p.revision !== revision) return { resume: false, reason: 'the manifests changed (new revision)' };
  const resumable = p.status === 'Running' || (kind === 'teardown' && p.status === 'Failed');
  if (!resumable) return { resume: false, reason: `the previous ${p.kind} of this revision ${p.status === 'Succeeded' ? 'succeeded' : 'failed'}` };
  if (restart) return { resume: false, reason: 'asked to restart' };
  return { resume: true, reason: `continuing ${p.kind} ${p.id.slice(0, 7)} (${p.status === 'Running' ? 'interrupted' : 'failed'} at ${p.phase ?? 'start'}${p.wave !== undefined ? ` wave ${p.wave}` : ''}, started ${p.startedAt} by ${p.holder})` };
}

const sameRef = (a: ObjectRef, b: ObjectRef) => refId(a) === refId(b);

export interface RecorderOptions {
  app: string;
  namespace?: string;
  /** Start over even when the record holds an interrupted operation of the same revision. */
  restart?: boolean;
}

/**
 * The record of one application while an operation runs, with the lock that makes it ours. Writes
 * are serialized and coalesced; `requests` counts the API requests the record made.
 */
export class OperationRecorder {
  readonly app: string;
  readonly namespace: string;
  readonly restart: boolean;
  /** The record as found (undefined: first operation of the app). */
  prior?: OperationRecord;
  state?: OperationRecord;
  requests = 0;
  private dirty = false;
  private writing?: Promise<void>;
  /** The content last stored (without `updatedAt`): a flush with nothing new writes nothing. */
  private stored?: string;

  private constructor(
    private readonly client: KubeClient,
    readonly lock: OperationLock | undefined,
    opts: RecorderOptions,
  ) {
    this.app = opts.app;
    this.namespace = opts.namespace ?? DEFAULT_RECORD_NAMESPACE;
    this.restart = opts.restart ?? false;
  }

  /** Reads the record (after taking the lock, when one is given). */
  static async open(client: KubeClient, opts: RecorderOptions, lock?: OperationLock): Promise<OperationRecorder> {
    const r = new OperationRecorder(client, lock, opts);
    r.requests++;
    const cm = await client.get(recordRef(r.app, r.namespace));
    r.prior = cm ? parseRecord(cm, r.app) : undefined;
    return r;
  }

  get holder(): string {
    return this.lock?.holder ?? 'unlocked';
  }

  /** Objects written earlier (by any operation) that may still exist. */
  priorWritten(): RecordedObject[] {
    return this.prior?.written ?? [];
  }

  /** Begins (or continues) an operation; written at the first `flush`. */
  begin(kind: OperationKind, id: string, revision: string, resume: boolean): void {
    const now = new Date().toISOString();
    const p = this.prior;
    this.state = {
      format: RECORD_FORMAT,
      app: this.app,
      operation: {
        id: resume && p ? p.operation.id : id,
        kind,
        revision,
        status: 'Running',
        holder: this.holder,
        startedAt: resume && p ? p.operation.startedAt : now,
        updatedAt: now,
      },
      hooks: resume && p ? structuredClone(p.hooks) : [],
      written: structuredClone(p?.written ?? []),
    };
  }

  /** The hook of this operation (resumed ones included) that ran `task` in `phase`. */
  hookOf(task: PlanTask, phase: EnginePhase): RecordedHook | undefined {
    return this.state?.hooks.find((h) => h.task === task.id && h.phase === phase);
  }

  /** Hooks the dead previous operation may have left running (with the hook finalizer). */
  deadHooks(resumed: boolean): RecordedHook[] {
    if (resumed || !this.prior) return [];
    return this.prior.hooks.filter((h) => !h.deleted && (h.status === 'Running' || h.status === 'Pending'));
  }

  step(phase: EnginePhase, wave?: number): void {
    if (!this.state) return;
    this.state.operation.phase = phase;
    if (wave === undefined) delete this.state.operation.wave;
    else this.state.operation.wave = wave;
  }

  /** Adds objects about to be written; call `flush()` before writing them. */
  noteWrites(refs: RecordedObject[]): void {
    if (!this.state) return;
    for (const r of refs) {
      const entry: RecordedObject = {
        apiVersion: r.apiVersion,
        kind: r.kind,
        name: r.name,
        ...(r.namespace ? { namespace: r.namespace } : {}),
        ...(r.hook ? { hook: true } : {}),
        ...(r.annotations && Object.keys(r.annotations).length ? { annotations: r.annotations } : {}),
      };
      const i = this.state.written.findIndex((w) => sameRef(w, r));
      if (i < 0) this.state.written.push(entry);
      else this.state.written[i] = entry;
    }
  }

  /** Objects confirmed gone (pruned, deleted). */
  forget(ref: ObjectRef): void {
    if (!this.state) return;
    this.state.written = this.state.written.filter((w) => !sameRef(w, ref));
  }

  /** Creates or updates the hook entry of `task` in `phase`. */
  noteHook(h: RecordedHook): void {
    if (!this.state) return;
    const i = this.state.hooks.findIndex((x) => x.task === h.task && x.phase === h.phase);
    if (i < 0) this.state.hooks.push(h);
    else this.state.hooks[i] = { ...this.state.hooks[i], ...h };
  }

  finish(status: RecordStatus, message?: string): void {
    if (!this.state) return;
    this.state.operation.status = status;
    if (message) this.state.operation.message = message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
  }

  /** Writes the record as it is now (coalescing concurrent calls into as few writes as possible). */
  async flush(): Promise<void> {
    if (!this.state) return;
    // The record belongs to whoever holds the lock: not ours to write any more.
    if (this.lock?.lost) throw new RecordError(`the lock of application "${this.app}" was taken over: ${describeRecord(this.app, this.namespace)} is left to the new holder`);
    this.dirty = true;
    while (this.writing) await this.writing.catch(() => undefined);
    if (!this.dirty) return;
    this.dirty = false;
    const content = this.content();
    if (content === this.stored) return;
    this.writing = this.write(content).finally(() => (this.writing = undefined));
    try {
      await this.writing;
    } catch (e) {
      this.dirty = true;
      throw new RecordError(`could not write the operation record ${describeRecord(this.app, this.namespace)}: ${(e as Error).message}`);
    }
  }

  private content(): string {
    const s = this.state!;
    return JSON.stringify({ ...s, operation: { ...s.operation, updatedAt: undefined } });
  }

  /** Stores the state; `content` is `content()` of it, kept as what was stored once written. */
  private async write(content: string): Promise<void> {
    const s = this.state!;
    s.operation.updatedAt = new Date().toISOString();
    const ref = recordRef(this.app, this.namespace);
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: ref.name,
        namespace: ref.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'sync-hooks', 'app.kubernetes.io/instance': this.app },
      },
      data: { format: RECORD_FORMAT, [RECORD_DATA_KEY]: JSON.stringify(s, null, 1) },
    };
    this.requests++;
    await this.client.apply(body);
    this.stored = content;
  }

  /** Removes the record (the application is gone). */
  async remove(): Promise<void> {
    this.state = undefined;
    this.stored = undefined;
    this.requests++;
    await this.client.delete(recordRef(this.app, this.namespace), { propagationPolicy: 'Background' });
  }

  /** Releases the lock (if any). Never throws. */
  async close(): Promise<void> {
    if (this.lock) {
      await this.lock.release();
      this.requests += this.lock.requests;
    }
  }
}

/** Releases the hook finalizer of a dead operation's hook and deletes it. Resolves whether it existed. */
export async function terminateDeadHook(client: KubeClient, h: RecordedHook): Promise<boolean> {
  const live = await client.get(h);
  if (!live || (h.uid && live.metadata.uid !== h.uid)) return false;
  if ((live.metadata.finalizers ?? []).includes(HOOK_FINALIZER)) await client.patchFinalizers(h, { remove: [HOOK_FINALIZER] });
  await client.delete(h, { propagationPolicy: 'Background' });
  return true;
}
