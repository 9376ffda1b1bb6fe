/**
 * The four measurements. Each scenario works in namespaces of its own, deleted (and awaited until
 * gone) before the next starts. The engine always runs in a subject process (worker.ts); the
 * observer's watch and the floors run here, in the benchmark's process.
 */
import * as crypto from 'node:crypto';
import { KubeClient } from '../engine';
import { GATE_KINDS, GateKind, HookChartShape, configMap, gateOf, hookChart, hookName, job } from './charts';
import type { MemoryReport } from './memory';
import { RawOutcome, SyncOutcome } from './protocol';
import { CONFIGMAP, DEPLOYMENT, JOB, WatchRecorder } from './recorder';
import { createNamespace, deleteNamespace, pooledApply } from './rest';
import { processCpuMs } from './procstat';
import { Subject } from './subject';
import { median, nowMs, percentile, pool, sum } from './stats';

export interface BenchContext {
  kc: any;
  kubeconfig: string;
  /** The engine's KubeClient, in this process: used for the floors (same code path as the engine). */
  client: KubeClient;
  concurrency: number;
  progress: (m: string) => void;
  /** The API server's pid when known (own cluster, or BENCH_APISERVER_PID): its CPU time per object in (c). */
  apiserverPid?: number;
  /** (c) also runs the engine with its dry runs at 1 x concurrency (BENCH_BULK_AB=1). */
  bulkDryRunAb?: boolean;
}

export function namespaceName(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(3).toString('hex')}`;
}

function fail(what: string, out: SyncOutcome): never {
  throw new Error(`${what}: the engine's sync failed: ${out.error}`);
}

/** Deletes the scenario's namespaces (in parallel) and waits until all are gone. */
async function cleanup(ctx: BenchContext, namespaces: string[]): Promise<void> {
  const t0 = Date.now();
  await Promise.all(namespaces.map((ns) => deleteNamespace(ctx.kc, ns)));
  ctx.progress(`  cleanup: ${namespaces.length} namespace(s) deleted and gone after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// ---- (a) per-wave orchestration overhead ---------------------------------------------------------

export interface WaveOverheadResult {
  waves: number;
  runs: number;
  /** Gap per wave boundary: last gating object of wave w seen ready → first object of wave w+1 seen created (observer's watch). */
  gapsMs: number[];
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  medianByGateKind: Record<GateKind, number>;
  /** The same boundaries as the engine reports them (object.ready of w → object.applied of w+1), for cross-checking. */
  engineViewMedianMs: number;
  /** One server-side apply of a ConfigMap through the engine's KubeClient.apply, sequential: response round trip. */
  applyRoundTripMs: Dist;
  /** Same apply, sent → its ADDED event on the observer's watch: the least a wave boundary costs with the engine's client. */
  applyToWatchMs: Dist;
  /** The same two over one reused connection (what the API server itself costs). */
  pooledApplyRoundTripMs: Dist;
  pooledApplyToWatchMs: Dist;
  syncDurationsMs: number[];
  watchInterruptions: number;
}

export interface Dist {
  median: number;
  p95: number;
  samples: number;
}

function dist(v: number[]): Dist {
  return { median: median(v), p95: percentile(v, 95), samples: v.length };
}

async function measureApplyFloor(
  ctx: BenchContext,
  rec: WatchRecorder,
  ns: string,
  n: number,
  client: 'engine' | 'pooled',
  warmup = 3,
): Promise<{ rtt: number[]; toWatch: number[] }> {
  const rtt: number[] = [];
  const toWatch: number[] = [];
  for (let i = 0; i < n + warmup; i++) {
    const name = `floor-${client}-${i}`;
    const obj = configMap(ns, name);
    const t0 = nowMs();
    if (client === 'engine') await ctx.client.apply(obj);
    else await pooledApply(ctx.kc, obj);
    const t1 = nowMs();
    await rec.waitUntil(`ConfigMap ${name} on the watch`, () => rec.get('ConfigMap', name)?.createdAt !== undefined, 30_000);
    if (i < warmup) continue;
    rtt.push(t1 - t0);
    toWatch.push(rec.get('ConfigMap', name)!.createdAt! - t0);
  }
  return { rtt, toWatch };
}

export async function waveOverhead(ctx: BenchContext, waves: number, runs: number): Promise<WaveOverheadResult> {
  const gaps: number[] = [];
  const byKind: Record<GateKind, number[]> = { ConfigMap: [], Deployment: [], Job: [] };
  const engineGaps: number[] = [];
  const floors = { engine: { rtt: [] as number[], toWatch: [] as number[] }, pooled: { rtt: [] as number[], toWatch: [] as number[] } };
  const durations: number[] = [];
  const namespaces: string[] = [];
  let interruptions = 0;
  const subject = await Subject.start(ctx.kubeconfig);
  try {
    for (let run = 0; run < runs; run++) {
      const ns = namespaceName('bench-waves');
      await createNamespace(ctx.kc, ns);
      namespaces.push(ns);
      const rec = new WatchRecorder(ctx.kc, ns, [CONFIGMAP, DEPLOYMENT, JOB]);
      try {
        await rec.start();
        for (const client of ['engine', 'pooled'] as const) {
          const f = await measureApplyFloor(ctx, rec, ns, 20, client);
          floors[client].rtt.push(...f.rtt);
          floors[client].toWatch.push(...f.toWatch);
        }
        ctx.progress(`  run ${run + 1}/${runs}: ${waves}-wave sync in ${ns}`);
        const out = await subject.request<SyncOutcome>({ cmd: 'sync', chart: { type: 'wave', ns, waves }, concurrency: ctx.concurrency, sampleMemory: false, keepEvents: true });
        if (!out.ok) fail('(a)', out);
        durations.push(out.endMs - out.startMs);
        const gate = (w: number) => rec.get(gateOf(w).kind, gateOf(w).name);
        // Every boundary needs wave w ready and wave w+1 created on the watch (the final wave is not gated).
        await rec.waitUntil(
          'every gating object on the watch',
          () => Array.from({ length: waves - 1 }, (_, w) => gate(w)?.readyAt !== undefined && gate(w + 1)?.createdAt !== undefined).every(Boolean),
          30_000,
        );
        for (let w = 0; w < waves - 1; w++) {
          const gap = gate(w + 1)!.createdAt! - gate(w)!.readyAt!;
          gaps.push(gap);
          byKind[gateOf(w).kind].push(gap);
          const ready = out.events!.find((e) => e.type === 'object.ready' && e.wave === w);
          const next = out.events!.find((e) => e.type === 'object.applied' && e.wave === w + 1);
          if (ready && next) engineGaps.push(next.t - ready.t);
        }
        ctx.progress(`  run ${run + 1}: sync ${(durations[run] / 1000).toFixed(1)} s, median gap ${median(gaps.slice(-(waves - 1))).toFixed(1)} ms`);
      } finally {
        rec.stop();
        interruptions += rec.interruptions;
      }
    }
  } finally {
    await subject.stop();
    await cleanup(ctx, namespaces);
  }
  const medianByGateKind = Object.fromEntries(GATE_KINDS.map((k) => [k, median(byKind[k])])) as Record<GateKind, number>;
  return {
    waves,
    runs,
    gapsMs: gaps,
    medianMs: median(gaps),
    p95Ms: percentile(gaps, 95),
    maxMs: Math.max(...gaps),
    medianByGateKind,
    engineViewMedianMs: median(engineGaps),
    applyRoundTripMs: dist(floors.engine.rtt),
    applyToWatchMs: dist(floors.engine.toWatch),
    pooledApplyRoundTripMs: dist(floors.pooled.rtt),
    pooledApplyToWatchMs: dist(floors.pooled.toWatch),
    syncDurationsMs: durations,
    watchInterruptions: interruptions,
  };
}

// ---- (b) waves with hooks against the Job round-trip floor ---------------------------------------

export interface HookWavesResult {
  shape: HookChartShape;
  objects: number;
  /** runSync wall time (plan, validation with server dry run, every wave, cleanup). */
  totalMs: number;
  /** Of which: before operation.started (planning, discovery, server dry run of every object). */
  validationMs: number;
  /** One such Job applied → seen Complete on the watch, once per wave, sequentially. */
  jobRoundTripsMs: number[];
  floorMs: number;
  targetMs: number;
  /**
   * The same chart written by the benchmark with no engine, in Argo CD's order: per wave, its
   * ConfigMaps (at the engine's concurrency), then its Deployments, then its Job; the next wave once
   * the Job is seen Complete and the Deployments ready. No validation, no bookkeeping: what the
   * order alone costs on this cluster.
   */
  orderedFloorMs: number;
  /** Per wave of the ordered floor: ConfigMaps, Deployments, Job apply, Job run (all ms). */
  orderedFloorPerWave: Array<{ wave: number; configMapsMs: number; deploymentsMs: number; jobApplyMs: number; waitMs: number }>;
  /**
   * Per wave, as observed on the watch: `applyMs` first object of the wave created → its hook Job
   * created (the engine applies the wave's kinds in order, the Job last); `hookMs` hook created →
   * Complete; `boundaryMs` hook Complete → first object of the next wave created.
   */
  perWave: Array<{ wave: number; applyMs: number; hookMs: number; boundaryMs?: number }>;
  watchInterruptions: number;
}

/** (b) target (issue 15): total <= 1.05 x floor + 0.5 s. */
export const HOOK_TARGET = { factor: 1.05, plusMs: 500 };

/**
 * (b)'s second floor: the chart written by this process with the engine's client and no engine, in
 * Argo CD's order (kinds of a wave one after the other, the hook Job last; the next wave once the
 * Job is Complete and the Deployments ready), in a namespace of its own.
 */
async function orderedFloor(ctx: BenchContext, shape: HookChartShape, namespaces: string[]): Promise<{ totalMs: number; perWave: HookWavesResult['orderedFloorPerWave'] }> {
  const ns = namespaceName('bench-hooks-floor');
  namespaces.push(ns);
  await createNamespace(ctx.kc, ns);
  const rec = new WatchRecorder(ctx.kc, ns, [DEPLOYMENT, JOB]);
  try {
    await rec.start();
    const chart = hookChart(ns, shape);
    const perWave: HookWavesResult['orderedFloorPerWave'] = [];
    const t0 = nowMs();
    for (let w = 0; w < shape.waves; w++) {
      const inWave = chart.filter((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] === String(w));
      const ofKind = (k: string) => inWave.filter((o) => o.kind === k);
      const hook = ofKind('Job')[0];
      const w0 = nowMs();
      await pool(ofKind('ConfigMap'), ctx.concurrency, (o) => ctx.client.apply(o));
      const w1 = nowMs();
      await pool(ofKind('Deployment'), ctx.concurrency, (o) => ctx.client.apply(o));
      const w2 = nowMs();
      await ctx.client.apply(hook);
      const w3 = nowMs();
      const names = ofKind('Deployment').map((o) => o.metadata.name!);
      await rec.waitUntil(
        `wave ${w}'s Job Complete and Deployments ready`,
        () => rec.get('Job', hook.metadata.name!)?.readyAt !== undefined && names.every((n) => rec.get('Deployment', n)?.readyAt !== undefined),
        60_000,
      );
      const w4 = nowMs();
      perWave.push({ wave: w, configMapsMs: w1 - w0, deploymentsMs: w2 - w1, jobApplyMs: w3 - w2, waitMs: w4 - w3 });
    }
    return { totalMs: nowMs() - t0, perWave };
  } finally {
    rec.stop();
  }
}

export async function hookWaves(ctx: BenchContext, shape: HookChartShape): Promise<HookWavesResult> {
  const ns = namespaceName('bench-hooks');
  const namespaces = [ns];
  await createNamespace(ctx.kc, ns);
  const rec = new WatchRecorder(ctx.kc, ns, [CONFIGMAP, DEPLOYMENT, JOB]);
  const subject = await Subject.start(ctx.kubeconfig);
  try {
    await rec.start();
    const trips: number[] = [];
    for (let w = 0; w < shape.waves; w++) {
      const name = `floor-job-${w}`;
      const t0 = nowMs();
      await ctx.client.apply(job(ns, name, { runDuration: shape.hookRunDuration }));
      await rec.waitUntil(`Job ${name} Complete`, () => rec.get('Job', name)?.readyAt !== undefined, 60_000);
      trips.push(rec.get('Job', name)!.readyAt! - t0);
    }
    const floorMs = sum(trips);
    ctx.progress(`  floor: ${shape.waves} sequential Jobs (pods run ${shape.hookRunDuration}), ${(floorMs / 1000).toFixed(2)} s in all`);
    const out = await subject.request<SyncOutcome>({ cmd: 'sync', chart: { type: 'hook', ns, shape }, concurrency: ctx.concurrency, sampleMemory: false, keepEvents: false });
    if (!out.ok) fail('(b)', out);
    const totalMs = out.endMs - out.startMs;
    const firstCreated = (w: number) =>
      Math.min(...[...rec.objects.values()].filter((o) => o.name.startsWith(`w${w}-`) || o.name === hookName(w)).map((o) => o.createdAt ?? Infinity));
    const perWave = Array.from({ length: shape.waves }, (_, w) => {
      const hook = rec.get('Job', hookName(w));
      const hookCreated = hook?.createdAt ?? NaN;
      const hookReady = hook?.readyAt ?? NaN;
      return {
        wave: w,
        applyMs: hookCreated - firstCreated(w),
        hookMs: hookReady - hookCreated,
        ...(w + 1 < shape.waves ? { boundaryMs: firstCreated(w + 1) - hookReady } : {}),
      };
    });
    ctx.progress(`  sync of ${shape.waves * (shape.objectsPerWave + 1)} objects: ${(totalMs / 1000).toFixed(2)} s`);
    const ordered = await orderedFloor(ctx, shape, namespaces);
    ctx.progress(`  ordered floor (the same chart written in Argo CD's order, no engine): ${(ordered.totalMs / 1000).toFixed(2)} s`);
    return {
      shape,
      objects: shape.waves * (shape.objectsPerWave + 1),
      totalMs,
      validationMs: (out.operationStartedMs ?? out.startMs) - out.startMs,
      jobRoundTripsMs: trips,
      floorMs,
      targetMs: HOOK_TARGET.factor * floorMs + HOOK_TARGET.plusMs,
      orderedFloorMs: ordered.totalMs,
      orderedFloorPerWave: ordered.perWave,
      perWave,
      watchInterruptions: rec.interruptions,
    };
  } finally {
    rec.stop();
    await subject.stop();
    await cleanup(ctx, namespaces);
  }
}

// ---- (c) + (d) bulk apply throughput and memory --------------------------------------------------

export type BulkMode = 'raw' | 'engine' | 'pooled';
/** `engine1x`: the engine with its dry runs at 1 x concurrency (as before issue 15), only with BENCH_BULK_AB=1. */
type RunMode = BulkMode | 'engine1x';

export interface BulkRun {
  /** raw: KubeClient.apply of the engine's client; engine: runSync; pooled: SSA over one reused connection. */
  mode: RunMode;
  ns: string;
  objects: number;
  durationMs: number;
  objectsPerSec: number;
  /** engine: operation.started → runSync returned (the apply itself, validation excluded). */
  applyPhaseMs?: number;
  applyPhaseObjectsPerSec?: number;
  validationMs?: number;
  memory?: MemoryReport;
  /** CPU time of the subject process per object (less sensitive to other load than wall time). */
  cpuMsPerObject: number;
  /** CPU time of the API server per object during the run (all its clients included; undefined when its pid is unknown). */
  apiserverCpuMsPerObject?: number;
  subjectStartRssMiB: number;
}

export interface BulkResult {
  objects: number;
  concurrency: number;
  runs: BulkRun[];
  rawMedianPerSec: number;
  engineMedianPerSec: number;
  engineApplyPhaseMedianPerSec: number;
  pooledMedianPerSec: number;
  /** Engine (one whole runSync, default options) / raw (same client). */
  ratio: number;
  /** Engine apply phase / raw. */
  applyPhaseRatio: number;
  /** Engine / pooled, and raw (engine's client) / pooled. */
  engineVsPooledRatio: number;
  rawVsPooledRatio: number;
  /** Median CPU ms per object of the subject process, per mode. */
  cpuMsPerObject: Record<BulkMode, number>;
  /** Median CPU ms per object of the API server, per mode (when its pid is known). */
  apiserverCpuMsPerObject?: Record<BulkMode, number>;
  /** BENCH_BULK_AB=1: the same engine with its dry runs at 1 x concurrency, in the same run. */
  dryRunAb?: { concurrency: number; medianPerSec: number; ratio: number; validationMs: number; engineValidationMs: number };
  memory: {
    /** The engine run with the highest peak. */
    baselineRssMiB: number;
    peakRssMiB: number;
    peakSampledRssMiB: number;
    vmHwmMiB?: number;
    /** Highest peaks of the raw-apply processes, for comparison. */
    rawPeakRssMiB: number;
    rawBaselineRssMiB: number;
    pooledPeakRssMiB: number;
    pooledBaselineRssMiB: number;
  };
}

async function bulkRun(ctx: BenchContext, mode: RunMode, n: number, ns: string): Promise<BulkRun> {
  const subject = await Subject.start(ctx.kubeconfig);
  try {
    const client = mode === 'pooled' ? 'pooled' : 'engine';
    await subject.request({ cmd: 'warmup', ns, n: 100, concurrency: ctx.concurrency, client });
    const api0 = processCpuMs(ctx.apiserverPid);
    const apiserver = () => {
      const api1 = processCpuMs(ctx.apiserverPid);
      return api0 !== undefined && api1 !== undefined ? { apiserverCpuMsPerObject: (api1 - api0) / n } : {};
    };
    if (mode === 'raw' || mode === 'pooled') {
      const out = await subject.request<RawOutcome>({ cmd: 'raw', ns, n, concurrency: ctx.concurrency, client, sampleMemory: true });
      const durationMs = out.endMs - out.startMs;
      return { mode, ns, objects: n, durationMs, objectsPerSec: (n / durationMs) * 1000, memory: out.memory, cpuMsPerObject: out.cpuMs / n, ...apiserver(), subjectStartRssMiB: subject.startRssMiB };
    }
    const dryRunConcurrency = mode === 'engine1x' ? { dryRunConcurrency: ctx.concurrency } : {};
    const out = await subject.request<SyncOutcome>({ cmd: 'sync', chart: { type: 'bulk', ns, n }, concurrency: ctx.concurrency, sampleMemory: true, keepEvents: false, ...dryRunConcurrency });
    const api = apiserver();
    if (!out.ok) fail('(c)', out);
    if (out.applied !== n) throw new Error(`(c): the engine reported ${out.applied} objects applied, expected ${n}`);
    const durationMs = out.endMs - out.startMs;
    const applyPhaseMs = out.endMs - (out.operationStartedMs ?? out.startMs);
    return {
      mode,
      ns,
      objects: n,
      durationMs,
      objectsPerSec: (n / durationMs) * 1000,
      applyPhaseMs,
      applyPhaseObjectsPerSec: (n / applyPhaseMs) * 1000,
      validationMs: (out.operationStartedMs ?? out.startMs) - out.startMs,
      memory: out.memory,
      cpuMsPerObject: out.cpuMs / n,
      ...api,
      subjectStartRssMiB: subject.startRssMiB,
    };
  } finally {
    await subject.stop();
  }
}

const LABEL: Record<RunMode, string> = {
  engine1x: 'engine runSync, dry runs at 1 x concurrency',
  raw: "raw server-side apply (engine's KubeClient.apply)",
  engine: 'engine runSync',
  pooled: 'raw server-side apply over one reused connection',
};

function peakOf(runs: BulkRun[]): MemoryReport {
  return runs.map((r) => r.memory!).reduce((a, b) => (b.peakRssMiB > a.peakRssMiB ? b : a));
}

/**
 * Each run in a fresh subject process and a fresh namespace (every apply is a create); raw and
 * engine alternate which goes first; the pooled reference runs last. The namespaces are deleted
 * together at the end, so that no deletion overlaps a measurement.
 */
export async function bulkApply(ctx: BenchContext, n: number, reps: number): Promise<BulkResult> {
  const runs: BulkRun[] = [];
  const namespaces: string[] = [];
  try {
    for (let rep = 0; rep < reps; rep++) {
      const ab = ctx.bulkDryRunAb ? (['engine1x'] as const) : [];
      const order: RunMode[] = rep % 2 === 0 ? ['raw', 'engine', ...ab, 'pooled'] : [...ab, 'engine', 'raw', 'pooled'];
      for (const mode of order) {
        ctx.progress(`  rep ${rep + 1}/${reps}: ${LABEL[mode]} of ${n} ConfigMaps`);
        const ns = namespaceName(`bench-bulk-${mode}`);
        await createNamespace(ctx.kc, ns);
        namespaces.push(ns);
        const r = await bulkRun(ctx, mode, n, ns);
        ctx.progress(
          `  rep ${rep + 1}: ${mode} ${r.objectsPerSec.toFixed(0)} objects/s` +
            (r.applyPhaseObjectsPerSec ? ` (apply phase ${r.applyPhaseObjectsPerSec.toFixed(0)}/s, validation ${(r.validationMs! / 1000).toFixed(2)} s)` : '') +
            `, ${r.cpuMsPerObject.toFixed(2)} CPU ms/object` +
            (r.apiserverCpuMsPerObject !== undefined ? ` (API server ${r.apiserverCpuMsPerObject.toFixed(2)})` : '') +
            `, peak RSS ${r.memory?.peakRssMiB.toFixed(0)} MiB`,
        );
        runs.push(r);
      }
    }
  } finally {
    await cleanup(ctx, namespaces);
  }
  const of = (m: RunMode) => runs.filter((r) => r.mode === m);
  const rawMedian = median(of('raw').map((r) => r.objectsPerSec));
  const engMedian = median(of('engine').map((r) => r.objectsPerSec));
  const engApply = median(of('engine').map((r) => r.applyPhaseObjectsPerSec!));
  const pooledMedian = median(of('pooled').map((r) => r.objectsPerSec));
  const eng = peakOf(of('engine'));
  const raw = peakOf(of('raw'));
  const pooled = peakOf(of('pooled'));
  return {
    objects: n,
    concurrency: ctx.concurrency,
    runs,
    rawMedianPerSec: rawMedian,
    engineMedianPerSec: engMedian,
    engineApplyPhaseMedianPerSec: engApply,
    pooledMedianPerSec: pooledMedian,
    ratio: engMedian / rawMedian,
    applyPhaseRatio: engApply / rawMedian,
    engineVsPooledRatio: engMedian / pooledMedian,
    rawVsPooledRatio: rawMedian / pooledMedian,
    ...(of('engine1x').length
      ? {
          dryRunAb: {
            concurrency: ctx.concurrency,
            medianPerSec: median(of('engine1x').map((r) => r.objectsPerSec)),
            ratio: median(of('engine1x').map((r) => r.objectsPerSec)) / rawMedian,
            validationMs: median(of('engine1x').map((r) => r.validationMs!)),
            engineValidationMs: median(of('engine').map((r) => r.validationMs!)),
          },
        }
      : {}),
    cpuMsPerObject: { raw: median(of('raw').map((r) => r.cpuMsPerObject)), engine: median(of('engine').map((r) => r.cpuMsPerObject)), pooled: median(of('pooled').map((r) => r.cpuMsPerObject)) },
    ...(runs.every((r) => r.apiserverCpuMsPerObject !== undefined)
      ? { apiserverCpuMsPerObject: { raw: median(of('raw').map((r) => r.apiserverCpuMsPerObject!)), engine: median(of('engine').map((r) => r.apiserverCpuMsPerObject!)), pooled: median(of('pooled').map((r) => r.apiserverCpuMsPerObject!)) } }
      : {}),
    memory: {
      baselineRssMiB: eng.baselineRssMiB,
      peakRssMiB: eng.peakRssMiB,
      peakSampledRssMiB: eng.peakSampledRssMiB,
      ...(eng.vmHwmMiB !== undefined ? { vmHwmMiB: eng.vmHwmMiB } : {}),
      rawPeakRssMiB: raw.peakRssMiB,
      rawBaselineRssMiB: raw.baselineRssMiB,
      pooledPeakRssMiB: pooled.peakRssMiB,
      pooledBaselineRssMiB: pooled.baselineRssMiB,
    },
  };
}
