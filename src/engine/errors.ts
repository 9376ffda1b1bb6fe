/**
 * Typed errors of the engine. Every failure after validation is a `SyncFailedError` (or one of its
 * subclasses) carrying where it failed, what the hooks did, and what SyncFail did.
 */
import { EnginePhase, FailureReason } from './events';
import {
  ContainerFailure,
  FailureDetails,
  HookResult,
  JobCondition,
  SyncFailOutcome,
  SyncResult,
  TeardownResult,
} from './types';

export class SyncHooksError extends Error {
  override name = 'SyncHooksError';
}

export interface ValidationProblem {
  /** `group/Kind/namespace/name`, when the problem concerns one object. */
  key?: string;
  /** `Kind namespace/name` */
  object?: string;
  message: string;
}

/** Bad input found before anything was written to the cluster (nothing was written). */
export class ClusterValidationError extends SyncHooksError {
  override name = 'ClusterValidationError';
  constructor(readonly problems: ValidationProblem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} found before anything was written to the cluster:\n` +
        problems.map((p) => `  - ${p.object ? `${p.object}: ` : ''}${p.message}`).join('\n'),
    );
  }
}

/** Where and why an operation failed. */
export interface FailureInfo {
  reason: FailureReason;
  phase: EnginePhase;
  wave?: number;
  key?: string;
  object?: string;
  /** The failure itself, without context. */
  detail: string;
  failure?: FailureDetails;
}

/**
 * How much of a failed hook's own output a description carries. A container's termination message
 * and log tail are the hook's output: they may hold secrets (a connection string, a token echoed
 * by a script), so by default they are withheld and the text says where to read them (the pod in
 * the cluster). `hookOutput: true` includes them, for sinks that are themselves secret.
 */
export interface DescribeOptions {
  hookOutput?: boolean;
}

const WITHHELD = 'termination message and logs withheld (they may hold secrets): read them from the pod in the cluster';

function summarizeContainers(containers: ContainerFailure[], hookOutput: boolean): string {
  return containers
    .map((c) => {
      const exit = [c.exitCode !== undefined ? `exit code ${c.exitCode}` : '', c.reason ?? '', hookOutput ? (c.message ?? '') : ''].filter(Boolean).join(', ');
      const logs = !hookOutput
        ? c.message || c.logTail ? `; ${WITHHELD}` : ''
        : c.logTail ? `; last log lines:\n${c.logTail.split('\n').slice(-5).map((l) => `    | ${l}`).join('\n')}` : '';
      return `container ${c.container} of pod ${c.pod}${exit ? `: ${exit}` : ''}${logs}`;
    })
    .join('\n  ');
}

/** One line (plus one per failed container) saying where and why an operation failed. */
export function describeFailure(f: FailureInfo, opts: DescribeOptions = {}): string {
  const where = f.wave === undefined ? f.phase : `${f.phase} wave ${f.wave}`;
  const what = f.object ? `${f.object}: ${f.detail}` : f.detail;
  const containers = f.failure?.containers.length ? `\n  ${summarizeContainers(f.failure.containers, opts.hookOutput ?? false)}` : '';
  return `${f.reason} in ${where}: ${what}${containers}`;
}

function describeSyncFail(s: SyncFailOutcome): string {
  if (!s.ran) return 'No SyncFail hooks to run.';
  const n = `${s.hooks.length} SyncFail hook${s.hooks.length === 1 ? '' : 's'}`;
  return s.status === 'Succeeded' ? `SyncFail ran: ${n} succeeded.` : `SyncFail ran: ${n}, FAILED: ${s.message ?? 'unknown error'}.`;
}

/** Where an operation that had started failed: the fields both sync and teardown errors carry. */
export abstract class OperationFailedError extends SyncHooksError {
  readonly reason: FailureReason;
  readonly phase: EnginePhase;
  readonly wave?: number;
  /** `group/Kind/namespace/name` of the failing object, if one object failed. */
  readonly key?: string;
  /** `Kind namespace/name` of the failing object. */
  readonly object?: string;
  readonly detail: string;
  readonly hooks: HookResult[];
  readonly jobConditions?: JobCondition[];
  readonly containers: ContainerFailure[];
  /** Tail of the failing hook's logs (first container that has some). */
  readonly logTail?: string;
  /**
   * The message with the failed hook's termination messages and log tails (`message` withholds
   * them). May hold secrets: keep it out of plaintext state, env and logs.
   */
  readonly details: string;

  constructor(message: (opts: DescribeOptions) => string, info: FailureInfo, hooks: HookResult[]) {
    super(message({}));
    this.details = message({ hookOutput: true });
    this.reason = info.reason;
    this.phase = info.phase;
    this.wave = info.wave;
    this.key = info.key;
    this.object = info.object;
    this.detail = info.detail;
    this.hooks = hooks;
    this.jobConditions = info.failure?.jobConditions;
    this.containers = info.failure?.containers ?? [];
    this.logTail = this.containers.find((c) => c.logTail)?.logTail;
  }
}

/** A sync that started and failed. SyncFail has run (see `syncFail`) before this is thrown. */
export class SyncFailedError extends OperationFailedError {
  override name = 'SyncFailedError';
  readonly syncFail: SyncFailOutcome;
  /** What was done before the failure (applied objects are the inventory even on failure). */
  readonly result: SyncResult;

  constructor(info: FailureInfo, syncFail: SyncFailOutcome, result: SyncResult) {
    super((o) => `Sync failed: ${describeFailure(info, o)}\n${describeSyncFail(syncFail)}`, info, result.hooks);
    this.syncFail = syncFail;
    this.result = result;
  }
}

/** The operation deadline (`reason: Timeout`) or a hook's deadline (`reason: HookTimeout`) passed. */
export class SyncTimeoutError extends SyncFailedError {
  override name = 'SyncTimeoutError';
  constructor(
    info: FailureInfo,
    syncFail: SyncFailOutcome,
    result: SyncResult,
    readonly timeoutMs: number,
  ) {
    super(info, syncFail, result);
  }
}

/** The caller's AbortSignal fired. Running hooks were terminated, SyncFail ran. */
export class SyncCancelledError extends SyncFailedError {
  override name = 'SyncCancelledError';
}

/** A teardown that started and failed. `deleted` in `result` says how far it got. */
export class TeardownFailedError extends OperationFailedError {
  override name = 'TeardownFailedError';
  readonly result: TeardownResult;

  constructor(info: FailureInfo, result: TeardownResult) {
    const nothingDeleted = info.phase === 'PreDelete' ? '\nNothing was deleted.' : '';
    super((o) => `Teardown failed: ${describeFailure(info, o)}${nothingDeleted}`, info, result.hooks);
    this.result = result;
  }
}
