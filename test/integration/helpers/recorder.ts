/**
 * An independent observer of the cluster for order assertions: watches a namespace and records
 * every ADDED / MODIFIED / DELETED event with the local receive time, plus when Jobs completed.
 */
import { k8s, kubeConfig } from './kube';

export interface Observed {
  at: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  kind: string;
  name: string;
  namespace?: string;
  /** For Jobs: 'Complete' | 'Failed' when that condition is True in this event. */
  jobState?: string;
  /** metadata.deletionTimestamp is set: the deletion has started. */
  deleting?: boolean;
  /**
   * metadata.resourceVersion of the object in this event: the etcd revision of the write, one
   * sequence across all kinds (receive times of different watches can be out of order by a few ms).
   */
  rv?: number;
}

const PATHS: Record<string, string> = {
  Job: '/apis/batch/v1/jobs',
  Deployment: '/apis/apps/v1/deployments',
  ConfigMap: '/api/v1/configmaps',
  Service: '/api/v1/services',
  Secret: '/api/v1/secrets',
  Namespace: '/api/v1/namespaces',
};

export class Recorder {
  readonly events: Observed[] = [];
  private readonly aborts: Array<{ abort(): void }> = [];

  private stopped = false;

  static async start(kinds = Object.keys(PATHS)): Promise<Recorder> {
    const r = new Recorder();
    const watch = new (k8s().Watch)(kubeConfig());
    for (const kind of kinds) {
      // The API server ends watches after a while (and sooner on a busy machine): resume from the
      // last resourceVersion seen, so no event is lost or replayed.
      let resourceVersion: string | undefined;
      const open = async (): Promise<void> => {
        const req = await watch.watch(
          PATHS[kind],
          { allowWatchBookmarks: true, ...(resourceVersion ? { resourceVersion } : {}) },
          (type: string, obj: any) => {
            if (obj?.metadata?.resourceVersion) resourceVersion = obj.metadata.resourceVersion;
            if (type === 'BOOKMARK') return;
            const conds: any[] = obj?.status?.conditions ?? [];
            const jobState = kind === 'Job' ? conds.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type : undefined;
            r.events.push({
              at: Date.now(),
              type: type as Observed['type'],
              kind,
              name: obj?.metadata?.name,
              namespace: obj?.metadata?.namespace,
              jobState,
              ...(obj?.metadata?.deletionTimestamp ? { deleting: true } : {}),
              ...(/^\d+$/.test(obj?.metadata?.resourceVersion ?? '') ? { rv: Number(obj.metadata.resourceVersion) } : {}),
            });
          },
          () => {
            if (!r.stopped) setTimeout(() => void open().catch(() => undefined), 100);
          },
        );
        r.aborts.push(req);
      };
      await open();
    }
    return r;
  }

  stop(): void {
    this.stopped = true;
    for (const a of this.aborts) a.abort();
  }

  /** Time of the first event matching, or undefined. */
  first(pred: (e: Observed) => boolean): number | undefined {
    return this.events.find(pred)?.at;
  }

  last(pred: (e: Observed) => boolean): number | undefined {
    const m = this.events.filter(pred);
    return m.length ? m[m.length - 1].at : undefined;
  }

  /** The write order (resourceVersion) of the first event matching, or undefined. */
  revision(pred: (e: Observed) => boolean): number | undefined {
    return this.events.find(pred)?.rv;
  }

  /*
   * created/completed/deleted/deletionStarted return the WRITE ORDER of the event (its
   * resourceVersion), not a receive time: tests compare them to check the order of operations,
   * and receive times of separate watches can tie or swap by a few ms on a busy machine, while
   * resourceVersions are one sequence across all kinds (etcd's revision).
   */
  private order(pred: (e: Observed) => boolean): number | undefined {
    const e = this.events.find(pred);
    return e === undefined ? undefined : (e.rv ?? e.at);
  }

  created(kind: string, name: string, ns?: string): number | undefined {
    return this.order((e) => e.type === 'ADDED' && e.kind === kind && e.name.startsWith(name) && (ns === undefined || e.namespace === ns));
  }

  completed(name: string, ns?: string): number | undefined {
    return this.order((e) => e.kind === 'Job' && e.jobState === 'Complete' && e.name.startsWith(name) && (ns === undefined || e.namespace === ns));
  }

  deleted(kind: string, name: string, ns?: string): number | undefined {
    return this.order((e) => e.type === 'DELETED' && e.kind === kind && e.name === name && (ns === undefined || e.namespace === ns));
  }

  /** Index of the first event matching (the order in which the watch saw them), or -1. */
  indexOf(pred: (e: Observed) => boolean): number {
    return this.events.findIndex(pred);
  }

  /** When the deletion of an object started (deletionTimestamp first seen, or DELETED). */
  deletionStarted(kind: string, name: string, ns?: string): number | undefined {
    return this.order((e) => (e.deleting || e.type === 'DELETED') && e.kind === kind && e.name === name && (ns === undefined || e.namespace === ns));
  }

  clear(): void {
    this.events.length = 0;
  }
}
