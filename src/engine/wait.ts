/**
 * Watch-driven waiting on one object: evaluate it on every watch event, on start, on watch
 * re-open, and by polling while the watch is broken (plus a slow safety re-read). No fixed sleeps:
 * the wait ends the moment the object reaches the awaited state.
 */
import { KubeObject } from '../model';
import { KubeClient, ObjectRef } from './client';
import type { EnginePhase } from './events';
import { isAuthError } from './rest/errors';
import { WatchHub } from './watch-hub';

export type Verdict<T> = { done: true; value: T } | { done: false; message?: string };

/** The wait's own deadline passed. */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

/** The wait's signal fired (operation cancelled or timed out). */
export class WaitAborted extends Error {
  override name = 'WaitAborted';
}

/** What a wait is for, as heartbeats report it. */
export interface WaitSubject {
  phase?: EnginePhase;
  wave?: number;
  key: string;
  object: string;
  /** A hook to complete, an object to become healthy (the wave gate), or to be deleted. */
  until: 'complete' | 'healthy' | 'deleted';
}

/** Told the wait's latest status message, and when it is over. */
export interface WaitTracker {
  update(message: string): void;
  done(): void;
}

export interface WaitContext {
  client: KubeClient;
  hub: WatchHub;
  pollIntervalMs: number;
  resyncIntervalMs: number;
  /** Registers a wait for heartbeats (the Operation does). */
  track?(subject: WaitSubject, deadlineAt?: number): WaitTracker;
}

export interface WaitOptions {
  signal: AbortSignal;
  /** Epoch ms; rejects with DeadlineExceeded when passed. */
  deadlineAt?: number;
  /** Called when the waiting message changes. */
  onProgress?: (message: string) => void;
  /** What the wait is for: reported in heartbeats while it lasts. */
  subject?: WaitSubject;
}

export function waitFor<T>(
  ctx: WaitContext,
  ref: ObjectRef,
  evaluate: (obj: KubeObject | undefined) => Verdict<T>,
  opts: WaitOptions,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let lastMessage: string | undefined;
    let reading = false;
    let rereadQueued = false;
    let lastRead = 0;
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe = () => {};
    let tracker: WaitTracker | undefined;

    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      tracker?.done();
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      opts.signal.removeEventListener('abort', onAbort);
      fn();
    };
    const check = (obj: KubeObject | undefined) => {
      if (settled) return;
      let v: Verdict<T>;
      try {
        v = evaluate(obj);
      } catch (err) {
        return finish(() => reject(err));
      }
      if (v.done) return finish(() => resolve(v.value));
      if (v.message && v.message !== lastMessage) {
        lastMessage = v.message;
        tracker?.update(v.message);
        opts.onProgress?.(v.message);
      }
    };
    const read = async () => {
      if (settled) return;
      if (reading) {
        rereadQueued = true;
        return;
      }
      reading = true;
      lastRead = Date.now();
      try {
        check(await ctx.client.get(ref));
      } catch (err) {
        // Refused credentials or permissions will not heal by waiting: surface them now.
        if (isAuthError(err)) return finish(() => reject(err));
        // Anything else the REST layer already retried: the next event, poll or the deadline decides.
      } finally {
        reading = false;
        if (rereadQueued) {
          rereadQueued = false;
          void read();
        }
      }
    };
    const onAbort = () => finish(() => reject(new WaitAborted('aborted')));

    if (opts.signal.aborted) return reject(new WaitAborted('aborted'));
    opts.signal.addEventListener('abort', onAbort);
    if (opts.subject) tracker = ctx.track?.(opts.subject, opts.deadlineAt);
    unsubscribe = ctx.hub.subscribe(ref, { onObject: check, onResync: () => void read() });
    if (opts.deadlineAt !== undefined) {
      const ms = Math.max(0, opts.deadlineAt - Date.now());
      timers.push(setTimeout(() => finish(() => reject(new DeadlineExceeded(`deadline of ${ms}ms passed`))), ms));
    }
    // Poll only while the watch is down, and re-read now and then regardless.
    timers.push(
      setInterval(() => {
        const since = Date.now() - lastRead;
        if (ctx.hub.isBroken(ref) ? since >= ctx.pollIntervalMs - 5 : since >= ctx.resyncIntervalMs) void read();
      }, Math.min(ctx.pollIntervalMs, ctx.resyncIntervalMs)),
    );
    void read();
  });
}

/**
 * What a deletion waits on: the object's finalizers and, for a Namespace, what its controller says
 * remains (`Some content in the namespace has finalizers remaining: ...`).
 */
export function deletionProgress(obj: KubeObject): string {
  const finalizers = obj.metadata.finalizers ?? [];
  const remaining =
    obj.kind === 'Namespace'
      ? ((obj.status?.conditions ?? []) as Array<{ type?: string; status?: string; message?: string }>)
          .filter((c) => c.status === 'True' && /Remaining$/.test(c.type ?? '') && c.message)
          .map((c) => c.message)
      : [];
  const parts = [
    ...(finalizers.length ? [`waiting for finalizer${finalizers.length === 1 ? '' : 's'} ${finalizers.join(', ')}`] : []),
    ...remaining,
  ];
  return parts.length ? `being deleted, ${parts.join('; ')}` : 'being deleted';
}

/** Waits until the object is gone (or replaced by a new one with another uid). */
export function waitGone(ctx: WaitContext, ref: ObjectRef, uid: string | undefined, opts: WaitOptions): Promise<void> {
  return waitFor<void>(
    ctx,
    ref,
    (obj) =>
      !obj || (uid !== undefined && obj.metadata.uid !== uid)
        ? { done: true, value: undefined }
        : { done: false, message: obj.metadata.deletionTimestamp ? deletionProgress(obj) : 'still present' },
    opts,
  );
}
