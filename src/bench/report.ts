/** The benchmark's output: one table of figures (each as a ratio against its baseline) and JSON. */
import type { ScaleResult } from './scale';
import type { HelmCompareResult } from './helm';
import { BulkResult, HOOK_TARGET, HookWavesResult, WaveOverheadResult } from './scenarios';
import { round } from './stats';

/** Argo CD waits this long between sync waves (`ARGOCD_SYNC_WAVE_DELAY`, default 2 s). */
export const ARGO_WAVE_DELAY_MS = 2000;
export const WAVE_OVERHEAD_TARGET_MS = 50;
export const THROUGHPUT_TARGET_RATIO = 0.8;

export interface Figure {
  id: string;
  name: string;
  measured: string;
  baseline: string;
  ratio: number | undefined;
  target: string;
  /** undefined: informational row, no target. */
  met: boolean | undefined;
}

export interface BenchReport {
  startedAt: string;
  revision: { commit?: string; engineDirty?: boolean };
  durationMs: number;
  machine: { cpus: number; node: string; platform: string };
  /** 1-minute load average when each part started and at the end: other processes share the CPUs. */
  load: Record<string, number>;
  cluster: { kubernetes: string; kwok: string; startupMs: number };
  concurrency: number;
  waves?: WaveOverheadResult;
  hooks?: HookWavesResult;
  bulk?: BulkResult;
  scale?: ScaleResult;
  helm?: HelmCompareResult;
  /** (e), startup.ts. */
  startup?: unknown;
  figures: Figure[];
  targets: Record<string, boolean | 'n/a'>;
}

const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const mib = (v: number) => `${v.toFixed(1)} MiB`;

export function figures(a?: WaveOverheadResult, b?: HookWavesResult, c?: BulkResult, f?: ScaleResult): Figure[] {
  const out: Figure[] = [];
  if (a) {
    out.push({
      id: 'a',
      name: `(a) per-wave overhead, median (${a.gapsMs.length} boundaries)`,
      measured: ms(a.medianMs),
      baseline: `Argo CD wave delay ${ARGO_WAVE_DELAY_MS} ms`,
      ratio: a.medianMs / ARGO_WAVE_DELAY_MS,
      target: `< ${WAVE_OVERHEAD_TARGET_MS} ms`,
      met: a.medianMs < WAVE_OVERHEAD_TARGET_MS,
    });
    out.push({ id: 'a.p95', name: '(a) per-wave overhead, p95', measured: ms(a.p95Ms), baseline: `Argo CD wave delay ${ARGO_WAVE_DELAY_MS} ms`, ratio: a.p95Ms / ARGO_WAVE_DELAY_MS, target: '-', met: undefined });
    const base = `Argo CD wave delay ${ARGO_WAVE_DELAY_MS} ms`;
    const info = (id: string, name: string, v: number): Figure => ({ id, name, measured: ms(v), baseline: base, ratio: v / ARGO_WAVE_DELAY_MS, target: '-', met: undefined });
    out.push(info('a.floor', "(a) floor: 1 apply sent -> seen on watch, engine's client", a.applyToWatchMs.median));
    out.push(info('a.rtt', "(a) floor: 1 apply API round trip, engine's client", a.applyRoundTripMs.median));
    out.push(info('a.floor.pooled', '(a) floor: 1 apply sent -> seen on watch, one reused connection', a.pooledApplyToWatchMs.median));
    out.push(info('a.rtt.pooled', '(a) floor: 1 apply API round trip, one reused connection', a.pooledApplyRoundTripMs.median));
  }
  if (b) {
    out.push({
      id: 'b',
      name: `(b) ${b.shape.waves} waves x ${b.shape.objectsPerWave} objects + ${b.shape.waves} hooks, total`,
      measured: ms(b.totalMs),
      baseline: `floor: ${b.shape.waves} Job round trips ${ms(b.floorMs)}`,
      ratio: b.totalMs / b.floorMs,
      target: `<= ${HOOK_TARGET.factor} x floor + ${HOOK_TARGET.plusMs / 1000} s = ${ms(b.targetMs)}`,
      met: b.totalMs <= b.targetMs,
    });
    out.push({ id: 'b.validation', name: `(b) of which: validation + server dry run of ${b.objects} objects`, measured: ms(b.validationMs), baseline: `floor ${ms(b.floorMs)}`, ratio: b.validationMs / b.floorMs, target: '-', met: undefined });
    out.push({
      id: 'b.ordered',
      name: `(b) ordered floor: the same ${b.objects} objects written in Argo CD's order, no engine${b.orderedFloorMs > b.targetMs ? ' (above the target: the order alone misses it here)' : ''}`,
      measured: ms(b.orderedFloorMs),
      baseline: `floor: ${b.shape.waves} Job round trips ${ms(b.floorMs)}`,
      ratio: b.orderedFloorMs / b.floorMs,
      target: '-',
      met: undefined,
    });
    out.push({ id: 'b.engine', name: '(b) engine total / ordered floor (what the engine adds to the order)', measured: ms(b.totalMs), baseline: `ordered floor ${ms(b.orderedFloorMs)}`, ratio: b.totalMs / b.orderedFloorMs, target: '-', met: undefined });
  }
  if (c) {
    out.push({
      id: 'c',
      name: `(c) ${c.objects} objects, 1 wave: engine runSync (default, dry run on)`,
      measured: `${c.engineMedianPerSec.toFixed(0)} obj/s`,
      baseline: `raw SSA ${c.rawMedianPerSec.toFixed(0)} obj/s (x${c.concurrency})`,
      ratio: c.ratio,
      target: `>= ${THROUGHPUT_TARGET_RATIO * 100} % of raw`,
      met: c.ratio >= THROUGHPUT_TARGET_RATIO,
    });
    out.push({
      id: 'c.apply',
      name: '(c) same runs, apply phase only (after validation)',
      measured: `${c.engineApplyPhaseMedianPerSec.toFixed(0)} obj/s`,
      baseline: `raw SSA ${c.rawMedianPerSec.toFixed(0)} obj/s (x${c.concurrency})`,
      ratio: c.applyPhaseRatio,
      target: `>= ${THROUGHPUT_TARGET_RATIO * 100} % of raw`,
      met: c.applyPhaseRatio >= THROUGHPUT_TARGET_RATIO,
    });
    out.push({
      id: 'c.pooled',
      name: '(c) for comparison: engine runSync vs reused-connection SSA',
      measured: `${c.engineMedianPerSec.toFixed(0)} obj/s`,
      baseline: `reused-connection SSA ${c.pooledMedianPerSec.toFixed(0)} obj/s (x${c.concurrency})`,
      ratio: c.engineVsPooledRatio,
      target: '-',
      met: undefined,
    });
    out.push({
      id: 'c.client',
      name: "(c) for comparison: raw SSA, engine's client vs reused connection",
      measured: `${c.rawMedianPerSec.toFixed(0)} obj/s`,
      baseline: `reused-connection SSA ${c.pooledMedianPerSec.toFixed(0)} obj/s (x${c.concurrency})`,
      ratio: c.rawVsPooledRatio,
      target: '-',
      met: undefined,
    });
    const cpu = c.cpuMsPerObject;
    out.push({
      id: 'c.cpu',
      name: '(c) subject CPU per object: engine runSync vs raw SSA',
      measured: `${cpu.engine.toFixed(2)} ms`,
      baseline: `raw ${cpu.raw.toFixed(2)} ms, reused conn. ${cpu.pooled.toFixed(2)} ms`,
      ratio: cpu.engine / cpu.raw,
      target: '-',
      met: undefined,
    });
    const ab = c.dryRunAb;
    if (ab) {
      out.push({
        id: 'c.ab',
        name: `(c) A/B: engine runSync with dry runs at 1 x concurrency (validation ${ms(ab.validationMs)} vs ${ms(ab.engineValidationMs)})`,
        measured: `${ab.medianPerSec.toFixed(0)} obj/s`,
        baseline: `raw SSA ${c.rawMedianPerSec.toFixed(0)} obj/s (x${c.concurrency})`,
        ratio: ab.ratio,
        target: '-',
        met: undefined,
      });
    }
    const api = c.apiserverCpuMsPerObject;
    if (api) {
      out.push({
        id: 'c.apiserver',
        name: '(c) API server CPU per object: engine runSync (dry run + apply) vs raw SSA',
        measured: `${api.engine.toFixed(2)} ms`,
        baseline: `raw ${api.raw.toFixed(2)} ms, reused conn. ${api.pooled.toFixed(2)} ms`,
        ratio: api.engine / api.raw,
        target: '-',
        met: undefined,
      });
    }
    const m = c.memory;
    out.push({ id: 'd', name: '(d) engine process peak RSS during (c)', measured: mib(m.peakRssMiB), baseline: `RSS before the run ${mib(m.baselineRssMiB)}`, ratio: m.peakRssMiB / m.baselineRssMiB, target: 'none given', met: undefined });
    out.push({ id: 'd.raw', name: "(d) for comparison: raw SSA process, engine's client", measured: mib(m.rawPeakRssMiB), baseline: `RSS before the run ${mib(m.rawBaselineRssMiB)}`, ratio: m.rawPeakRssMiB / m.rawBaselineRssMiB, target: '-', met: undefined });
    out.push({ id: 'd.pooled', name: '(d) for comparison: raw SSA process, one reused connection', measured: mib(m.pooledPeakRssMiB), baseline: `RSS before the run ${mib(m.pooledBaselineRssMiB)}`, ratio: m.pooledPeakRssMiB / m.pooledBaselineRssMiB, target: '-', met: undefined });
  }
  if (f) out.push(...scaleFigures(f));
  return out;
}

function scaleFigures(f: ScaleResult): Figure[] {
  const out: Figure[] = f.runs.map((r) => ({
    id: `f.${r.shape.objects}`,
    name: `(f) ${r.shape.objects} objects, ${r.shape.waves} waves, ${r.shape.hooks} hooks: sync time (validation ${ms(r.validationMs)})`,
    measured: `${ms(r.durationMs)}, peak RSS ${mib(r.memory.peakRssMiB)}`,
    baseline: `RSS before the run ${mib(r.memory.baselineRssMiB)}`,
    ratio: r.memory.peakRssMiB / r.memory.baselineRssMiB,
    target: 'completes',
    met: true,
  }));
  const g = f.growth;
  if (g) {
    out.push({
      id: 'f.growth.time',
      name: `(f) time growth, ${g.fromObjects} -> ${g.toObjects} objects`,
      measured: `x${g.timeRatio.toFixed(2)}`,
      baseline: `objects x${g.objectRatio.toFixed(1)}`,
      ratio: g.timeRatio / g.objectRatio,
      target: '-',
      met: undefined,
    });
    out.push({
      id: 'f.growth.rss',
      name: `(f) peak RSS growth, ${g.fromObjects} -> ${g.toObjects} objects`,
      measured: `x${g.peakRssRatio.toFixed(2)}, ${g.marginalRssKiBPerObject.toFixed(1)} KiB per extra object`,
      baseline: `objects x${g.objectRatio.toFixed(1)}`,
      ratio: g.peakRssRatio / g.objectRatio,
      target: '-',
      met: undefined,
    });
  }
  return out;
}

export function targets(figs: Figure[]): Record<string, boolean | 'n/a'> {
  const t: Record<string, boolean | 'n/a'> = {};
  for (const f of figs) if (f.target !== '-') t[f.id] = f.met ?? 'n/a';
  return t;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function renderTable(r: BenchReport): string {
  const header = ['figure', 'measured', 'baseline', 'ratio', 'target', 'target met'];
  const rows = r.figures.map((f) => [f.name, f.measured, f.baseline, f.ratio === undefined ? '-' : String(round(f.ratio, f.ratio < 0.1 ? 4 : 3)), f.target, f.met === undefined ? (f.target === '-' ? '' : 'n/a') : f.met ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i])).join(' | ').trimEnd();
  const lines = [
    `pulumi-sync-hooks benchmark, ${r.startedAt}, commit ${r.revision.commit ?? '?'}${r.revision.engineDirty ? ' (engine sources modified in the working tree)' : ''}: node ${r.machine.node}, ${r.machine.cpus} CPUs, embedded Kubernetes ${r.cluster.kubernetes} + kwok ${r.cluster.kwok} (started in ${(r.cluster.startupMs / 1000).toFixed(1)} s), concurrency ${r.concurrency}`,
    `1-minute load average (other processes included): ${Object.entries(r.load).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}` +
      (Math.max(...Object.values(r.load)) > r.machine.cpus ? `  ** more runnable work than CPUs: figures are pessimistic **` : ''),
    '',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
    '',
  ];
  for (const f of r.figures) {
    if (f.target === '-') continue;
    lines.push(`${f.id}: target met: ${f.met === undefined ? 'n/a (no target given)' : f.met ? 'yes' : 'no'}`);
  }
  lines.push('', `total benchmark time ${(r.durationMs / 1000).toFixed(0)} s`);
  return lines.join('\n');
}
