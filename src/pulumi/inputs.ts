/** The SyncedChart's serialized inputs and outputs (plain JSON as stored in Pulumi state). */
import type { HookResult } from '../engine';
import type { KubeObject } from '../model';
import type { InventoryEntry } from '../runner';
import type { SecretData } from './secret-data';

export type RunHooks = 'on-change' | 'always';

export interface ChartTimeouts {
  /** Deadline of the whole sync or teardown, in seconds (default 1800). */
  sync?: number;
  /** Deadline of a hook without `activeDeadlineSeconds`, in seconds (default 600). */
  hook?: number;
  /** Budget of the SyncFail phase, in seconds (default 600). */
  syncFail?: number;
  /** A lock of the application not renewed for this long is taken over, in seconds (default 60). */
  lock?: number;
}

/** Argo CD's `spec.syncPolicy.retry`: durations as Argo CD writes them (`5s`, `3m`). Off when absent. */
export interface ChartRetry {
  /** Retries after the first attempt. */
  limit: number;
  backoff?: { duration?: string; factor?: number; maxDuration?: string };
}

/** Inputs as the provider receives them. */
export interface ChartInputs {
  appName: string;
  /** Secrets' values replaced by a placeholder: they are in `secretData` (see secret-data.ts). */
  manifests: KubeObject[];
  /** Values of the chart's Secrets by index in `manifests` (a secret input). */
  secretData?: SecretData;
  kubeconfig?: string;
  namespace?: string;
  prune: boolean;
  timeouts?: ChartTimeouts;
  runHooks: RunHooks;
  triggers?: unknown[];
  /** Changes on every program run when runHooks is 'always'. */
  runNonce?: string;
  /** A chart with no objects is accepted (HookPhases' nodes); otherwise `check` rejects it. */
  allowEmpty?: boolean;
  /**
   * Names the application in the cluster: its operation record (ConfigMap default/sync-hooks-op-<app>),
   * its lock (Lease default/sync-hooks-lock-<app>) and the `sync-hooks.dev/app` label of what it
   * writes. Absent in states written before the record existed (then no record is kept).
   */
  recordApp?: string;
  /** Start over instead of continuing an interrupted sync or teardown of the same manifests. */
  restart?: boolean;
  /** Argo CD's CreateNamespace=true: `namespace` is created first if missing (and never deleted). */
  createNamespace?: boolean;
  /** Argo CD's operation retry; SyncFail runs once, after the last attempt. */
  retry?: ChartRetry;
  /** Absolute path: each sync and teardown draws its timeline (HTML) there. Not a reason to sync. */
  timelineFile?: string;
}

export interface HookSummary {
  name: string;
  object: string;
  phase: string;
  wave: number;
  status: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  message?: string;
}

export interface LastSync {
  operation: 'sync' | 'teardown';
  status: 'Succeeded' | 'Failed';
  time: string;
  durationMs: number;
  message?: string;
}

export interface ChartOutputs extends ChartInputs {
  /** Managed objects that exist because of this chart: `apiVersion`, `kind`, `namespace`, `name`. */
  objects: InventoryEntry[];
  hooks: HookSummary[];
  lastSync: LastSync;
  /** The last failure with the hook's termination messages and log tails (secret output; lastSync.message withholds them). */
  failureDetails?: string;
}

export function summarizeHooks(hooks: HookResult[]): HookSummary[] {
  return hooks.map((h) => ({
    name: h.name,
    object: h.object,
    phase: h.phase,
    wave: h.wave,
    status: h.status,
    startedAt: h.startedAt,
    ...(h.finishedAt ? { finishedAt: h.finishedAt, durationMs: Date.parse(h.finishedAt) - Date.parse(h.startedAt) } : {}),
    ...(h.message ? { message: h.message } : {}),
  }));
}
