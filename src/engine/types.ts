/** Options and results of the engine's two operations. */
import { ResourceKey } from '../model';
import { EnginePhase, EventListener } from './events';
import type { OperationRecorder } from './record';
import type { OperationRetry } from './retry';

export interface EngineOptions {
  /** Receives every event of the operation (synchronously; exceptions are swallowed). */
  onEvent?: EventListener;
  /**
   * Cancels the operation. For a sync, running hooks are terminated, SyncFail runs (under its own
   * budget, not this signal), then `SyncCancelledError` is thrown.
   */
  signal?: AbortSignal;
  /** Deadline of the whole operation (SyncFail excluded). Default 30 min. */
  timeoutMs?: number;
  /** Deadline of a hook without its own `spec.activeDeadlineSeconds`. Default 10 min. */
  hookTimeoutMs?: number;
  /** Added to a hook's `activeDeadlineSeconds`. Default 30 s. */
  hookDeadlineGraceMs?: number;
  /** Objects applied/deleted in parallel within a wave. Default 16. */
  concurrency?: number;
  /** Server dry runs in parallel during validation (nothing is written yet). Default 4 × `concurrency`. */
  dryRunConcurrency?: number;
  /** Re-read interval of awaited objects while a watch is broken. Default 1 s. */
  pollIntervalMs?: number;
  /** Safety re-read of awaited objects while their watch is healthy. Default 15 s. */
  resyncIntervalMs?: number;
  /**
   * Operation id; its first 7 characters name `generateName` hooks
   * (`<generateName><id7>-<phase>-<unix>`, Argo CD uses the revision). Default: a hash of the plan,
   * so the same plan yields the same id.
   */
  operationId?: string;
  /** Start time used in generated hook names. Default: now. */
  startedAt?: Date;
  /** Lines of a failed hook's logs kept in the error. 0 skips log reads. Default 50. */
  logTailLines?: number;
  /**
   * While the engine waits (a hook, the wave gate, a deletion), a `heartbeat` event at least this
   * often per (phase, wave): what it waits for, for how long, and the deadline. 0 disables. Default 15 s.
   */
  heartbeatIntervalMs?: number;
  /**
   * The application's operation record (opened with its lock by the runner): every object is
   * recorded before it is written and marked with the app's label, hook runs and the step reached
   * are recorded as they happen, and an interrupted operation of the same `revision` is continued.
   */
  recorder?: OperationRecorder;
  /** What the record calls this desired state (default: the plan's hash). */
  revision?: string;
}

export interface SyncOptions extends EngineOptions {
  /** Budget of the SyncFail phase, which starts after the failure. Default 10 min. */
  syncFailTimeoutMs?: number;
  /** Server-side dry-run of every object before anything is written. Default true. */
  dryRun?: boolean;
  /**
   * Also wait for the health of the last wave when it has no hook. Argo CD does not (default false):
   * the sync is done once the last wave is applied.
   */
  waitForFinalWave?: boolean;
  /**
   * Argo CD's operation retry: a failed attempt (not a timeout or a cancel) is started again from
   * the first step after the backoff, up to `limit` times; SyncFail runs once, after the last
   * attempt. Default: no retry.
   */
  retry?: OperationRetry;
}

export type TeardownOptions = EngineOptions;

/** What the engine knows about the exit of one container of a failed hook. */
export interface ContainerFailure {
  pod: string;
  container: string;
  exitCode?: number;
  reason?: string;
  message?: string;
  /** Tail of the container's logs, when the cluster serves them. */
  logTail?: string;
}

export interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface FailureDetails {
  jobConditions?: JobCondition[];
  containers: ContainerFailure[];
}

export type HookStatus = 'Running' | 'Succeeded' | 'Failed' | 'Terminated';

export interface HookResult {
  /** Name in the cluster (generated for `generateName` hooks). */
  name: string;
  /** `group/Kind/namespace/name` */
  key: string;
  /** `Kind namespace/name` */
  object: string;
  phase: EnginePhase;
  wave: number;
  status: HookStatus;
  startedAt: string;
  finishedAt?: string;
  message?: string;
  /** Deleted by the engine after it finished (delete policy or termination). */
  deleted?: boolean;
  /** Exit details of a failed hook. */
  failure?: FailureDetails;
}

export interface SyncResult {
  operationId: string;
  /** The operation continued an interrupted one (hooks it had completed were not re-run). */
  resumed?: boolean;
  startedAt: string;
  finishedAt: string;
  /** Managed (non-hook) objects applied, in order: the inventory. */
  applied: ResourceKey[];
  pruned: ResourceKey[];
  hooks: HookResult[];
  warnings: string[];
}

export interface TeardownResult {
  operationId: string;
  resumed?: boolean;
  startedAt: string;
  finishedAt: string;
  deleted: ResourceKey[];
  hooks: HookResult[];
  warnings: string[];
}

export interface SyncFailOutcome {
  /** SyncFail hooks were started. */
  ran: boolean;
  status: 'Succeeded' | 'Failed' | 'NotRun';
  hooks: HookResult[];
  message?: string;
}
