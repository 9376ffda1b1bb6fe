/**
 * (r) The cost of the operation record: the same chart synced, then torn down, through the runner
 * (`syncManifests` / `teardownManifests`, what the CLI and SyncedChart call) with and without the
 * record (ConfigMap `sync-hooks-op-<app>` + Lease `sync-hooks-lock-<app>`, the `record` option),
 * alternating which goes first in each repetition, each run in a fresh namespace with a fresh
 * client. Measured in the same run: wall time per operation and the API requests the client made,
 * by verb (counted per call of the KubeClient interface, and as the REST layer's request count).
 * Discovery (cached per client) is counted apart.
 */
import { KubeClient, createKubeClient } from '../engine';
import { KubeObject } from '../model';
import { InventoryEntry, syncManifests, teardownManifests } from '../runner';
import { bulkChart, hookChart, job } from './charts';
import { createNamespace, deleteNamespace } from './rest';
import { BenchContext, namespaceName } from './scenarios';
import { median, nowMs } from './stats';

const VERBS = ['get', 'list', 'watch', 'apply', 'create', 'replace', 'delete', 'patchFinalizers', 'podLogs'] as const;
const DISCOVERY = ['isServed', 'isNamespaced'] as const;

export type Counts = Record<(typeof VERBS)[number] | 'discovery' | 'total', number>;

function zero(): Counts {
  return Object.fromEntries([...VERBS, 'discovery', 'total'].map((k) => [k, 0])) as Counts;
}

/** A client counting each call by verb (one call = one API request, retries aside). */
function counting(inner: KubeClient): { client: KubeClient; take: () => Counts & { http: number } } {
  let counts = zero();
  let httpAt = inner.requestStats?.().requests ?? 0;
  const client = new Proxy(inner, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      const verb = String(prop);
      const counted = (VERBS as readonly string[]).includes(verb) ? verb : (DISCOVERY as readonly string[]).includes(verb) ? 'discovery' : undefined;
      if (!counted) return v.bind(target);
      return (...args: unknown[]) => {
        counts[counted as keyof Counts]++;
        if (counted !== 'discovery') counts.total++;
        return v.apply(target, args);
      };
    },
  });
  return {
    client,
    take: () => {
      const http = (inner.requestStats?.().requests ?? 0) - httpAt;
      httpAt = inner.requestStats?.().requests ?? 0;
      const out = { ...counts, http };
      counts = zero();
      return out;
    },
  };
}

export interface RecordRun {
  record: boolean;
  syncMs: number;
  teardownMs: number;
  sync: Counts & { http: number };
  teardown: Counts & { http: number };
}

export interface RecordChartResult {
  chart: string;
  objects: number;
  hooks: number;
  runs: RecordRun[];
  /** Medians over the repetitions, and with/without as ratios. */
  summary: {
    syncMs: { without: number; with: number; ratio: number };
    teardownMs: { without: number; with: number; ratio: number };
    syncRequests: { without: number; with: number; extra: number; ratio: number };
    teardownRequests: { without: number; with: number; extra: number; ratio: number };
  };
}

export interface RecordCostResult {
  reps: number;
  charts: RecordChartResult[];
}

interface ChartCase {
  name: string;
  make: (ns: string) => KubeObject[];
}

function cases(bulkObjects: number): ChartCase[] {
  return [
    {
      name: '3 waves x 20 ConfigMaps, a 500 ms Sync hook per wave, a PreDelete hook',
      make: (ns) => [...hookChart(ns, { waves: 3, objectsPerWave: 20, deploymentsPerWave: 0, hookRunDuration: '500ms' }), job(ns, 'backup', { hook: 'PreDelete', runDuration: '200ms' })],
    },
    { name: `${bulkObjects} ConfigMaps in one wave, no hook`, make: (ns) => bulkChart(ns, bulkObjects) },
  ];
}

async function once(ctx: BenchContext, c: ChartCase, record: boolean, namespaces: string[]): Promise<RecordRun> {
  const ns = namespaceName('bench-rec');
  await createNamespace(ctx.kc, ns);
  namespaces.push(ns);
  const manifests = c.make(ns);
  const { client, take } = counting(createKubeClient(ctx.kubeconfig));
  const rec = record ? { record: { app: ns } } : {};
  try {
    const t0 = nowMs();
    const { inventory } = await syncManifests(client, { manifests, namespace: ns, engine: { concurrency: ctx.concurrency }, ...rec });
    const t1 = nowMs();
    const sync = take();
    await teardownManifests(client, { manifests, inventory: inventory as InventoryEntry[], namespace: ns, engine: { concurrency: ctx.concurrency }, ...rec });
    const t2 = nowMs();
    return { record, syncMs: t1 - t0, teardownMs: t2 - t1, sync, teardown: take() };
  } finally {
    client.close?.();
  }
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

function summarize(runs: RecordRun[]): RecordChartResult['summary'] {
  const m = (rec: boolean, f: (r: RecordRun) => number) => median(runs.filter((r) => r.record === rec).map(f));
  const pair = (f: (r: RecordRun) => number) => ({ without: m(false, f), with: m(true, f), ratio: ratio(m(true, f), m(false, f)) });
  const reqs = (f: (r: RecordRun) => number) => ({ ...pair(f), extra: m(true, f) - m(false, f) });
  return {
    syncMs: pair((r) => r.syncMs),
    teardownMs: pair((r) => r.teardownMs),
    syncRequests: reqs((r) => r.sync.total),
    teardownRequests: reqs((r) => r.teardown.total),
  };
}

/** Runs (r): `reps` repetitions per chart, each a run without and a run with the record, in alternating order. */
export async function recordCost(ctx: BenchContext, reps: number, bulkObjects: number): Promise<RecordCostResult> {
  const charts: RecordChartResult[] = [];
  const namespaces: string[] = [];
  try {
    for (const c of cases(bulkObjects)) {
      ctx.progress(`  (r) ${c.name}`);
      const runs: RecordRun[] = [];
      for (let i = 0; i < reps; i++) {
        for (const record of i % 2 === 0 ? [false, true] : [true, false]) {
          const r = await once(ctx, c, record, namespaces);
          ctx.progress(`    ${record ? 'with   ' : 'without'} the record: sync ${Math.round(r.syncMs)} ms, ${r.sync.total} requests; teardown ${Math.round(r.teardownMs)} ms, ${r.teardown.total} requests`);
          runs.push(r);
        }
      }
      const sample = c.make('x');
      charts.push({ chart: c.name, objects: sample.length, hooks: sample.filter((o) => o.metadata.annotations?.['argocd.argoproj.io/hook']).length, runs, summary: summarize(runs) });
    }
  } finally {
    const t0 = Date.now();
    await Promise.all(namespaces.map((ns) => deleteNamespace(ctx.kc, ns)));
    ctx.progress(`  cleanup: ${namespaces.length} namespace(s) deleted and gone after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { reps, charts };
}

/** The (r) table: medians without/with the record and their ratio. */
export function renderRecordCost(r: RecordCostResult): string {
  const lines = [`(r) cost of the operation record (medians of ${r.reps} runs each; with / without, same run)`];
  const row = (what: string, p: { without: number; with: number; ratio: number; extra?: number }, unit: string) =>
    `    ${what.padEnd(20)} ${`${Math.round(p.without)} ${unit}`.padStart(11)} → ${`${Math.round(p.with)} ${unit}`.padStart(11)}   x${p.ratio.toFixed(2)}${p.extra !== undefined ? `  (+${Math.round(p.extra)})` : ''}`;
  for (const c of r.charts) {
    lines.push(`  ${c.chart}:`);
    lines.push(row('sync wall time', c.summary.syncMs, 'ms'));
    lines.push(row('sync requests', c.summary.syncRequests, 'req'));
    lines.push(row('teardown wall time', c.summary.teardownMs, 'ms'));
    lines.push(row('teardown requests', c.summary.teardownRequests, 'req'));
  }
  return lines.join('\n');
}
