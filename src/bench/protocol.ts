/** Messages between the benchmark (parent) and its subject process (worker.ts). */
import type { HookChartShape } from './charts';
import type { MemoryReport } from './memory';
import type { ScaleShape } from './scale';

export type ChartSpec =
  | { type: 'wave'; ns: string; waves: number }
  | { type: 'hook'; ns: string; shape: HookChartShape }
  | { type: 'bulk'; ns: string; n: number }
  | { type: 'scale'; ns: string; shape: ScaleShape };

/** Which client makes the raw applies: the engine's KubeClient, or one reused connection (HTTP/2 with the API server). */
export type RawClient = 'engine' | 'pooled';

export type Command =
  | { cmd: 'warmup'; ns: string; n: number; concurrency: number; client: RawClient }
  | { cmd: 'sync'; chart: ChartSpec; concurrency: number; sampleMemory: boolean; keepEvents: boolean; dryRunConcurrency?: number }
  | { cmd: 'raw'; ns: string; n: number; concurrency: number; client: RawClient; sampleMemory: boolean };

/** One engine event as the subject saw it; `t` is its arrival (wall ms, sub-ms resolution). */
export interface CompactEvent {
  type: string;
  t: number;
  wave?: number;
  object?: string;
}

export interface SyncOutcome {
  ok: boolean;
  error?: string;
  /** Wall ms around planSync + runSync. */
  startMs: number;
  endMs: number;
  planMs: number;
  /** Arrival of operation.started (validation and dry run are over). */
  operationStartedMs?: number;
  firstAppliedMs?: number;
  lastAppliedMs?: number;
  applied: number;
  hooks: number;
  /** CPU time (user + system) the subject process spent in the run. */
  cpuMs: number;
  events?: CompactEvent[];
  memory?: MemoryReport;
}

export interface RawOutcome {
  startMs: number;
  endMs: number;
  applied: number;
  cpuMs: number;
  memory?: MemoryReport;
}

export interface WarmupOutcome {
  durationMs: number;
}

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface Hello {
  hello: true;
  pid: number;
  rssMiB: number;
}
