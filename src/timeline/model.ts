/**
 * The Gantt model of one operation, built from the engine's event stream (pure): bands for phases
 * and waves, one bar per object (apply → ready, prune, delete) and per hook run, idle gaps between
 * waves, SyncFail and the failure.
 */
import type { EngineEvent } from '../engine/events';

export type BarKind = 'object' | 'hook' | 'prune' | 'delete';
export type BarState = 'ok' | 'failed' | 'terminated' | 'open';

export interface Bar {
  kind: BarKind;
  /** `Kind namespace/name` */
  object: string;
  phase?: string;
  wave?: number;
  /** Milliseconds since the operation started. */
  start: number;
  end: number;
  state: BarState;
  /** Tooltip text: what happened. */
  note: string;
}

export interface Band {
  /** `phase` for phase bands, `wave` for (phase, wave) bands, `syncfail` for the SyncFail phase. */
  level: 'phase' | 'wave' | 'syncfail';
  label: string;
  start: number;
  end: number;
  failed: boolean;
}

export interface Gap {
  start: number;
  end: number;
}

export interface TimelineModel {
  operation: 'sync' | 'teardown' | 'unknown';
  operationId?: string;
  /** ISO time of the first event. */
  startedAt?: string;
  status: 'Succeeded' | 'Failed' | 'Running';
  durationMs: number;
  failure?: { at: number; reason: string; message: string };
  bands: Band[];
  bars: Bar[];
  /** Idle time between consecutive waves (nothing running). */
  gaps: Gap[];
}

function waveLabel(phase: string, wave: number): string {
  return `${phase} ${wave}`;
}

/** Builds the model. Events may come in any order; `elapsedMs` places them. */
export function timelineModel(input: readonly EngineEvent[]): TimelineModel {
  const events = [...input].sort((a, b) => a.elapsedMs - b.elapsedMs);
  const end = events.length ? events[events.length - 1].elapsedMs : 0;
  const m: TimelineModel = { operation: 'unknown', status: 'Running', durationMs: end, bands: [], bars: [], gaps: [] };
  if (events.length) {
    m.operationId = events[0].operationId;
    m.startedAt = events[0].time;
  }
  const openPhases = new Map<string, Band>();
  const openWaves = new Map<string, Band>();
  const openBars = new Map<string, Bar>();
  let syncFail: Band | undefined;
  let failedObject: string | undefined;
  const close = (b: Bar, at: number, state: BarState, note: string) => {
    b.end = Math.max(b.start, at);
    b.state = state;
    b.note = note;
  };

  for (const e of events) {
    const at = e.elapsedMs;
    switch (e.type) {
      case 'operation.started':
        m.operation = e.operation;
        break;
      case 'operation.succeeded':
        m.operation = e.operation;
        m.status = 'Succeeded';
        m.durationMs = e.durationMs;
        break;
      case 'operation.failed':
        m.operation = e.operation;
        m.status = 'Failed';
        m.durationMs = e.durationMs;
        m.failure = { at, reason: e.reason, message: e.message };
        break;
      case 'phase.started': {
        const b: Band = { level: 'phase', label: e.phase, start: at, end: at, failed: false };
        openPhases.set(e.phase, b);
        m.bands.push(b);
        break;
      }
      case 'phase.finished': {
        const b = openPhases.get(e.phase);
        if (b) b.end = at;
        openPhases.delete(e.phase);
        break;
      }
      case 'wave.started': {
        const b: Band = { level: 'wave', label: waveLabel(e.phase, e.wave), start: at, end: at, failed: false };
        openWaves.set(b.label, b);
        m.bands.push(b);
        break;
      }
      case 'wave.finished': {
        const b = openWaves.get(waveLabel(e.phase, e.wave));
        if (b) b.end = at;
        openWaves.delete(waveLabel(e.phase, e.wave));
        break;
      }
      case 'object.applied': {
        const b: Bar = { kind: 'object', object: e.object, phase: e.phase, wave: e.wave, start: at, end: at, state: 'open', note: 'applied, not awaited' };
        openBars.set(`object ${e.key}`, b);
        m.bars.push(b);
        break;
      }
      case 'object.ready': {
        const b = openBars.get(`object ${e.key}`);
        if (b) close(b, at, 'ok', `applied → ready in ${secs(e.durationMs)}`);
        openBars.delete(`object ${e.key}`);
        break;
      }
      case 'object.pruned':
        m.bars.push({ kind: 'prune', object: e.object, phase: e.phase, wave: e.wave, start: at - e.durationMs, end: at, state: 'ok', note: `pruned in ${secs(e.durationMs)}` });
        break;
      case 'object.deleted':
        m.bars.push({
          kind: 'delete',
          object: e.object,
          phase: e.phase,
          wave: e.wave,
          start: at - e.durationMs,
          end: at,
          state: 'ok',
          note: `deleted (${e.reason}) in ${secs(e.durationMs)}`,
        });
        break;
      case 'hook.created': {
        const b: Bar = { kind: 'hook', object: e.object, phase: e.phase, wave: e.wave, start: at, end: at, state: 'open', note: 'running' };
        openBars.set(`hook ${e.key}`, b);
        m.bars.push(b);
        break;
      }
      case 'hook.succeeded':
      case 'hook.failed':
      case 'hook.terminated': {
        const b = openBars.get(`hook ${e.key}`);
        openBars.delete(`hook ${e.key}`);
        if (!b) break;
        if (e.type === 'hook.succeeded') close(b, at, 'ok', `succeeded in ${secs(e.durationMs)}${e.message ? `: ${e.message}` : ''}`);
        else if (e.type === 'hook.failed') close(b, at, 'failed', `FAILED after ${secs(e.durationMs)}: ${e.message}`);
        else close(b, at, 'terminated', `terminated after ${secs(e.durationMs)}`);
        break;
      }
      case 'syncfail.started':
        failedObject = e.failedObject;
        syncFail = { level: 'syncfail', label: 'SyncFail', start: at, end: at, failed: false };
        m.bands.push(syncFail);
        break;
      case 'syncfail.finished':
        if (syncFail) {
          syncFail.end = at;
          syncFail.failed = e.status === 'Failed';
        }
        break;
      default:
        break;
    }
  }

  const last = Math.max(end, m.durationMs);
  for (const b of [...openPhases.values(), ...openWaves.values()]) b.end = m.failure?.at ?? last;
  if (syncFail && syncFail.end === syncFail.start) syncFail.end = last;
  for (const b of openBars.values()) {
    const wave = m.bands.find((w) => w.level === 'wave' && w.label === waveLabel(b.phase ?? '', b.wave ?? 0));
    const until = wave && wave.end > b.start ? wave.end : last;
    if (b.kind === 'object' && b.object === failedObject) close(b, m.failure?.at ?? until, 'failed', 'not ready: the sync failed here');
    else close(b, b.kind === 'hook' ? last : until, 'open', b.kind === 'hook' ? 'still running when the operation ended' : 'applied, not awaited');
  }
  if (m.status === 'Failed') {
    for (const w of m.bands) if (w.level !== 'syncfail' && w.start <= (m.failure?.at ?? 0) && w.end >= (m.failure?.at ?? 0)) w.failed = true;
  }
  m.gaps = idleGaps(m.bands.filter((b) => b.level === 'wave'));
  return m;
}

/** Intervals between consecutive waves in which no wave ran. */
function idleGaps(waves: Band[]): Gap[] {
  const sorted = [...waves].sort((a, b) => a.start - b.start);
  const gaps: Gap[] = [];
  let reach = -Infinity;
  for (const w of sorted) {
    if (reach !== -Infinity && w.start > reach) gaps.push({ start: reach, end: w.start });
    reach = Math.max(reach, w.end);
  }
  return gaps;
}

export function secs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
