/**
 * The state of one running operation (sync or teardown): resolved options, cancellation and
 * deadline, the event emitter, the watch hub, the hooks started so far and what was done.
 */
import { createHash } from 'node:crypto';
import { DeletePolicy, KubeObject, PlanTask, ResourceKey, formatKey } from '../model';
import { KubeClient, ObjectRef, refId } from './client';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_HOOK_DEADLINE_GRACE_MS,
  DEFAULT_HOOK_TIMEOUT_MS,
  DEFAULT_LOG_TAIL_LINES,
  DEFAULT_OPERATION_TIMEOUT_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_RESYNC_INTERVAL_MS,
  DRY_RUN_CONCURRENCY_FACTOR,
} from './constants';
import { EngineEvent, EngineEventBody, EnginePhase } from './events';
import { withOwnership } from './ownership';
import { OperationRecorder, RecordedObject, decide } from './record';
import { EngineOptions, FailureDetails, HookResult, HookStatus } from './types';
import { Heartbeats } from './heartbeat';
import { LockLostError } from './lock';
import { guardWrites } from './lock-guard';
import { WaitContext, WaitSubject, WaitTracker } from './wait';
import { WatchHub } from './watch-hub';

/** One hook instance created by this operation. */
export interface HookRun {
  task: PlanTask;
  phase: EnginePhase;
  wave: number;
  ref: ObjectRef;
  key: string;
  object: string;
  policies: DeletePolicy[];
  uid?: string;
  startedAtMs: number;
  finishedAtMs?: number;
  deadlineAt: number;
  status: HookStatus;
  message?: string;
  failure?: FailureDetails;
  deleted?: boolean;
  timedOut?: boolean;
  /**
   * The removal of the hook finalizer once its result was read: true when it is gone. For a
   * succeeded hook of a sync wave it runs in the background, so that the next wave does not wait
   * for it. Never rejects.
   */
  released?: Promise<boolean>;
}

type Resolved = Required<Omit<EngineOptions, 'onEvent' | 'signal' | 'operationId' | 'startedAt' | 'recorder' | 'revision'>>;

function decideResume(rec: OperationRecorder, kind: 'sync' | 'teardown', revision: string) {
  return decide(rec.prior, kind, revision, rec.restart);
}

/** A stable hash of what a plan would write: same plan, same id. */
export function planHash(objects: unknown): string {
  return createHash('sha256').update(JSON.stringify(objects)).digest('hex');
}

export class Operation implements WaitContext {
  readonly hub: WatchHub;
  private readonly heartbeats: Heartbeats;
  readonly id: string;
  /** The application's operation record (and lock), when the caller keeps one. */
  readonly recorder?: OperationRecorder;
  /** This operation continues an interrupted one (same revision): completed hooks are not re-run. */
  readonly resumed: boolean = false;
  /** Hooks completed by the interrupted operation are skipped (true while continuing it; a retry attempt runs them all). */
  resumeHooks = false;
  readonly startedAtMs: number;
  /** Unix seconds used in generated hook names. */
  readonly nameStamp: number;
  readonly o: Resolved;
  readonly pollIntervalMs: number;
  readonly resyncIntervalMs: number;
  readonly hooks: HookRun[] = [];
  readonly applied: ResourceKey[] = [];
  readonly pruned: ResourceKey[] = [];
  readonly deleted: ResourceKey[] = [];
  readonly warnings: string[] = [];
  /** The objects as they will be written (namespace dropped for cluster-scoped kinds), per task. */
  readonly prepared = new Map<PlanTask, KubeObject>();
  phase?: EnginePhase;
  wave?: number;
  /** Deletions still awaited (`Kind ns/name` → what they wait on), named when the operation times out. */
  readonly waitingOn = new Map<string, string>();
  /** Why the record's previous operation is (not) continued. */
  readonly resumeReason?: string;
  abortReason?: 'Cancelled' | 'Timeout' | 'LockLost';

  private readonly abortCtl = new AbortController();
  private timer?: NodeJS.Timeout;
  private readonly onUserAbort = () => this.abort('Cancelled');

  /** The cluster; once the lock is lost, every write through it fails with `lockLostError()`. */
  readonly client: KubeClient;

  constructor(
    client: KubeClient,
    readonly kind: 'sync' | 'teardown',
    defaultId: string,
    private readonly opts: EngineOptions,
  ) {
    this.recorder = opts.recorder;
    const lock = opts.recorder?.lock;
    this.client = lock ? guardWrites(client, lock, () => this.lockLostError()) : client;
    // Stop at the next safe point: every wait ends, no further wave starts (see runSync/runTeardown).
    lock?.onLost(() => this.abort('LockLost'));
    let id = opts.operationId ?? defaultId;
    if (this.recorder) {
      const rec = this.recorder;
      const d = decideResume(rec, kind, opts.revision ?? defaultId);
      this.resumed = d.resume;
      this.resumeHooks = d.resume;
      if (d.resume) id = rec.prior!.operation.id;
      this.resumeReason = d.reason;
      rec.begin(kind, id, opts.revision ?? defaultId, d.resume);
    }
    this.id = id;
    const started = opts.startedAt ?? new Date();
    this.startedAtMs = Date.now();
    this.nameStamp = Math.floor(started.getTime() / 1000);
    this.o = {
      timeoutMs: opts.timeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
      hookTimeoutMs: opts.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS,
      hookDeadlineGraceMs: opts.hookDeadlineGraceMs ?? DEFAULT_HOOK_DEADLINE_GRACE_MS,
      concurrency: Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY),
      dryRunConcurrency: Math.max(1, opts.dryRunConcurrency ?? Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY) * DRY_RUN_CONCURRENCY_FACTOR),
      pollIntervalMs: opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      resyncIntervalMs: opts.resyncIntervalMs ?? DEFAULT_RESYNC_INTERVAL_MS,
      logTailLines: opts.logTailLines ?? DEFAULT_LOG_TAIL_LINES,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    };
    this.heartbeats = new Heartbeats(this.o.heartbeatIntervalMs, {
      emit: (beat) => this.emit({ type: 'heartbeat', ...beat }),
      // SyncFail runs under its own budget, after the operation's deadline may have passed.
      operationDeadline: (phase) => (phase !== 'SyncFail' && Number.isFinite(this.o.timeoutMs) ? this.startedAtMs + this.o.timeoutMs : undefined),
    });
    this.pollIntervalMs = this.o.pollIntervalMs;
    this.resyncIntervalMs = this.o.resyncIntervalMs;
    this.hub = new WatchHub(client, this.o.pollIntervalMs);
  }

  /** Aborted on cancel or on the operation deadline. */
  get signal(): AbortSignal {
    return this.abortCtl.signal;
  }

  /** Arms the deadline and links the caller's signal. */
  start(): void {
    if (Number.isFinite(this.o.timeoutMs)) this.timer = setTimeout(() => this.abort('Timeout'), this.o.timeoutMs);
    if (this.opts.signal?.aborted) this.abort('Cancelled');
    else this.opts.signal?.addEventListener('abort', this.onUserAbort);
  }

  /** Whether the caller has cancelled (even after the operation's own signal fired for a timeout). */
  get userCancelled(): boolean {
    return this.opts.signal?.aborted ?? false;
  }

  /** Heartbeats while a wait lasts (WaitContext). */
  track(subject: WaitSubject, deadlineAt?: number): WaitTracker {
    return this.heartbeats.track(subject, deadlineAt);
  }

  /** Waits for the hook finalizer removals still running in the background (see HookRun.released). */
  async settleReleases(): Promise<void> {
    await Promise.all(this.hooks.map((h) => h.released));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.heartbeats.close();
    this.opts.signal?.removeEventListener('abort', this.onUserAbort);
    this.hub.close();
  }

  /** The lock of the application was taken over while this operation ran. */
  get lockLost(): boolean {
    return this.recorder?.lock?.lost ?? false;
  }

  /** The error that ends an operation whose lock was lost (names the new holder and where it stopped). */
  lockLostError(): LockLostError {
    const lock = this.recorder!.lock!;
    const t = lock.lostTo ?? {};
    const where = this.phase ? `${this.phase}${this.wave !== undefined ? ` wave ${this.wave}` : ''}` : 'its start';
    return new LockLostError(this.recorder!.app, t.holder, t.kind, t.acquiredAt, this.kind, where, lock.describe());
  }

  private abort(reason: 'Cancelled' | 'Timeout' | 'LockLost'): void {
    if (this.abortCtl.signal.aborted) return;
    this.abortReason = reason;
    this.abortCtl.abort();
  }

  elapsed(since = this.startedAtMs): number {
    return Date.now() - since;
  }

  emit(body: EngineEventBody): void {
    if (!this.opts.onEvent) return;
    const e = { ...body, time: new Date().toISOString(), elapsedMs: this.elapsed(), operationId: this.id } as EngineEvent;
    try {
      this.opts.onEvent(e);
    } catch {
      // A listener's bug must not break the operation.
    }
  }

  warn(message: string, key?: string): void {
    this.warnings.push(message);
    this.emit({ type: 'warning', message, ...(key ? { key } : {}) });
  }

  private priorKeys?: Set<string>;

  /**
   * Whether an earlier operation of the application wrote this object (its record says so): then it
   * most likely exists. Without a record nothing is known (false).
   */
  writtenBefore(ref: ObjectRef): boolean {
    this.priorKeys ??= new Set((this.recorder?.priorWritten() ?? []).map((w) => refId(w)));
    return this.priorKeys.has(refId(ref));
  }

  /** The object as written: with the application's ownership marks when a record is kept. */
  own(obj: KubeObject): KubeObject {
    return this.recorder ? withOwnership(obj, this.recorder.app, this.id) : obj;
  }

  /** Records the step reached and the objects about to be written, and waits until that is stored. */
  async recordIntent(phase: EnginePhase, wave: number | undefined, writes: RecordedObject[]): Promise<void> {
    const rec = this.recorder;
    if (!rec) return;
    rec.step(phase, wave);
    rec.noteWrites(writes);
    await rec.flush();
  }

  objectOf(task: PlanTask): KubeObject {
    return this.prepared.get(task) ?? task.object;
  }

  hookResults(): HookResult[] {
    return this.hooks.map((h) => ({
      name: h.ref.name,
      key: h.key,
      object: h.object,
      phase: h.phase,
      wave: h.wave,
      status: h.status,
      startedAt: new Date(h.startedAtMs).toISOString(),
      ...(h.finishedAtMs !== undefined ? { finishedAt: new Date(h.finishedAtMs).toISOString() } : {}),
      ...(h.message !== undefined ? { message: h.message } : {}),
      ...(h.deleted ? { deleted: true } : {}),
      ...(h.failure ? { failure: h.failure } : {}),
    }));
  }

  /** Records a managed object as applied (once). */
  private readonly appliedIds = new Set<string>();

  recordApplied(key: ResourceKey): void {
    const id = formatKey(key);
    if (this.appliedIds.has(id)) return;
    this.appliedIds.add(id);
    this.applied.push(key);
  }
}
