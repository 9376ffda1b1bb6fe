/**
 * (f) Scale: a chart of `n` objects in 20 waves with 50 Sync hook Jobs, synced by the engine in
 * a fresh subject process (memory sampled as in (d)), at each size of BENCH_SCALE_OBJECTS
 * (default 1000,10000). Reports time and peak RSS per size, and how both grow from the smallest
 * size to the largest. Opt-in (`BENCH_ONLY=f`): the 10,000-object run takes minutes.
 */
import type { MemoryReport } from './memory';
import { SyncOutcome } from './protocol';
import { createNamespace, deleteNamespace } from './rest';
import { BenchContext, namespaceName } from './scenarios';
import { Subject } from './subject';

export interface ScaleShape {
  /** Objects in the chart, hooks included. */
  objects: number;
  waves: number;
  hooks: number;
  /** Run duration of each hook Job's pod. */
  hookRunDuration: string;
}

export interface ScaleRun {
  shape: ScaleShape;
  ns: string;
  /** planSync + runSync wall time. */
  durationMs: number;
  /** Of which before operation.started: discovery, checks and the server dry run of every object. */
  validationMs: number;
  objectsPerSec: number;
  cpuMsPerObject: number;
  applied: number;
  hooks: number;
  memory: MemoryReport;
  /** (peak RSS - RSS before the run) / objects. */
  rssGrowthKiBPerObject: number;
}

export interface ScaleResult {
  runs: ScaleRun[];
  /** Between the smallest and the largest run: time ratio against object ratio, and RSS added per extra object. */
  growth?: {
    fromObjects: number;
    toObjects: number;
    objectRatio: number;
    timeRatio: number;
    peakRssRatio: number;
    /** (peak RSS large - peak RSS small) / (objects large - objects small). */
    marginalRssKiBPerObject: number;
  };
}

export const SCALE_WAVES = 20;
export const SCALE_HOOKS = 50;

export function scaleShape(objects: number): ScaleShape {
  if (objects <= SCALE_HOOKS) throw new Error(`BENCH_SCALE_OBJECTS: a chart needs more than ${SCALE_HOOKS} objects (its hooks), got ${objects}`);
  return { objects, waves: SCALE_WAVES, hooks: SCALE_HOOKS, hookRunDuration: '100ms' };
}

const KiB = 1024;

async function scaleRun(ctx: BenchContext, shape: ScaleShape, ns: string): Promise<ScaleRun> {
  const subject = await Subject.start(ctx.kubeconfig);
  try {
    const out = await subject.request<SyncOutcome>({ cmd: 'sync', chart: { type: 'scale', ns, shape }, concurrency: ctx.concurrency, sampleMemory: true, keepEvents: false });
    if (!out.ok) throw new Error(`(f) ${shape.objects} objects: the engine's sync failed: ${out.error}`);
    const managed = shape.objects - shape.hooks;
    if (out.applied !== managed || out.hooks !== shape.hooks) throw new Error(`(f): the engine reported ${out.applied} objects applied and ${out.hooks} hooks, expected ${managed} and ${shape.hooks}`);
    const durationMs = out.endMs - out.startMs;
    const memory = out.memory!;
    return {
      shape,
      ns,
      durationMs,
      validationMs: (out.operationStartedMs ?? out.startMs) - out.startMs,
      objectsPerSec: (shape.objects / durationMs) * 1000,
      cpuMsPerObject: out.cpuMs / shape.objects,
      applied: out.applied,
      hooks: out.hooks,
      memory,
      rssGrowthKiBPerObject: ((memory.peakRssMiB - memory.baselineRssMiB) * KiB) / shape.objects,
    };
  } finally {
    await subject.stop();
  }
}

/** One run per size, smallest first, each in its own namespace, deleted (and awaited) right after its run. */
export async function scale(ctx: BenchContext, sizes: number[]): Promise<ScaleResult> {
  const runs: ScaleRun[] = [];
  for (const n of [...sizes].sort((a, b) => a - b)) {
    const shape = scaleShape(n);
    const ns = namespaceName('bench-scale');
    await createNamespace(ctx.kc, ns);
    try {
      ctx.progress(`  ${n} objects (${n - shape.hooks} ConfigMaps + ${shape.hooks} hook Jobs) in ${shape.waves} waves`);
      const r = await scaleRun(ctx, shape, ns);
      ctx.progress(
        `  ${n} objects: ${(r.durationMs / 1000).toFixed(1)} s (validation ${(r.validationMs / 1000).toFixed(1)} s), ${r.objectsPerSec.toFixed(0)} objects/s, ` +
          `${r.cpuMsPerObject.toFixed(2)} CPU ms/object, peak RSS ${r.memory.peakRssMiB.toFixed(0)} MiB (before ${r.memory.baselineRssMiB.toFixed(0)} MiB)`,
      );
      runs.push(r);
    } finally {
      const t0 = Date.now();
      await deleteNamespace(ctx.kc, ns, 15 * 60_000);
      ctx.progress(`  cleanup: namespace ${ns} gone after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const small = runs[0];
  const large = runs[runs.length - 1];
  if (runs.length < 2) return { runs };
  return {
    runs,
    growth: {
      fromObjects: small.shape.objects,
      toObjects: large.shape.objects,
      objectRatio: large.shape.objects / small.shape.objects,
      timeRatio: large.durationMs / small.durationMs,
      peakRssRatio: large.memory.peakRssMiB / small.memory.peakRssMiB,
      marginalRssKiBPerObject: ((large.memory.peakRssMiB - small.memory.peakRssMiB) * KiB) / (large.shape.objects - small.shape.objects),
    },
  };
}
