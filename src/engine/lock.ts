/**
 * One operation per application at a time: a coordination.k8s.io Lease `sync-hooks-lock-<app>`
 * holding who runs (`host:pid:random`), when it started, and a renew time. A second sync or
 * teardown fails at once with `LockHeldError` naming the holder; a lock whose holder stopped
 * renewing for `ttlMs` is taken over, and so is one held by a process of this host that is gone
 * (kill -9): the re-run after a crash does not have to wait.
 */
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import { ANNOTATION_LOCK_OPERATION_KIND, ANNOTATION_LOCK_TTL_MS, KubeObject } from '../model';
import { KubeClient, ObjectRef, isConflict, isNotFound } from './client';
import { LockHeldError } from './operation-errors';
import { DEFAULT_RECORD_NAMESPACE, OperationKind } from './record';

export const LOCK_NAME_PREFIX = 'sync-hooks-lock-';
export const DEFAULT_LOCK_TTL_MS = 60_000;
const KIND_ANNOTATION = ANNOTATION_LOCK_OPERATION_KIND;
const TTL_ANNOTATION = ANNOTATION_LOCK_TTL_MS;

export function lockRef(app: string, namespace = DEFAULT_RECORD_NAMESPACE): ObjectRef {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace, name: `${LOCK_NAME_PREFIX}${app}` };
}

export { LockHeldError, LockLostError } from './operation-errors';

/** Who took a lost lock over (undefined fields when the Lease is gone). */
export interface LockTaker {
  holder?: string;
  kind?: string;
  acquiredAt?: string;
}

const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

interface LeaseView {
  holder: string;
  kind: string;
  acquiredAt: string;
  renewedMs: number;
  ttlMs: number;
}

function view(lease: KubeObject): LeaseView {
  const spec = lease.spec ?? {};
  const ttlAnn = Number(lease.metadata.annotations?.[TTL_ANNOTATION]);
  const ttlMs = Number.isFinite(ttlAnn) && ttlAnn > 0 ? ttlAnn : (spec.leaseDurationSeconds ?? 60) * 1000;
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? lease.metadata.creationTimestamp ?? 0);
  return {
    holder: spec.holderIdentity ?? '<unknown>',
    kind: lease.metadata.annotations?.[KIND_ANNOTATION] ?? 'operation',
    acquiredAt: spec.acquireTime ?? lease.metadata.creationTimestamp ?? '<unknown>',
    renewedMs: Number.isFinite(renewed) ? renewed : 0,
    ttlMs,
  };
}

/** A holder `host:pid:…` of this host whose process no longer exists. */
function holderProcessGone(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== os.hostname() || !/^\d+$/.test(pid ?? '')) return false;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface LockOptions {
  app: string;
  namespace?: string;
  kind: OperationKind;
  /** A holder that stopped renewing for this long has lost the lock. Default 60 s. */
  ttlMs?: number;
  /** Called when a lock was taken over from a dead holder (for the log). */
  onTakeover?: (message: string) => void;
}

export class OperationLock {
  requests = 0;
  private timer?: NodeJS.Timeout;
  private resourceVersion?: string;
  private released = false;
  lost = false;
  /** Who holds the lock since it was lost. */
  lostTo?: LockTaker;
  private readonly lostListeners: Array<() => void> = [];

  private constructor(
    private readonly client: KubeClient,
    readonly ref: ObjectRef,
    readonly holder: string,
    readonly ttlMs: number,
    private readonly kind: OperationKind,
  ) {}

  private body(acquiredMs: number, nowMs: number, resourceVersion?: string): KubeObject {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.ref.name,
        namespace: this.ref.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'sync-hooks' },
        annotations: { [KIND_ANNOTATION]: this.kind, [TTL_ANNOTATION]: String(this.ttlMs) },
        ...(resourceVersion ? { resourceVersion } : {}),
      },
      spec: {
        holderIdentity: this.holder,
        leaseDurationSeconds: Math.max(1, Math.ceil(this.ttlMs / 1000)),
        acquireTime: microTime(acquiredMs),
        renewTime: microTime(nowMs),
      },
    };
  }

  /** Takes the lock or throws LockHeldError (at once: no waiting for the holder). */
  static async acquire(client: KubeClient, opts: LockOptions): Promise<OperationLock> {
    const ttlMs = opts.ttlMs ?? DEFAULT_LOCK_TTL_MS;
    const holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
    const lock = new OperationLock(client, lockRef(opts.app, opts.namespace), holder, ttlMs, opts.kind);
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      lock.requests++;
      try {
        const live = await client.create(lock.body(started, Date.now()));
        lock.resourceVersion = live.metadata.resourceVersion;
        break;
      } catch (e) {
        if (!isConflict(e) || attempt >= 3) throw e;
      }
      lock.requests++;
      const live = await client.get(lock.ref);
      if (!live) continue; // released meanwhile
      const v = view(live);
      const expired = Date.now() > v.renewedMs + v.ttlMs;
      const gone = holderProcessGone(v.holder);
      if (!expired && !gone) {
        throw new LockHeldError(
          opts.app,
          v.holder,
          v.kind,
          v.acquiredAt,
          new Date(v.renewedMs + v.ttlMs).toISOString(),
          `Lease ${lock.ref.namespace}/${lock.ref.name}, renewed ${Math.max(0, Math.round((Date.now() - v.renewedMs) / 1000))}s ago`,
        );
      }
      // Take over: conditional on the version we judged (a concurrent taker gets a conflict).
      lock.requests++;
      try {
        const taken = await client.apply(lock.body(started, Date.now(), live.metadata.resourceVersion));
        lock.resourceVersion = taken.metadata.resourceVersion;
        opts.onTakeover?.(
          `took over the lock of application "${opts.app}" from ${v.holder} (${v.kind} started ${v.acquiredAt}; ${gone ? 'its process is gone' : `not renewed for ${Math.round((Date.now() - v.renewedMs) / 1000)}s`})`,
        );
        break;
      } catch (e) {
        if (!isConflict(e) || attempt >= 3) throw e;
      }
    }
    lock.timer = setInterval(() => void lock.renew(started), Math.max(200, Math.floor(ttlMs / 3)));
    lock.timer.unref();
    return lock;
  }

  /** Calls `listener` once, when the lock is found lost (at a renewal). */
  onLost(listener: () => void): void {
    if (this.lost) listener();
    else this.lostListeners.push(listener);
  }

  /** `Lease ns/name` for messages. */
  describe(): string {
    return `Lease ${this.ref.namespace}/${this.ref.name}`;
  }

  private async renew(started: number): Promise<void> {
    if (this.released || this.lost) return;
    this.requests++;
    try {
      const live = await this.client.apply(this.body(started, Date.now(), this.resourceVersion));
      this.resourceVersion = live.metadata.resourceVersion;
    } catch (e) {
      // A conflict: someone took the lock over (we did not renew in time, or it was stolen); not
      // found: the Lease was deleted. Transient errors: retried at the next tick.
      if (isConflict(e) || isNotFound(e)) await this.markLost();
    }
  }

  private async markLost(): Promise<void> {
    if (this.lost || this.released) return;
    if (this.timer) clearInterval(this.timer);
    let taker: LockTaker = {};
    try {
      this.requests++;
      const live = await this.client.get(this.ref);
      if (live) {
        const v = view(live);
        taker = { holder: v.holder, kind: v.kind, acquiredAt: v.acquiredAt };
      }
    } catch {
      // Unknown taker.
    }
    this.lostTo = taker;
    this.lost = true;
    for (const l of this.lostListeners.splice(0)) {
      try {
        l();
      } catch {
        // A listener's bug must not stop the others.
      }
    }
  }

  /** Stops renewing and deletes the Lease if it is still ours. Never throws. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    try {
      if (this.resourceVersion) {
        // The version this run wrote last: deleted only if nobody took the lock over since.
        this.requests++;
        try {
          await this.client.delete(this.ref, { propagationPolicy: 'Background', ifResourceVersion: this.resourceVersion });
          return;
        } catch (e) {
          if (!isConflict(e)) throw e;
        }
      }
      // Changed since (a renewal whose answer was lost, a takeover): delete it only if it is still ours.
      this.requests++;
      const live = await this.client.get(this.ref);
      if (live?.spec?.holderIdentity !== this.holder) return;
      this.requests++;
      await this.client.delete(this.ref, { propagationPolicy: 'Background', ...(live.metadata.resourceVersion ? { ifResourceVersion: live.metadata.resourceVersion } : {}) });
    } catch {
      // It expires.
    }
  }
}
