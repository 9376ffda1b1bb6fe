/**
 * One entry of an application's operation history (pure): how an operation ended, each hook's
 * outcome (a failed hook's exit details and log tail included: the output Argo CD and Helm lose
 * once `HookSucceeded`/`HookFailed` deletes the hook), and the events the timeline needs, compact.
 */
import type { EngineEvent, EngineEventBody, FailureReason, OperationKind } from '../engine';
import type { ContainerFailure, HookResult, HookStatus, JobCondition } from '../engine/types';

export const HISTORY_FORMAT = 'v1';

/** Characters of one container's log tail (or termination message) kept: the end of it. */
export const MAX_OUTPUT_CHARS = 8_000;
/** Events kept per operation (the first ones: the timeline still shows where it went wrong). */
export const MAX_EVENTS = 5_000;

/** What the timeline draws; heartbeats, warnings and status messages are left out. */
const TIMELINE_EVENTS: ReadonlySet<EngineEventBody['type']> = new Set([
  'operation.started',
  'operation.succeeded',
  'operation.failed',
  'phase.started',
  'phase.finished',
  'wave.started',
  'wave.finished',
  'object.applied',
  'object.ready',
  'object.pruned',
  'object.deleted',
  'hook.created',
  'hook.resumed',
  'hook.succeeded',
  'hook.failed',
  'hook.terminated',
  'syncfail.started',
  'syncfail.finished',
]);

/** An engine event without what the entry already says (`time`, `operationId`). */
export type CompactEvent = EngineEventBody & { elapsedMs: number };

export type HistoryStatus = 'Succeeded' | 'Failed' | 'Cancelled';

export interface HistoryHook {
  /** `Kind namespace/name` as created in the cluster. */
  object: string;
  /** `group/Kind/namespace/name` */
  key: string;
  phase: string;
  wave: number;
  status: HookStatus;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  message?: string;
  deleted?: boolean;
  jobConditions?: JobCondition[];
  /** A failed hook's containers: exit code, reason, termination message and log tail. */
  containers?: ContainerFailure[];
}

export interface HistoryEntry {
  /** Number of the operation in the app's history, counting up (set when it is added). */
  seq?: number;
  /** The operation id: a hash of the plan, so two runs of the same plan share it. */
  id: string;
  kind: OperationKind;
  status: HistoryStatus;
  /** Why it failed (`HookFailed`, `Timeout`…); absent when it succeeded. */
  reason?: FailureReason | 'Error';
  /** Where and why it failed: the error's message with the failed hook's output (`details`). */
  message?: string;
  revision?: string;
  resumed?: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Managed objects applied (sync) or deleted (teardown), pruned (sync). */
  applied?: number;
  pruned?: number;
  deleted?: number;
  hooks: HistoryHook[];
  warnings: string[];
  /** The timeline events, compact; absent when they were dropped to fit the size limit. */
  events?: CompactEvent[];
  /** Events left out (more than MAX_EVENTS, or all of them to fit the size limit). */
  eventsDropped?: number;
}

/** What the runner knows when an operation ends. */
export interface EndedOperation {
  kind: OperationKind;
  /** The engine's result (the partial one of a failed operation). */
  result?: {
    operationId: string;
    resumed?: boolean;
    startedAt: string;
    finishedAt: string;
    hooks: HookResult[];
    warnings: string[];
    applied?: unknown[];
    pruned?: unknown[];
    deleted?: unknown[];
  };
  /** The operation failed with this error (an OperationFailedError or anything else). */
  error?: { name: string; message: string; reason?: FailureReason };
  events: readonly EngineEvent[];
  revision?: string;
  /** When the runner started the operation (the fallback for a missing result). */
  startedAt: Date;
  now?: Date;
}

const tail = (s: string | undefined): string | undefined => (s === undefined || s.length <= MAX_OUTPUT_CHARS ? s : `…${s.slice(-MAX_OUTPUT_CHARS)}`);

function hookOf(h: HookResult): HistoryHook {
  const ms = h.finishedAt ? Date.parse(h.finishedAt) - Date.parse(h.startedAt) : undefined;
  return {
    object: h.object,
    key: h.key,
    phase: h.phase,
    wave: h.wave,
    status: h.status,
    startedAt: h.startedAt,
    ...(h.finishedAt ? { finishedAt: h.finishedAt } : {}),
    ...(ms !== undefined && Number.isFinite(ms) ? { durationMs: ms } : {}),
    ...(h.message ? { message: h.message } : {}),
    ...(h.deleted ? { deleted: true } : {}),
    ...(h.failure?.jobConditions?.length ? { jobConditions: h.failure.jobConditions } : {}),
    ...(h.failure?.containers.length
      ? {
          containers: h.failure.containers.map((c) => ({
            ...c,
            ...(c.message !== undefined ? { message: tail(c.message) } : {}),
            ...(c.logTail !== undefined ? { logTail: tail(c.logTail) } : {}),
          })),
        }
      : {}),
  };
}

/** The events the timeline draws, without `time` and `operationId`. */
export function compactEvents(events: readonly EngineEvent[]): { events: CompactEvent[]; dropped: number } {
  const kept = events.filter((e) => TIMELINE_EVENTS.has(e.type));
  const out = kept.slice(0, MAX_EVENTS).map((e) => {
    const rest: Record<string, unknown> = { ...e };
    delete rest.time;
    delete rest.operationId;
    return rest as CompactEvent;
  });
  return { events: out, dropped: kept.length - out.length };
}

function statusOf(op: EndedOperation): HistoryStatus {
  if (!op.error) return 'Succeeded';
  return op.error.name === 'SyncCancelledError' || op.error.reason === 'Cancelled' ? 'Cancelled' : 'Failed';
}

/** The history entry of an operation that just ended. */
export function historyEntry(op: EndedOperation): HistoryEntry {
  const now = op.now ?? new Date();
  const r = op.result;
  const first = op.events[0];
  const id = r?.operationId ?? first?.operationId ?? 'unknown';
  const startedAt = r?.startedAt ?? (first ? new Date(Date.parse(first.time) - first.elapsedMs).toISOString() : op.startedAt.toISOString());
  const finishedAt = r?.finishedAt ?? now.toISOString();
  const { events, dropped } = compactEvents(op.events);
  const status = statusOf(op);
  return {
    id,
    kind: op.kind,
    status,
    ...(op.error ? { reason: op.error.reason ?? 'Error', message: op.error.message } : {}),
    ...(op.revision ? { revision: op.revision } : {}),
    ...(r?.resumed ? { resumed: true } : {}),
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    ...(r?.applied ? { applied: r.applied.length } : {}),
    ...(r?.pruned ? { pruned: r.pruned.length } : {}),
    ...(r?.deleted ? { deleted: r.deleted.length } : {}),
    hooks: (r?.hooks ?? []).map(hookOf),
    warnings: r?.warnings ?? [],
    events,
    ...(dropped ? { eventsDropped: dropped } : {}),
  };
}

/** The engine events of an entry again (for the timeline renderer). */
export function eventsOf(entry: HistoryEntry): EngineEvent[] {
  const t0 = Date.parse(entry.startedAt);
  return (entry.events ?? []).map((e) => ({ ...e, time: new Date(t0 + e.elapsedMs).toISOString(), operationId: entry.id }) as EngineEvent);
}

/** The newest entry first (numbered one more than the previous newest), at most `limit` entries. */
export function addEntry(entries: readonly HistoryEntry[], entry: HistoryEntry, limit: number): HistoryEntry[] {
  const seq = (entries[0]?.seq ?? 0) + 1;
  return [{ seq, ...entry }, ...entries].slice(0, Math.max(1, limit));
}

/**
 * Fits the entries into `maxBytes` as measured by `size`: the oldest entries go first; if the
 * newest alone is still too big, its events go, then its hooks' output.
 */
export function fitEntries(entries: readonly HistoryEntry[], maxBytes: number, size: (e: HistoryEntry[]) => number): HistoryEntry[] {
  let kept = [...entries];
  while (kept.length > 1 && size(kept) > maxBytes) kept = kept.slice(0, -1);
  if (kept.length === 0 || size(kept) <= maxBytes) return kept;
  const newest = { ...kept[0] };
  if (newest.events) {
    newest.eventsDropped = (newest.eventsDropped ?? 0) + newest.events.length;
    delete newest.events;
  }
  if (size([newest]) > maxBytes) {
    newest.hooks = newest.hooks.map((h) => (h.containers ? { ...h, containers: h.containers.map(({ logTail: _l, message: _m, ...c }) => ({ ...c })) } : h));
    newest.warnings = [...newest.warnings, 'hook output dropped: the entry did not fit the history size limit'];
  }
  return [newest];
}

/** The entry numbered `ref` (1 to 6 digits), else the newest whose id starts with `ref`. */
export function findEntry(entries: readonly HistoryEntry[], ref: string): HistoryEntry | undefined {
  if (/^\d{1,6}$/.test(ref)) return entries.find((e) => e.seq === Number(ref));
  return entries.find((e) => e.id.startsWith(ref));
}
