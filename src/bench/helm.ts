/**
 * (h) Helm in the same run: `helm install --wait` then `helm upgrade --wait` of a chart, against
 * `sync-hooks sync` of the same objects (install, then the upgraded revision), on the same cluster.
 * Both are CLI processes timed from spawn to exit; each tool works in a namespace of its own; the
 * order alternates between repetitions. After every step the benchmark checks that the tool left
 * the same state: every object at the step's revision, every Deployment rolled out, every hook Job
 * re-created by the step and Complete.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HelmCompareShape, helmCompareChart, writeHelmChart, writeManifests } from './helm-chart';
import { isReady } from './recorder';
import { createNamespace, deleteNamespace, rest } from './rest';
import type { BenchContext } from './scenarios';
import { namespaceName } from './scenarios';
import type { Figure } from './report';
import { median, nowMs } from './stats';

export type Tool = 'helm' | 'ours';
export type Step = 'install' | 'upgrade';

export interface StepRun {
  tool: Tool;
  step: Step;
  rep: number;
  wallMs: number;
  /** sync-hooks only: the engine's operation (startedAt to finishedAt of `-o json`); the rest of wallMs is start-up, connecting, reading the inventory, validation and the inventory write. */
  operationMs?: number;
  /** Most hook Jobs running at once (from the Jobs' creation and completion times, 1 s resolution). */
  maxHooksInFlight: number;
}

export interface StepSummary {
  helmMs: number;
  oursMs: number;
  ratio: number;
  /** Median of the engine operation's part of oursMs. */
  oursOperationMs: number;
}

export interface HelmCompareResult {
  shape: HelmCompareShape;
  helmVersion: string;
  reps: number;
  runs: StepRun[];
  /** Median wall ms per tool and step, and ours / Helm's. */
  install: StepSummary;
  upgrade: StepSummary;
}

export const HELM_RATIO_TARGET = 0.5;
const RELEASE = 'bench-h';
const STEP_TIMEOUT_MS = 10 * 60_000;

/** Runs a command to exit, timing it (stderr to the log); rejects with the log's tail when it fails. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, log: string): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(log, 'a');
    fs.writeSync(out, `\n$ ${path.basename(cmd)} ${args.join(' ')}\n`);
    const t0 = nowMs();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', out] });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    const done = (err?: Error) => {
      const ms = nowMs() - t0;
      clearTimeout(timer);
      fs.writeSync(out, stdout);
      fs.closeSync(out);
      if (err) reject(err);
      else resolve({ ms, stdout });
    };
    child.on('error', (e) => done(e));
    child.on('close', (code, signal) => {
      if (code === 0) done();
      else done(new Error(`${path.basename(cmd)} ${args.slice(0, 2).join(' ')} exited with ${code ?? signal}:\n${fs.readFileSync(log, 'utf8').split('\n').slice(-20).join('\n')}`));
    });
  });
}

async function list(ctx: BenchContext, apiPath: string): Promise<any[]> {
  const r = await rest(ctx.kc, 'GET', apiPath);
  if (r.status !== 200) throw new Error(`GET ${apiPath}: HTTP ${r.status}`);
  return r.body.items ?? [];
}

/** Checks the state a step left in `ns`; returns the most hook Jobs in flight at once. */
async function verify(ctx: BenchContext, tool: Tool, ns: string, s: HelmCompareShape, revision: number, stepStartedAt: number): Promise<number> {
  const what = `${tool} revision ${revision} in ${ns}`;
  const cms = (await list(ctx, `/api/v1/namespaces/${ns}/configmaps`)).filter((c) => /^cm-\d+$/.test(c.metadata.name));
  const stale = cms.filter((c) => c.data?.revision !== String(revision));
  if (cms.length !== s.configMaps || stale.length) throw new Error(`${what}: ${cms.length}/${s.configMaps} ConfigMaps, ${stale.length} not at the revision`);
  const deps = await list(ctx, `/apis/apps/v1/namespaces/${ns}/deployments`);
  const notReady = deps.filter((d) => !isReady({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' }) || d.spec.template.metadata?.annotations?.['bench.sync-hooks.dev/revision'] !== String(revision));
  if (deps.length !== s.deployments || notReady.length) throw new Error(`${what}: ${deps.length}/${s.deployments} Deployments, not rolled out at the revision: ${notReady.map((d) => d.metadata.name).join(', ')}`);
  const jobs = await list(ctx, `/apis/batch/v1/namespaces/${ns}/jobs`);
  const hooks = 2 * s.hookWaves * s.hooksPerWave;
  // creationTimestamp has 1 s resolution: "re-created by this step" allows for the truncation.
  const fresh = jobs.filter((j) => Date.parse(j.metadata.creationTimestamp) >= Math.floor(stepStartedAt / 1000) * 1000 && j.status?.completionTime);
  if (jobs.length !== hooks || fresh.length !== hooks) throw new Error(`${what}: ${jobs.length}/${hooks} hook Jobs, ${fresh.length} created by this step and Complete`);
  const edges = fresh.flatMap((j) => [
    { t: Date.parse(j.metadata.creationTimestamp), d: 1 },
    { t: Date.parse(j.status.completionTime), d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let cur = 0;
  let max = 0;
  for (const e of edges) max = Math.max(max, (cur += e.d));
  return max;
}

/** startedAt → finishedAt of `sync-hooks sync -o json`'s output; throws if the sync pruned anything (same objects every time). */
function operationDuration(stdout: string, what: string): number {
  const r = JSON.parse(stdout);
  if (r.pruned?.length) throw new Error(`${what}: sync-hooks pruned ${r.pruned.length} object(s) (${r.pruned.slice(0, 3).join(', ')}): not the same chart as Helm's`);
  return Date.parse(r.finishedAt) - Date.parse(r.startedAt);
}

export interface HelmCompareOptions {
  helm: string;
  helmVersion: string;
  shape: HelmCompareShape;
  reps: number;
}

export async function helmComparison(ctx: BenchContext, o: HelmCompareOptions): Promise<HelmCompareResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-bench-h-'));
  const log = path.join(work, 'commands.log');
  ctx.progress(`  (h) charts, Helm's home and the commands' output in ${work}`);
  const helmEnv: NodeJS.ProcessEnv = { ...process.env, HELM_CACHE_HOME: path.join(work, 'helm-cache'), HELM_CONFIG_HOME: path.join(work, 'helm-config'), HELM_DATA_HOME: path.join(work, 'helm-data') };
  delete helmEnv.KUBECONFIG;
  const cli = path.resolve(__dirname, '..', '..', 'bin', 'sync-hooks.js');
  const namespaces: string[] = [];
  const runs: StepRun[] = [];
  try {
    for (let rep = 0; rep < o.reps; rep++) {
      const ns: Record<Tool, string> = { helm: namespaceName('bench-helm'), ours: namespaceName('bench-ours') };
      for (const n of Object.values(ns)) {
        await createNamespace(ctx.kc, n);
        namespaces.push(n);
      }
      const order: Tool[] = rep % 2 === 0 ? ['helm', 'ours'] : ['ours', 'helm'];
      for (const [revision, step] of [[1, 'install'], [2, 'upgrade']] as const) {
        for (const tool of order) {
          const dir = path.join(work, `rep${rep}`, `${tool}-r${revision}`);
          const objects = helmCompareChart(ns[tool], o.shape, revision);
          let cmd: string;
          let args: string[];
          let env = process.env;
          if (tool === 'helm') {
            writeHelmChart(dir, 'bench-h', `0.${revision}.0`, objects);
            cmd = o.helm;
            args = [step, RELEASE, dir, '--namespace', ns.helm, '--kubeconfig', ctx.kubeconfig, '--wait', '--timeout', '5m'];
            env = helmEnv;
          } else {
            const file = path.join(dir, 'manifests.yaml');
            writeManifests(file, objects);
            cmd = process.execPath;
                        // The inventory lives in the app's namespace, as Helm's release records do: each repetition is a first install.
            args = [cli, 'sync', '-f', file, '--name', RELEASE, '--namespace', ns.ours, '--inventory-namespace', ns.ours, '--kubeconfig', ctx.kubeconfig, '--timeout', '5m', '-o', 'json'];
          }
          const startedAt = Date.now();
          const { ms: wallMs, stdout } = await timed(cmd, args, env, log);
          const maxHooksInFlight = await verify(ctx, tool, ns[tool], o.shape, revision, startedAt);
          const operationMs = tool === 'ours' ? operationDuration(stdout, `sync-hooks ${step} in ${ns.ours}`) : undefined;
          runs.push({ tool, step, rep, wallMs, ...(operationMs !== undefined ? { operationMs } : {}), maxHooksInFlight });
          const of = operationMs !== undefined ? ` (engine operation ${(operationMs / 1000).toFixed(2)} s)` : '';
          ctx.progress(`  (h) rep ${rep + 1}/${o.reps} ${tool === 'helm' ? `helm ${step} --wait` : 'sync-hooks sync'} (${step}): ${(wallMs / 1000).toFixed(2)} s${of}, at most ${maxHooksInFlight} hook(s) at once`);
        }
      }
    }
  } finally {
    const t0 = Date.now();
    await Promise.all(namespaces.map((n) => deleteNamespace(ctx.kc, n)));
    ctx.progress(`  cleanup: ${namespaces.length} namespace(s) deleted and gone after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const of = (tool: Tool, step: Step) => runs.filter((r) => r.tool === tool && r.step === step);
  const summary = (step: Step): StepSummary => {
    const helmMs = median(of('helm', step).map((r) => r.wallMs));
    const oursMs = median(of('ours', step).map((r) => r.wallMs));
    return { helmMs, oursMs, ratio: oursMs / helmMs, oursOperationMs: median(of('ours', step).map((r) => r.operationMs ?? Number.NaN)) };
  };
  return { shape: o.shape, helmVersion: o.helmVersion, reps: o.reps, runs, install: summary('install'), upgrade: summary('upgrade') };
}

export function helmFigures(h: HelmCompareResult): Figure[] {
  const s = h.shape;
  const hooks = `${2 * s.hookWaves} hook waves x ${s.hooksPerWave} Jobs of ${s.hookRunDuration}`;
  const objects = `${s.configMaps} ConfigMaps + ${s.deployments} Deployments`;
  return (['install', 'upgrade'] as const).flatMap((step): Figure[] => {
    const f = h[step];
    const helm = `helm ${h.helmVersion} ${(f.helmMs / 1000).toFixed(2)} s`;
    return [
      {
        id: `h.${step}`,
        name: `(h) ${step}: ${objects}, ${hooks}; sync-hooks sync vs helm ${step} --wait (median of ${h.reps})`,
        measured: `${(f.oursMs / 1000).toFixed(2)} s`,
        baseline: helm,
        ratio: f.ratio,
        target: `<= ${HELM_RATIO_TARGET} x Helm`,
        met: f.ratio <= HELM_RATIO_TARGET,
      },
      {
        id: `h.${step}.operation`,
        name: `(h) ${step}, of which the engine operation (the rest: start-up, connect, inventory, validation)`,
        measured: `${(f.oursOperationMs / 1000).toFixed(2)} s`,
        baseline: helm,
        ratio: f.oursOperationMs / f.helmMs,
        target: '-',
        met: undefined,
      },
    ];
  });
}
