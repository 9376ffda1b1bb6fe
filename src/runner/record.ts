/**
 * Opening an application's operation record for one operation: the lock first (a second operation
 * of the app fails here, before anything is written), then the record. What the record lists as
 * written joins the inventory, so a run killed before it could store its inventory orphans nothing.
 */
import { createHash } from 'node:crypto';
import { OperationLock, OperationRecorder } from '../engine';
import type { KubeClient, OperationKind, RecordedObject } from '../engine';
import type { HistoryTarget } from '../history/record';
import { KubeObject } from '../model';
import { InventoryEntry, entryId } from './inventory';
import { stableStringify } from './normalize';

export interface AppRecordOptions {
  /** Application name (DNS-1123 label): keys the record, the lock and the `sync-hooks.dev/app` label. */
  app: string;
  /** Namespace of the record ConfigMap and the Lease (default `default`). */
  namespace?: string;
  /** Start over instead of continuing an interrupted operation of the same revision. */
  restart?: boolean;
  /** A lock not renewed for this long is taken over (default 60 s). */
  lockTtlMs?: number;
  /** Lines for the log (lock taken over, operation continued). */
  log?: (line: string) => void;
  /** Operations kept in the history Secret `sync-hooks-history-<app>` (default 10; 0: keep none, write nothing). */
  historyLimit?: number;
}

/** Where the history of the application goes, and how much of it is kept. */
export function historyTarget(opts: AppRecordOptions): HistoryTarget {
  return { app: opts.app, ...(opts.namespace ? { namespace: opts.namespace } : {}), ...(opts.historyLimit !== undefined ? { limit: opts.historyLimit } : {}) };
}

/** The revision of a desired state: a hash of the prepared manifests and the options that shape the plan. */
export function revisionOf(manifests: readonly KubeObject[], namespace: string | undefined, extra: unknown = null): string {
  return createHash('sha256').update(stableStringify({ manifests, namespace: namespace ?? null, extra })).digest('hex');
}

export async function openRecord(client: KubeClient, kind: OperationKind, opts: AppRecordOptions): Promise<OperationRecorder> {
  const lock = await OperationLock.acquire(client, { app: opts.app, namespace: opts.namespace, kind, ttlMs: opts.lockTtlMs, onTakeover: opts.log });
  try {
    return await OperationRecorder.open(client, { app: opts.app, namespace: opts.namespace, restart: opts.restart }, lock);
  } catch (e) {
    await lock.release();
    throw e;
  }
}

function toEntry(o: RecordedObject): InventoryEntry {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    name: o.name,
    ...(o.annotations ? { annotations: { ...o.annotations } } : {}),
  };
}

/** `inventory` plus the managed objects the record lists as written that it does not have. */
export function withRecorded(inventory: readonly InventoryEntry[], rec: OperationRecorder | undefined): InventoryEntry[] {
  if (!rec) return [...inventory];
  const have = new Set(inventory.map(entryId));
  const extra = rec
    .priorWritten()
    .filter((o) => !o.hook)
    .map(toEntry)
    .filter((e) => !have.has(entryId(e)));
  return [...inventory, ...extra];
}
