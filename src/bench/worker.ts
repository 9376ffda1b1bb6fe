/**
 * The subject process: runs the engine (or the raw server-side-apply baseline) on commands from
 * the benchmark, so that its timing, event loop and memory are its own and the observer's watch
 * (parent process) is independent of it. Started with `fork(worker.js, [kubeconfig])`.
 */
import { EngineEvent, KubeClient, createKubeClient, runSync } from '../engine';
import { KubeObject } from '../model';
import { planSync } from '../plan';
import { bulkChart, hookChart, scaleChart, waveChart } from './charts';
import { MemorySampler } from './memory';
import { ChartSpec, Command, CompactEvent, Hello, RawClient, RawOutcome, Reply, SyncOutcome, WarmupOutcome } from './protocol';
import { loadKubeConfig, pooledApply, rest } from './rest';
import { nowMs, pool } from './stats';

function manifestsOf(c: ChartSpec) {
  if (c.type === 'wave') return waveChart(c.ns, c.waves);
  if (c.type === 'hook') return hookChart(c.ns, c.shape);
  if (c.type === 'scale') return scaleChart(c.ns, c.shape);
  return bulkChart(c.ns, c.n);
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

interface Clients {
  engine: KubeClient;
  kc: any;
}

function applier(clients: Clients, which: RawClient): (o: KubeObject, dryRun?: boolean) => Promise<unknown> {
  if (which === 'engine') return (o, dryRun) => clients.engine.apply(o, { dryRun });
  return (o, dryRun) => (dryRun ? pooledDryRun(clients.kc, o) : pooledApply(clients.kc, o));
}

async function pooledDryRun(kc: any, o: KubeObject): Promise<void> {
  const r = await rest(kc, 'PATCH', `/api/v1/namespaces/${o.metadata.namespace}/configmaps/${o.metadata.name}`, o, {
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: 'sync-hooks', force: 'true', dryRun: 'All' },
  });
  if (r.status >= 300) throw new Error(`dry-run apply: HTTP ${r.status}`);
}

/** Dry-run applies: JIT, discovery and connections warm before anything is measured. */
async function warmup(clients: Clients, c: Extract<Command, { cmd: 'warmup' }>): Promise<WarmupOutcome> {
  const t0 = nowMs();
  const apply = applier(clients, c.client);
  await pool(bulkChart(c.ns, c.n, 'warmup'), c.concurrency, (o) => apply(o, true));
  return { durationMs: nowMs() - t0 };
}

async function sync(client: KubeClient, c: Extract<Command, { cmd: 'sync' }>): Promise<SyncOutcome> {
  const manifests = manifestsOf(c.chart);
  const events: CompactEvent[] = [];
  let operationStartedMs: number | undefined;
  let firstAppliedMs: number | undefined;
  let lastAppliedMs: number | undefined;
  let applied = 0;
  let hooks = 0;
  const onEvent = (e: EngineEvent) => {
    const t = nowMs();
    if (e.type === 'operation.started') operationStartedMs = t;
    else if (e.type === 'object.applied') {
      applied++;
      firstAppliedMs ??= t;
      lastAppliedMs = t;
    } else if (e.type === 'hook.created') hooks++;
    if (c.keepEvents) events.push({ type: e.type, t, ...('wave' in e && e.wave !== undefined ? { wave: e.wave } : {}), ...('object' in e ? { object: e.object } : {}) });
  };
  const mem = c.sampleMemory ? new MemorySampler(50) : undefined;
  mem?.start();
  const cpu0 = process.cpuUsage();
  const startMs = nowMs();
  let ok = true;
  let error: string | undefined;
  let planMs = 0;
  try {
    const plan = planSync(manifests);
    planMs = nowMs() - startMs;
    await runSync(client, plan, { concurrency: c.concurrency, onEvent, ...(c.dryRunConcurrency ? { dryRunConcurrency: c.dryRunConcurrency } : {}) });
  } catch (err) {
    ok = false;
    error = (err as Error).message;
  }
  const endMs = nowMs();
  const cpuMs = cpuSince(cpu0);
  const memory = mem?.stop();
  return {
    ok,
    cpuMs,
    ...(error ? { error } : {}),
    startMs,
    endMs,
    planMs,
    operationStartedMs,
    firstAppliedMs,
    lastAppliedMs,
    applied,
    hooks,
    ...(c.keepEvents ? { events } : {}),
    ...(memory ? { memory } : {}),
  };
}

async function raw(clients: Clients, c: Extract<Command, { cmd: 'raw' }>): Promise<RawOutcome> {
  const objects = bulkChart(c.ns, c.n);
  const apply = applier(clients, c.client);
  const mem = c.sampleMemory ? new MemorySampler(50) : undefined;
  mem?.start();
  const cpu0 = process.cpuUsage();
  const startMs = nowMs();
  await pool(objects, c.concurrency, async (o) => {
    await apply(o); // the response is dropped, as the engine does
  });
  const endMs = nowMs();
  const cpuMs = cpuSince(cpu0);
  const memory = mem?.stop();
  return { startMs, endMs, applied: objects.length, cpuMs, ...(memory ? { memory } : {}) };
}

async function main(): Promise<void> {
  const kubeconfig = process.argv[2];
  if (!kubeconfig || !process.send) throw new Error('worker.js is started by the benchmark (fork with IPC and a kubeconfig path)');
  const client = createKubeClient(kubeconfig);
  // client-node's KubeConfig only for the reused-connection runs: the engine's processes do not load it.
  let kc: any;
  const clients: Clients = {
    engine: client,
    get kc() {
      return (kc ??= loadKubeConfig(kubeconfig));
    },
  };
  // Discovery once, outside every measurement (both modes share the client code path).
  for (const [v, k] of [['v1', 'ConfigMap'], ['apps/v1', 'Deployment'], ['batch/v1', 'Job'], ['v1', 'Namespace']]) await client.isServed(v, k);
  let queue = Promise.resolve();
  process.on('message', (m: Command & { id: number }) => {
    queue = queue.then(async () => {
      let reply: Reply;
      try {
        const result = m.cmd === 'warmup' ? await warmup(clients, m) : m.cmd === 'sync' ? await sync(client, m) : await raw(clients, m);
        reply = { id: m.id, ok: true, result };
      } catch (err) {
        reply = { id: m.id, ok: false, error: (err as Error).stack ?? String(err) };
      }
      process.send!(reply);
    });
  });
  process.on('disconnect', () => {
    client.close?.();
    process.exit(0);
  });
  const hello: Hello = { hello: true, pid: process.pid, rssMiB: process.memoryUsage.rss() / 1024 / 1024 };
  process.send(hello);
}

main().catch((err) => {
  process.stderr.write(`[bench worker] ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
