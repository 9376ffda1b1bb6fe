/**
 * `npm run bench`: starts its own embedded cluster, measures (a) per-wave orchestration overhead,
 * (b) a chart of waves with hooks against the Job round-trip floor, (c) bulk apply throughput
 * against raw server-side apply and (d) the engine process's peak memory during (c), prints a
 * table and JSON on stdout (progress on stderr) and stops the cluster. (e) measures the CLI's
 * start-up against kubectl (startup.ts) and states (d) as the memory targets of issue 15.
 *
 * Environment: BENCH_ONLY=a,b,c,e,h,r (subset), BENCH_STARTUP_RUNS (default 7), BENCH_KUBECTL, BENCH_WAVE_RUNS (default 2), BENCH_BULK_REPS
 * (default 2), BENCH_BULK_OBJECTS (default 2000), BENCH_CONCURRENCY (default: the engine's 16),
 * BENCH_JSON=<file> (also write the JSON there), BENCH_KUBECONFIG=<file> (use an existing cluster).
 * Opt-in part (f), scale (BENCH_ONLY=f): BENCH_SCALE_OBJECTS (default 1000,10000).
 * BENCH_APISERVER_PID: the API server of BENCH_KUBECONFIG, for its CPU time per object in (c).
 * BENCH_BULK_AB=1: (c) also runs the engine with its dry runs at 1 x concurrency (A/B in the same run).
 * (r) the cost of the operation record (record.ts): BENCH_RECORD_REPS (default 3), BENCH_RECORD_OBJECTS (default 300).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CONCURRENCY, createKubeClient } from '../engine';
import { ClusterState, HELM_VERSION, KUBERNETES_VERSION, KWOK_VERSION, ensureToolchain, startCluster, stopCluster } from '../localcluster';
import { HelmCompareResult, helmComparison, helmFigures } from './helm';
import { loadKubeConfig } from './rest';
import { BenchReport, figures, renderTable, targets } from './report';
import { ScaleResult, scale } from './scale';
import { recordCost, RecordCostResult, renderRecordCost } from './record';
import { BenchContext, BulkResult, HookWavesResult, WaveOverheadResult, bulkApply, hookWaves, waveOverhead } from './scenarios';
import { cliStartup, StartupResult, startupFigures } from './startup';

const progress = (m: string): void => {
  process.stderr.write(`[bench] ${m}\n`);
};

/** The commit measured, and whether the engine's sources differed from it (others may be editing them). */
function revision(): { commit?: string; engineDirty?: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: path.resolve(__dirname, '..', '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', '--short', 'HEAD'), engineDirty: git('status', '--porcelain', '--', 'src/engine', 'src/plan', 'src/health', 'src/model') !== '' };
  } catch {
    return {};
  }
}

function intEnv(name: string, dflt: number, value?: string): number {
  const v = value ?? process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${v}"`);
  return n;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const only = new Set((process.env.BENCH_ONLY ?? 'a,b,c,e,h,r').split(',').map((s) => s.trim()));
  const concurrency = intEnv('BENCH_CONCURRENCY', DEFAULT_CONCURRENCY);
  let cluster: ClusterState | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= cluster ? stopCluster(cluster).then(() => progress('cluster stopped')) : Promise.resolve());
  const onSignal = (sig: NodeJS.Signals) => {
    progress(`${sig}: stopping the cluster`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // (h) needs helm: built once into the toolchain cache (10-30 min the first time), before the cluster starts.
    const helm = only.has('h') ? (await ensureToolchain({ parts: ['helm'], progress: (m) => progress(`toolchain: ${m}`) })).helm : undefined;
    let kubeconfig = process.env.BENCH_KUBECONFIG;
    let startupMs = 0;
    if (!kubeconfig) {
      progress('starting the embedded cluster');
      cluster = await startCluster({ progress: (m) => progress(`cluster: ${m}`) });
      kubeconfig = cluster.kubeconfig;
      startupMs = cluster.startupMs;
    }
    const apiserverPid = cluster?.pids['kube-apiserver'] ?? (process.env.BENCH_APISERVER_PID ? Number(process.env.BENCH_APISERVER_PID) : undefined);
    const bulkDryRunAb = process.env.BENCH_BULK_AB === '1';
    const ctx: BenchContext = { kc: loadKubeConfig(kubeconfig), kubeconfig, client: createKubeClient(kubeconfig), concurrency, progress, apiserverPid, bulkDryRunAb };

    const load: Record<string, number> = {};
    const mark = (k: string) => {
      load[k] = os.loadavg()[0];
    };
    let a: WaveOverheadResult | undefined;
    let b: HookWavesResult | undefined;
    let c: BulkResult | undefined;
    let h: HelmCompareResult | undefined;
    let e: StartupResult | undefined;
    if (only.has('a')) {
      mark('a');
      progress('(a) per-wave orchestration overhead: 20 waves, one gating object each');
      a = await waveOverhead(ctx, 20, intEnv('BENCH_WAVE_RUNS', 2));
    }
    if (only.has('b')) {
      mark('b');
      progress('(b) 10 waves x 50 objects with one 1 s hook Job per wave');
      b = await hookWaves(ctx, { waves: 10, objectsPerWave: 50, deploymentsPerWave: 5, hookRunDuration: '1s' });
    }
    if (only.has('c') || only.has('d')) {
      mark('c');
      const n = intEnv('BENCH_BULK_OBJECTS', 2000);
      progress(`(c)+(d) ${n} ConfigMaps in one wave: engine vs raw server-side apply, engine memory`);
      c = await bulkApply(ctx, n, intEnv('BENCH_BULK_REPS', 2));
    }
    let f: ScaleResult | undefined;
    if (only.has('f')) {
      mark('f');
      const sizes = (process.env.BENCH_SCALE_OBJECTS ?? '1000,10000').split(',').map((s) => intEnv('BENCH_SCALE_OBJECTS', 0, s.trim()));
      progress(`(f) scale: ${sizes.join(' and ')} objects in 20 waves with 50 hooks`);
      f = await scale(ctx, sizes);
    }
    if (only.has('h') && helm) {
      mark('h');
      progress('(h) Helm in the same run: helm install/upgrade --wait vs sync-hooks sync of the same chart');
      const shape = { configMaps: 30, deployments: 5, hookWaves: 2, hooksPerWave: 3, hookRunDuration: '1s' };
      h = await helmComparison(ctx, { helm, helmVersion: HELM_VERSION, shape, reps: intEnv('BENCH_HELM_REPS', 2) });
    }
    if (only.has('e')) {
      mark('e');
      const runs = intEnv('BENCH_STARTUP_RUNS', 7);
      progress(`(e) CLI start-up: sync of 1 object vs kubectl apply --server-side, plan, --help, --version (${runs} alternating runs)`);
      e = await cliStartup(ctx, runs);
    }
    let r: RecordCostResult | undefined;
    if (only.has('r')) {
      mark('r');
      progress('(r) the operation record\'s cost: the same chart synced and torn down with and without it');
      r = await recordCost(ctx, intEnv('BENCH_RECORD_REPS', 3), intEnv('BENCH_RECORD_OBJECTS', 300));
    }
    mark('end');
    ctx.client.close?.();

    const figs = [...figures(a, b, c, f), ...(h ? helmFigures(h) : []), ...startupFigures(e, c)];
    const report: BenchReport & { record?: RecordCostResult } = {
      startedAt: new Date(t0).toISOString(),
      revision: revision(),
      durationMs: Date.now() - t0,
      machine: { cpus: os.availableParallelism(), node: process.version, platform: `${os.platform()} ${os.release()}` },
      load,
      cluster: { kubernetes: KUBERNETES_VERSION, kwok: KWOK_VERSION, startupMs },
      concurrency,
      ...(a ? { waves: a } : {}),
      ...(b ? { hooks: b } : {}),
      ...(c ? { bulk: c } : {}),
      ...(r ? { record: r } : {}),
      ...(f ? { scale: f } : {}),
      ...(h ? { helm: h } : {}),
      ...(e ? { startup: e } : {}),
      figures: figs,
      targets: targets(figs),
    };
    await stop();
    report.durationMs = Date.now() - t0;
    const json = JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 100) / 100 : v), 2);
    process.stdout.write(`${renderTable(report)}${r ? `\n\n${renderRecordCost(r)}` : ''}\n\nJSON:\n${json}\n`);
    if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, `${json}\n`);
    return 0;
  } catch (err) {
    progress(`FAILED: ${(err as Error).stack ?? err}`);
    return 1;
  } finally {
    await stop();
  }
}

main().then((code) => process.exit(code));
