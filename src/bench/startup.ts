/**
 * (e) CLI start-up and memory (issue 15 items 1 and 4): wall times of the `sync-hooks` command as a
 * user runs it (a fresh `node bin/sync-hooks.js` process each time), against `kubectl` on the same
 * cluster in the same run.
 *
 * - one-object `sync` vs `kubectl apply --server-side` of the same file: runs alternate (kubectl
 *   first in odd rounds, ours first in even ones), after one unmeasured warm-up of each (the
 *   compile cache, kubectl's discovery cache, the object exists), so every measured run is the
 *   re-apply of an unchanged object by both. Median of `BENCH_STARTUP_RUNS` (default 7) each.
 * - `plan` of the same file, `--help`, `--version`, and `node -e 0` (Node's own start-up) for scale.
 * - memory: the (d) figures of (c) as the issue states them (RSS before the run, growth per object).
 *
 * kubectl: `$BENCH_KUBECTL`, else `kubectl` on PATH; without one the ratio is not reported.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { configMap } from './charts';
import { Figure } from './report';
import { BenchContext, BulkResult, namespaceName } from './scenarios';
import { median, nowMs, until } from './stats';

export const SYNC_VS_KUBECTL_TARGET = 1.5;
export const QUICK_COMMAND_TARGET_MS = 150;
export const RSS_BEFORE_TARGET_MIB = 80;
export const GROWTH_PER_OBJECT_TARGET_KIB = 40;

export interface Timed {
  /** Median wall time, ms. */
  medianMs: number;
  runsMs: number[];
  /** Median CPU time (user + system) of the process, ms; 10 ms resolution (Linux clock ticks); undefined without /proc. */
  cpuMedianMs?: number;
}

/** One run: wall time from spawn to exit, and the child's CPU time. */
export interface Run {
  wallMs: number;
  cpuMs?: number;
}

/**
 * CPU time of this process's reaped children so far, ms (`cutime` + `cstime` of /proc/self/stat,
 * fields 16 and 17, in clock ticks of 10 ms); undefined without /proc. The difference around one
 * awaited child is that child's CPU time.
 */
export function childrenCpuMs(stat: string | undefined = readStat()): number | undefined {
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[16 - 3]);
  const cstime = Number(fields[17 - 3]);
  return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) * 10 : undefined;
}

function readStat(): string | undefined {
  try {
    return fs.readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
}

export interface StartupResult {
  runs: number;
  kubectl?: { path: string; version?: string };
  sync: Timed;
  kubectlApply?: Timed;
  /** sync / kubectl apply, medians. */
  ratio?: number;
  plan: Timed;
  help: Timed;
  version: Timed;
  nodeBare: Timed;
}

/** `kubectl`: the override, else the first executable on PATH; undefined when there is none. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env, isExecutable: (p: string) => boolean = executable): string | undefined {
  if (env.BENCH_KUBECTL) return env.BENCH_KUBECTL;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, 'kubectl');
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function executable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Round i's order: kubectl first in even rounds, ours first in odd ones (so neither always warms the other). */
export function alternation(rounds: number): ('kubectl' | 'sync')[][] {
  return Array.from({ length: rounds }, (_, i) => (i % 2 === 0 ? ['kubectl', 'sync'] : ['sync', 'kubectl']));
}

export function timed(runs: Run[]): Timed {
  const cpu = runs.map((r) => r.cpuMs).filter((v): v is number => v !== undefined);
  return { medianMs: median(runs.map((r) => r.wallMs)), runsMs: runs.map((r) => r.wallMs), ...(cpu.length === runs.length && cpu.length ? { cpuMedianMs: median(cpu) } : {}) };
}

/** Runs a command to its end: wall time from spawn to exit and its CPU time. Fails on a non-zero exit. */
async function wall(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const cpu0 = childrenCpuMs();
  const t0 = nowMs();
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  const wallMs = nowMs() - t0;
  if (code !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')}: exit ${code}\n${stderr}`);
  // 'exit' comes after libuv reaped the child, so its CPU time is in cutime/cstime now.
  const cpu1 = childrenCpuMs();
  return { wallMs, ...(cpu0 !== undefined && cpu1 !== undefined ? { cpuMs: cpu1 - cpu0 } : {}) };
}

function kubectlVersion(kubectl: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(kubectl, ['version', '--client', '-o', 'json'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.on('error', () => resolve(undefined));
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out).clientVersion?.gitVersion);
      } catch {
        resolve(undefined);
      }
    });
  });
}

export async function cliStartup(ctx: BenchContext, runs: number): Promise<StartupResult> {
  const bin = path.resolve(__dirname, '..', '..', 'bin', 'sync-hooks.js');
  const node = process.execPath;
  const ns = namespaceName('bench-startup');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
  const file = path.join(dir, 'one.yaml');
  fs.writeFileSync(file, stringify(configMap(ns, 'one')));
  const env = { ...process.env, KUBECONFIG: ctx.kubeconfig };
  const kubectl = findKubectl();
  await ctx.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  try {
    const syncArgs = [bin, 'sync', '-f', file, '--name', 'startup', '--inventory-namespace', ns];
    const kubectlArgs = ['apply', '--server-side', '--field-manager', 'bench-kubectl', '-f', file];
    const planArgs = [bin, 'plan', '-f', file];
    // Warm-up, not measured: compile cache, kubectl's discovery cache, the object created.
    await wall(node, syncArgs, env);
    if (kubectl) await wall(kubectl, kubectlArgs, env);
    const quick: Record<'plan' | 'help' | 'version' | 'nodeBare', Run[]> = { plan: [], help: [], version: [], nodeBare: [] };
    const both: Record<'kubectl' | 'sync', Run[]> = { kubectl: [], sync: [] };
    for (const order of alternation(runs)) {
      for (const who of order) {
        if (who === 'sync') both.sync.push(await wall(node, syncArgs, env));
        else if (kubectl) both.kubectl.push(await wall(kubectl, kubectlArgs, env));
      }
      quick.plan.push(await wall(node, planArgs, env));
      quick.help.push(await wall(node, [bin, '--help'], env));
      quick.version.push(await wall(node, [bin, '--version'], env));
      quick.nodeBare.push(await wall(node, ['-e', '0'], env));
    }
    const sync = timed(both.sync);
    const kubectlApply = kubectl ? timed(both.kubectl) : undefined;
    return {
      runs,
      ...(kubectl ? { kubectl: { path: kubectl, version: await kubectlVersion(kubectl) } } : {}),
      sync,
      ...(kubectlApply ? { kubectlApply, ratio: sync.medianMs / kubectlApply.medianMs } : {}),
      plan: timed(quick.plan),
      help: timed(quick.help),
      version: timed(quick.version),
      nodeBare: timed(quick.nodeBare),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await ctx.client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    await until(`namespace ${ns} gone`, async () => ((await ctx.client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })) ? undefined : true), 120_000, 250).catch(() => undefined);
  }
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const cpu = (t: Timed) => (t.cpuMedianMs !== undefined ? `, CPU ${ms(t.cpuMedianMs)}` : '');

/** The table rows of (e); memory rows need (c). */
export function startupFigures(e: StartupResult | undefined, c: BulkResult | undefined): Figure[] {
  const out: Figure[] = [];
  if (e) {
    const n = `median of ${e.runs}`;
    if (e.kubectlApply && e.ratio !== undefined) {
      out.push({
        id: 'e.sync',
        name: `(e) sync-hooks sync of 1 ConfigMap, ${n} alternating`,
        measured: `${ms(e.sync.medianMs)}${cpu(e.sync)}`,
        baseline: `kubectl apply --server-side ${ms(e.kubectlApply.medianMs)}${cpu(e.kubectlApply)}${e.kubectl?.version ? ` (${e.kubectl.version})` : ''}`,
        ratio: e.ratio,
        target: `<= ${SYNC_VS_KUBECTL_TARGET} x kubectl`,
        met: e.ratio <= SYNC_VS_KUBECTL_TARGET,
      });
    } else {
      out.push({ id: 'e.sync', name: `(e) sync-hooks sync of 1 ConfigMap, ${n}`, measured: `${ms(e.sync.medianMs)}${cpu(e.sync)}`, baseline: 'no kubectl found (set BENCH_KUBECTL)', ratio: undefined, target: `<= ${SYNC_VS_KUBECTL_TARGET} x kubectl`, met: undefined });
    }
    const quick = (id: string, what: string, t: Timed): Figure => ({
      id,
      name: `(e) ${what}, ${n}`,
      measured: `${ms(t.medianMs)}${cpu(t)}`,
      baseline: `node -e 0: ${ms(e.nodeBare.medianMs)}${cpu(e.nodeBare)}`,
      ratio: t.medianMs / QUICK_COMMAND_TARGET_MS,
      target: `< ${QUICK_COMMAND_TARGET_MS} ms`,
      met: t.medianMs < QUICK_COMMAND_TARGET_MS,
    });
    out.push(quick('e.plan', 'sync-hooks plan -f (1 object)', e.plan), quick('e.help', 'sync-hooks --help', e.help), quick('e.version', 'sync-hooks --version', e.version));
  }
  if (c) {
    const m = c.memory;
    const growthKiB = ((m.peakRssMiB - m.baselineRssMiB) * 1024) / c.objects;
    out.push({ id: 'e.rss', name: '(e) engine process RSS before the run of (c)', measured: `${m.baselineRssMiB.toFixed(1)} MiB`, baseline: `target ${RSS_BEFORE_TARGET_MIB} MiB`, ratio: m.baselineRssMiB / RSS_BEFORE_TARGET_MIB, target: `<= ${RSS_BEFORE_TARGET_MIB} MiB`, met: m.baselineRssMiB <= RSS_BEFORE_TARGET_MIB });
    out.push({
      id: 'e.growth',
      name: `(e) engine RSS growth per object in (c), (peak - before) / ${c.objects}`,
      measured: `${growthKiB.toFixed(1)} KiB`,
      baseline: `target ${GROWTH_PER_OBJECT_TARGET_KIB} KiB`,
      ratio: growthKiB / GROWTH_PER_OBJECT_TARGET_KIB,
      target: `<= ${GROWTH_PER_OBJECT_TARGET_KIB} KiB/object`,
      met: growthKiB <= GROWTH_PER_OBJECT_TARGET_KIB,
    });
  }
  return out;
}
