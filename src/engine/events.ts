/**
 * The engine's typed, timestamped event stream: the single source of truth for CLI output,
 * Pulumi log lines and the demo timeline. `formatEvent` renders one event as one line.
 */
import { DeletePhase, SyncPhase } from '../model';

/** Phases as the engine reports them: sync phases, delete-hook phases, and teardown's deletion. */
export type EnginePhase = SyncPhase | DeletePhase | 'Delete';

/** Why the engine deleted an object. */
export type DeleteReason = 'prune' | 'teardown' | 'BeforeHookCreation' | 'HookSucceeded' | 'HookFailed' | 'terminate';

/** Why an operation failed. */
export type FailureReason =
  | 'HookFailed'
  | 'ApplyFailed'
  | 'PruneFailed'
  | 'DeleteFailed'
  | 'Degraded'
  | 'HookTimeout'
  | 'Timeout'
  | 'Cancelled'
  | 'Missing';

interface Where {
  phase: EnginePhase;
  wave: number;
}
interface About {
  /** `group/Kind/namespace/name` */
  key: string;
  /** `Kind namespace/name` */
  object: string;
}

/** One thing a heartbeat says the engine is waiting for. */
export interface HeartbeatItem {
  /** `group/Kind/namespace/name` */
  key: string;
  /** `Kind namespace/name` */
  object: string;
  /** A hook to complete, an object to become healthy (the wave gate), or to be deleted. */
  until: 'complete' | 'healthy' | 'deleted';
  /** The object's latest status message. */
  message?: string;
  /** How long this wait has lasted so far. */
  waitedMs: number;
  /** ISO time the wait fails: its own deadline or the operation's, whichever is earlier. */
  deadline?: string;
}

export type EngineEventBody =
  | { type: 'operation.started'; operation: 'sync' | 'teardown'; steps: number; resumed?: string }
  | { type: 'operation.succeeded'; operation: 'sync' | 'teardown'; durationMs: number }
  | { type: 'operation.failed'; operation: 'sync' | 'teardown'; reason: FailureReason | 'Invalid' | 'LockLost'; message: string; durationMs: number }
  | { type: 'phase.started'; phase: EnginePhase }
  | { type: 'phase.finished'; phase: EnginePhase; durationMs: number }
  | ({ type: 'wave.started'; objects: number } & Where)
  | ({ type: 'wave.finished'; durationMs: number } & Where)
  | ({ type: 'object.applied' } & Where & About)
  | ({ type: 'object.ready'; durationMs: number } & Where & About)
  | ({ type: 'object.pruned'; durationMs: number } & Where & About)
  | ({ type: 'object.deleted'; reason: DeleteReason; durationMs: number } & Partial<Where> & About)
  | ({ type: 'object.waiting'; message: string } & Where & About)
  | ({ type: 'hook.created' } & Where & About)
  | ({ type: 'hook.resumed'; state: 'Succeeded' | 'Running' } & Where & About)
  | ({ type: 'hook.succeeded'; durationMs: number; message?: string } & Where & About)
  | ({ type: 'hook.failed'; durationMs: number; message: string } & Where & About)
  | ({ type: 'hook.terminated'; durationMs: number } & Where & About)
  | { type: 'syncfail.started'; reason: FailureReason; failedPhase: EnginePhase; failedObject?: string; message: string; hooks: number }
  | { type: 'syncfail.finished'; status: 'Succeeded' | 'Failed'; durationMs: number; message?: string }
  | { type: 'warning'; message: string; key?: string }
  /** While waiting, at least every `heartbeatIntervalMs` per (phase, wave): what for, how long so far, until when. */
  | ({ type: 'heartbeat'; waitedMs: number; deadline?: string; deadlineInMs?: number; waitingFor: HeartbeatItem[] } & Partial<Where>);

export type EngineEvent = EngineEventBody & {
  /** ISO-8601 time the event happened. */
  time: string;
  /** Milliseconds since the operation started. */
  elapsedMs: number;
  operationId: string;
};

export type EventListener = (e: EngineEvent) => void;

function secs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function where(e: { phase?: EnginePhase; wave?: number }): string {
  if (e.phase === undefined) return '';
  return e.wave === undefined ? `${e.phase}: ` : `${e.phase} wave ${e.wave}: `;
}

function body(e: EngineEventBody): string {
  switch (e.type) {
    case 'operation.started':
      return `${e.operation} started (${e.steps} step${e.steps === 1 ? '' : 's'})${e.resumed ? `: ${e.resumed}` : ''}`;
    case 'operation.succeeded':
      return `${e.operation} succeeded in ${secs(e.durationMs)}`;
    case 'operation.failed':
      return `${e.operation} FAILED after ${secs(e.durationMs)} (${e.reason}): ${e.message}`;
    case 'phase.started':
      return `${e.phase} phase started`;
    case 'phase.finished':
      return `${e.phase} phase finished in ${secs(e.durationMs)}`;
    case 'wave.started':
      return `${where(e)}started (${e.objects} object${e.objects === 1 ? '' : 's'})`;
    case 'wave.finished':
      return `${where(e)}finished in ${secs(e.durationMs)}`;
    case 'object.applied':
      return `${where(e)}applied ${e.object}`;
    case 'object.ready':
      return `${where(e)}${e.object} is ready (${secs(e.durationMs)})`;
    case 'object.pruned':
      return `${where(e)}pruned ${e.object} (${secs(e.durationMs)})`;
    case 'object.deleted':
      return `${where(e)}deleted ${e.object} (${e.reason}, ${secs(e.durationMs)})`;
    case 'object.waiting':
      return `${where(e)}waiting for ${e.object}: ${e.message}`;
    case 'hook.created':
      return `${where(e)}hook ${e.object} started`;
    case 'hook.resumed':
      return `${where(e)}hook ${e.object} ${e.state === 'Succeeded' ? 'already succeeded in the interrupted operation: not run again' : 'still running from the interrupted operation: awaiting it'}`;
    case 'hook.succeeded':
      return `${where(e)}hook ${e.object} succeeded (${secs(e.durationMs)})`;
    case 'hook.failed':
      return `${where(e)}hook ${e.object} FAILED (${secs(e.durationMs)}): ${e.message}`;
    case 'hook.terminated':
      return `${where(e)}hook ${e.object} terminated (${secs(e.durationMs)})`;
    case 'syncfail.started':
      return `SyncFail: running ${e.hooks} hook${e.hooks === 1 ? '' : 's'} after ${e.reason} in ${e.failedPhase}${e.failedObject ? ` (${e.failedObject})` : ''}`;
    case 'syncfail.finished':
      return `SyncFail ${e.status === 'Succeeded' ? 'finished' : 'FAILED'} in ${secs(e.durationMs)}${e.message ? `: ${e.message}` : ''}`;
    case 'warning':
      return `warning: ${e.message}`;
    case 'heartbeat':
      return `${where(e)}still waiting after ${secs(e.waitedMs)} for ${heartbeatSubjects(e.waitingFor)}${
        e.deadline !== undefined && e.deadlineInMs !== undefined ? `; deadline in ${duration(e.deadlineInMs)} (${e.deadline.slice(11, 19)} UTC)` : ''
      }`;
  }
}

/** `9m15s`, `45s`, `1h02m`: a coarse duration for deadlines. */
function duration(ms: number): string {
  const t = Math.max(0, Math.round(ms / 1000));
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

const UNTIL = { complete: 'to complete', healthy: 'to become healthy', deleted: 'to be deleted' } as const;

function heartbeatSubjects(items: readonly HeartbeatItem[]): string {
  const shown = items.slice(0, 3).map((i) => `${i.until === 'complete' ? 'hook ' : ''}${i.object} ${UNTIL[i.until]}${i.message ? ` (${i.message})` : ''}`);
  return `${shown.join(', ')}${items.length > 3 ? ` and ${items.length - 3} more` : ''}`;
}

/** One line for a terminal or a log: `+1.2s PreSync wave 0: hook Job shop/migrate succeeded (1.1s)`. */
export function formatEvent(e: EngineEvent): string {
  return `+${(e.elapsedMs / 1000).toFixed(1)}s ${body(e)}`;
}
