/**
 * One watch per (apiVersion, kind, namespace) shared by everything the engine waits on, fanned out
 * to subscribers by object name. A watch that ends is re-opened (after `pollIntervalMs` when it
 * ended with an error); while it is down the channel is "broken" and waiters poll instead.
 */
import { KubeObject } from '../model';
import { KubeClient, ObjectRef, WatchHandle } from './client';

export interface Subscriber {
  /** The object changed (`undefined`: deleted). */
  onObject(obj: KubeObject | undefined): void;
  /** The watch was (re-)opened: re-read, since changes may have been missed. */
  onResync(): void;
}

interface Channel {
  apiVersion: string;
  kind: string;
  namespace?: string;
  handle?: WatchHandle;
  broken: boolean;
  failures: number;
  retry?: NodeJS.Timeout;
  /** Set while nobody listens: the watch is kept open a while for the next wave's waiters. */
  idle?: NodeJS.Timeout;
  subs: Map<string, Set<Subscriber>>;
}

/** How long an unused watch stays open (waves of one operation reuse it). */
const LINGER_MS = 30_000;

const MAX_RETRY_MS = 5_000;

export class WatchHub {
  private readonly channels = new Map<string, Channel>();
  private closed = false;

  constructor(
    private readonly client: KubeClient,
    private readonly pollIntervalMs: number,
  ) {}

  /** Subscribes to changes of one object; returns the unsubscribe function. */
  subscribe(ref: ObjectRef, sub: Subscriber): () => void {
    const id = `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}`;
    let ch = this.channels.get(id);
    if (!ch) {
      ch = { apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace, broken: false, failures: 0, subs: new Map() };
      this.channels.set(id, ch);
      this.open(ch);
    }
    if (ch.idle) {
      clearTimeout(ch.idle);
      ch.idle = undefined;
    }
    // A channel whose watch is closed with no retry pending would never deliver events again.
    if (!ch.handle && !ch.retry) this.open(ch);
    const set = ch.subs.get(ref.name) ?? new Set<Subscriber>();
    set.add(sub);
    ch.subs.set(ref.name, set);
    const channel = ch;
    return () => {
      set.delete(sub);
      if (set.size === 0) channel.subs.delete(ref.name);
      if (channel.subs.size === 0 && !channel.idle && this.channels.get(id) === channel) {
        channel.idle = setTimeout(() => this.drop(id, channel), LINGER_MS);
        channel.idle.unref?.();
      }
    };
  }

  /** True while the watch of this object's channel is down (waiters should poll). */
  isBroken(ref: ObjectRef): boolean {
    return this.channels.get(`${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}`)?.broken ?? true;
  }

  close(): void {
    this.closed = true;
    for (const [id, ch] of this.channels) this.drop(id, ch);
  }

  private drop(id: string, ch: Channel): void {
    if (this.channels.get(id) === ch) this.channels.delete(id);
    if (ch.retry) clearTimeout(ch.retry);
    if (ch.idle) clearTimeout(ch.idle);
    ch.handle?.stop();
    ch.handle = undefined;
  }

  private open(ch: Channel): void {
    if (this.closed) return;
    const opened = Date.now();
    ch.handle = this.client.watch(
      { apiVersion: ch.apiVersion, kind: ch.kind, namespace: ch.namespace },
      (type, obj) => {
        ch.broken = false;
        ch.failures = 0;
        const name = obj.metadata?.name;
        if (!name) return;
        for (const s of ch.subs.get(name) ?? []) s.onObject(type === 'DELETED' ? undefined : obj);
      },
      (err) => {
        ch.handle = undefined;
        if (this.closed) return;
        if (ch.subs.size === 0) {
          // Idle and closed by the server: forget it; the next subscriber opens a fresh watch.
          this.drop(`${ch.apiVersion}|${ch.kind}|${ch.namespace ?? ''}`, ch);
          return;
        }
        // A clean server-side close after a while is routine: re-watch at once. An error, or a
        // watch that keeps closing immediately, means polling until it comes back.
        const routine = !err && Date.now() - opened > 1_000;
        ch.broken = !routine;
        ch.failures = routine ? 0 : ch.failures + 1;
        const delay = routine ? 0 : Math.min(this.pollIntervalMs * ch.failures, MAX_RETRY_MS);
        ch.retry = setTimeout(() => {
          ch.retry = undefined;
          if (this.closed) return;
          // Nobody listens any more: forget the channel, so the next subscriber opens a fresh watch
          // (kept, it would stay closed and broken, and its waiters would only poll).
          if (ch.subs.size === 0) this.drop(`${ch.apiVersion}|${ch.kind}|${ch.namespace ?? ''}`, ch);
          else this.open(ch);
        }, delay);
      },
      // Established: anything deleted before now produced no DELETED event, so subscribers re-read.
      () => {
        ch.broken = false;
        for (const set of [...ch.subs.values()]) for (const s of [...set]) s.onResync();
      },
    );
  }
}
