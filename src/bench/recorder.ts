/**
 * An independent observer: list+watch (client-node `Watch`, its own connections, in the
 * benchmark's main process, not the engine's) of some kinds in one namespace, timestamping the
 * moment each ADDED/MODIFIED event arrives: when each object was first seen (created) and when it
 * was first seen ready. "Ready" is the Argo CD health of src/health: Healthy or no health check
 * (a ConfigMap is ready when it exists, a Job when Complete, a Deployment when rolled out at the
 * current generation).
 */
import { getHealth, resourceOperationState } from '../health';
import { KubeObject } from '../model';
import { clientNode, rest } from './rest';
import { nowMs } from './stats';

export interface KindSpec {
  apiVersion: string;
  kind: string;
  plural: string;
}

export const CONFIGMAP: KindSpec = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' };
export const DEPLOYMENT: KindSpec = { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' };
export const JOB: KindSpec = { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs' };

export interface ObjectTimes {
  kind: string;
  name: string;
  /** Arrival of the first event for the object (its ADDED). */
  createdAt?: number;
  /** Arrival of the first event showing it ready. */
  readyAt?: number;
  deletedAt?: number;
}

export function isReady(obj: KubeObject): boolean {
  return resourceOperationState(getHealth(obj)) === 'Succeeded';
}

function collectionPath(k: KindSpec, ns: string): string {
  const base = k.apiVersion.includes('/') ? `/apis/${k.apiVersion}` : `/api/${k.apiVersion}`;
  return `${base}/namespaces/${ns}/${k.plural}`;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

export class WatchRecorder {
  readonly objects = new Map<string, ObjectTimes>();
  /** Watches that ended while recording (each re-opened from the last resourceVersion). */
  interruptions = 0;
  private stopped = false;
  private readonly controllers = new Set<AbortController>();
  private waiters: Waiter[] = [];

  constructor(
    private readonly kc: any,
    readonly namespace: string,
    private readonly kinds: KindSpec[],
  ) {}

  /** Lists each kind (for a resourceVersion) and opens its watch; resolves once every watch is established. */
  async start(): Promise<void> {
    await Promise.all(
      this.kinds.map(async (k) => {
        const list = await rest(this.kc, 'GET', collectionPath(k, this.namespace));
        if (list.status !== 200) throw new Error(`listing ${k.plural} in ${this.namespace}: HTTP ${list.status}`);
        for (const o of list.body.items ?? []) this.record('ADDED', { ...o, kind: k.kind, apiVersion: k.apiVersion });
        await this.open(k, list.body.metadata.resourceVersion);
      }),
    );
  }

  private async open(k: KindSpec, resourceVersion: string): Promise<void> {
    const { Watch } = clientNode();
    const w = new Watch(this.kc);
    w.requestTimeoutMs = 60 * 60_000; // client-node's default 30 s inactivity abort would break quiet watches
    let rv = resourceVersion;
    const controller: AbortController = await w.watch(
      collectionPath(k, this.namespace),
      { resourceVersion: rv, allowWatchBookmarks: true },
      (type: string, obj: any) => {
        if (obj?.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') this.record(type, { ...obj, kind: k.kind, apiVersion: k.apiVersion });
      },
      () => {
        this.controllers.delete(controller);
        if (this.stopped) return;
        this.interruptions++;
        void this.open(k, rv).catch(() => undefined);
      },
    );
    if (this.stopped) controller.abort();
    else this.controllers.add(controller);
  }

  private record(type: string, obj: KubeObject): void {
    const t = nowMs();
    const key = `${obj.kind}/${obj.metadata.name}`;
    let rec = this.objects.get(key);
    if (!rec) {
      rec = { kind: obj.kind, name: obj.metadata.name! };
      this.objects.set(key, rec);
    }
    if (type === 'DELETED') rec.deletedAt ??= t;
    else {
      rec.createdAt ??= t;
      if (rec.readyAt === undefined && isReady(obj)) rec.readyAt = t;
    }
    if (this.waiters.length) {
      const pending: Waiter[] = [];
      for (const w of this.waiters) {
        if (w.check()) w.resolve();
        else pending.push(w);
      }
      this.waiters = pending;
    }
  }

  get(kind: string, name: string): ObjectTimes | undefined {
    return this.objects.get(`${kind}/${name}`);
  }

  /** Resolves when `check()` holds (re-evaluated on every event); rejects after `timeoutMs`. */
  waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (watch of ${this.namespace})`));
      }, timeoutMs);
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
  }
}
