/**
 * Heartbeats: while the engine waits (a hook to complete, the wave gate for objects to become
 * healthy, an object to be deleted), a `heartbeat` event at least every `intervalMs` per (phase,
 * wave), saying what it waits for, for how long so far, and the deadline. CI systems kill jobs
 * that stay silent; a long hook otherwise prints nothing until its status message changes.
 */
import type { EnginePhase, HeartbeatItem } from './events';
import type { WaitSubject, WaitTracker } from './wait';

interface ActiveWait {
  subject: WaitSubject;
  since: number;
  deadlineAt?: number;
  message?: string;
}

export interface HeartbeatSink {
  emit(beat: { phase?: EnginePhase; wave?: number; waitedMs: number; deadline?: string; deadlineInMs?: number; waitingFor: HeartbeatItem[] }): void;
  /** The operation's own deadline for waits of `phase` (epoch ms), if any. */
  operationDeadline(phase?: EnginePhase): number | undefined;
}

function groupOf(s: WaitSubject): string {
  return `${s.phase ?? ''}|${s.wave ?? ''}`;
}

export class Heartbeats {
  private readonly waits = new Set<ActiveWait>();
  /** Per group: when its last heartbeat was emitted (or its first wait began). */
  private readonly lastBeat = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly intervalMs: number,
    private readonly sink: HeartbeatSink,
  ) {}

  track(subject: WaitSubject, deadlineAt?: number): WaitTracker {
    if (!(this.intervalMs > 0)) return { update: () => {}, done: () => {} };
    const w: ActiveWait = { subject, since: Date.now(), deadlineAt };
    const g = groupOf(subject);
    if (![...this.waits].some((x) => groupOf(x.subject) === g)) this.lastBeat.set(g, w.since);
    this.waits.add(w);
    this.ensureTimer();
    return {
      update: (message) => {
        w.message = message;
      },
      done: () => {
        this.waits.delete(w);
        if (this.waits.size === 0) this.stopTimer();
      },
    };
  }

  close(): void {
    this.waits.clear();
    this.stopTimer();
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.min(1000, this.intervalMs / 4)));
    this.timer.unref?.();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = Date.now();
    const groups = new Map<string, ActiveWait[]>();
    for (const w of this.waits) {
      const g = groupOf(w.subject);
      groups.set(g, [...(groups.get(g) ?? []), w]);
    }
    for (const g of [...this.lastBeat.keys()]) if (!groups.has(g)) this.lastBeat.delete(g);
    for (const [g, waits] of groups) {
      const last = this.lastBeat.get(g) ?? Math.min(...waits.map((w) => w.since));
      if (now - last < this.intervalMs) continue;
      this.lastBeat.set(g, now);
      const { phase, wave } = waits[0].subject;
      const opDeadline = this.sink.operationDeadline(phase);
      const items: HeartbeatItem[] = waits.map((w) => {
        const d = [w.deadlineAt, opDeadline].filter((x): x is number => x !== undefined);
        const deadlineAt = d.length ? Math.min(...d) : undefined;
        return {
          key: w.subject.key,
          object: w.subject.object,
          until: w.subject.until,
          waitedMs: now - w.since,
          ...(w.message ? { message: w.message } : {}),
          ...(deadlineAt !== undefined ? { deadline: new Date(deadlineAt).toISOString() } : {}),
        };
      });
      const deadlines = items.map((i) => i.deadline).filter((x): x is string => x !== undefined).map((x) => Date.parse(x));
      this.sink.emit({
        ...(phase !== undefined ? { phase } : {}),
        ...(wave !== undefined ? { wave } : {}),
        waitedMs: Math.max(...items.map((i) => i.waitedMs)),
        ...(deadlines.length ? { deadline: new Date(Math.min(...deadlines)).toISOString(), deadlineInMs: Math.max(0, Math.min(...deadlines) - now) } : {}),
        waitingFor: items,
      });
    }
  }
}
