/**
 * Transient API faults on the real embedded cluster: a fault-injecting proxy (127.0.0.1, TLS, in
 * front of the API server) answers 429 with Retry-After, 503, and resets connections before and
 * after the API server processed a request, on a fixed schedule. Two syncs through it (the second
 * updates, prunes and creates new hooks) complete, and nothing is created twice: the API server
 * answered exactly one successful POST per hook and no "already exists".
 */
import * as fs from 'node:fs';
import { KubeClient, RetryEvent, createKubeClient } from '../../../src/engine';
import { KubeObject, LABEL_OPERATION, operationLabelValue } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { Timeline, client, clusterOpts, configMap, deployment, hookJob, kubeconfig, uniqueNamespace, withNamespace } from '../engine/_helpers';
import { FaultProxy, FaultRule } from './_proxy';
import { certDirOf, writeReport } from './_report';
import * as path from 'node:path';
import { cli, tempDir, writeManifests } from '../cli/_cli';
import { inventoryRef, readInventory } from '../../../src/runner/inventory-store';

let direct: KubeClient;
let proxy: FaultProxy;
let ns: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  direct = client();
  const yaml = fs.readFileSync(kubeconfig(), 'utf8');
  const server = /server:\s*(\S+)/.exec(yaml)![1];
  proxy = await FaultProxy.start(server, [], certDirOf());
  ns = uniqueNamespace('faults-proxy');
  cleanup = await withNamespace(direct, ns);
});
afterAll(async () => {
  await cleanup?.();
  await proxy?.close();
  direct?.close?.();
});

/** The schedule: which of the n-th matching requests fail, and how. Deterministic in count. */
function schedule(): FaultRule[] {
  const isApply = (q: URLSearchParams) => q.get('force') === 'true';
  return [
    // Hook creates: the first is processed but its answer lost; the second refused with 503 (not processed).
    { name: 'create', match: (r) => r.method === 'POST' && !r.query.has('dryRun'), faults: ['reset-after', '503'] },
    { name: 'apply', match: (r) => r.method === 'PATCH' && isApply(r.query), faults: ['429', 'pass', '503', 'pass', 'reset', 'pass', 'reset-after', 'pass', '429'] },
    { name: 'finalizers', match: (r) => r.method === 'PATCH' && !isApply(r.query), faults: ['503', 'reset-after'] },
    { name: 'delete', match: (r) => r.method === 'DELETE', faults: ['reset-after', '503'] },
    { name: 'watch', match: (r) => r.watch, faults: ['reset', 'pass', '503'] },
    { name: 'get', match: (r) => r.method === 'GET', faults: ['pass', '503', 'pass', 'pass', 'reset', 'pass', '429', 'pass', 'pass', 'reset-after'] },
  ];
}

const manifests = (ns: string, names: string[]): KubeObject[] => [
  hookJob(ns, 'migrate', { phase: 'PreSync', generateName: true, duration: '1s' }),
  ...names.map((n) => configMap(ns, n, 0, { v: n })),
  deployment(ns, 'web', 0),
  configMap(ns, 'late', 1),
  hookJob(ns, 'smoke', { phase: 'PostSync', generateName: true }),
];

test('two syncs through 429/503/resets complete; every hook created exactly once; retries counted', async () => {
  const retries: RetryEvent[] = [];
  const proxied = createKubeClient(proxy.kubeconfigFor(fs.readFileSync(kubeconfig(), 'utf8')), undefined, { onRetry: (e) => retries.push(e) });
  const report: Record<string, unknown> = {};
  try {
    const names = ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4'];
    const syncs = [
      { objs: manifests(ns, names), previous: undefined as KubeObject[] | undefined },
      // The second sync changes cm-0, prunes cm-4, and creates new hooks.
      { objs: manifests(ns, names.slice(0, 4)).map((o) => (o.metadata.name === 'cm-0' ? { ...o, data: { v: 'changed' } } : o)), previous: manifests(ns, names) },
    ];
    for (const [i, s] of syncs.entries()) {
      proxy.setRules(schedule());
      proxy.answered.length = 0;
      const before = { ...proxied.requestStats!() };
      const injectedBefore = proxy.injected.length;
      const tl = new Timeline();
      const result = await runSyncOrExplain(proxied, planSync(s.objs, { defaultNamespace: ns, ...(s.previous ? { previous: s.previous } : {}) }), tl);

      expect(result.hooks.map((h) => [h.phase, h.status])).toEqual([
        ['PreSync', 'Succeeded'],
        ['PostSync', 'Succeeded'],
      ]);
      // Nothing created twice: one successful POST per hook reached the API server, none answered "already exists".
      const creates = proxy.answered.filter((a) => a.method === 'POST' && !a.dryRun);
      expect(creates.map((a) => a.status)).toEqual([201, 201]);
      expect(tl.events.filter((e) => e.type === 'hook.created')).toHaveLength(2);
      // The hooks of this operation, listed directly from the API server: exactly these two.
      const jobs = await direct.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns, labelSelector: `${LABEL_OPERATION}=${operationLabelValue(result.operationId)}` });
      expect(jobs.map((j) => j.metadata.name).sort()).toEqual(result.hooks.map((h) => h.name).sort());

      const injected = proxy.injected.slice(injectedBefore);
      const stats = proxied.requestStats!();
      const perSync = { retries: stats.retries - before.retries, requests: stats.requests - before.requests, recoveredCreates: stats.recoveredCreates - before.recoveredCreates };
      // Every fault on a request (watches aside: the watch hub re-opens those) cost exactly one retry.
      expect(perSync.retries).toBe(injected.filter((f) => !f.watch).length);
      // The hook POST whose answer was lost was found by its token, not sent again.
      expect(perSync.recoveredCreates).toBe(1);
      expect(new Set(injected.map((f) => f.fault))).toEqual(new Set(['429', '503', 'reset', 'reset-after']));
      report[`sync${i + 1}`] = { injected: injected.length, byFault: countBy(injected.map((f) => f.fault)), byRule: countBy(injected.map((f) => f.rule)), ...perSync };
    }

    // The cluster ends as the second sync describes it.
    expect(await direct.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'cm-4' })).toBeUndefined();
    expect((await direct.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'cm-0' }))?.data).toEqual({ v: 'changed' });
    const web = await direct.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' });
    expect(web?.metadata.generation).toBe(1);
    report.retriesByCause = proxied.requestStats!().retriesByCause;
    writeReport('proxy', report);
  } finally {
    proxied.close?.();
  }
});

test('the CLI through the faults: sync exits 0, reports the requests it retried, and its inventory lists every object', async () => {
  const dir = tempDir();
  const kc = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kc, proxy.kubeconfigFor(fs.readFileSync(kubeconfig(), 'utf8')), { mode: 0o600 });
  const objs = manifests(ns, ['cli-0', 'cli-1', 'cli-2', 'cli-3']);
  const file = writeManifests(dir, 'app.yaml', objs);
  const app = `${ns}-cli`;
  proxy.setRules(schedule());
  const injectedBefore = proxy.injected.length;
  try {
    const run = await cli(['sync', '-f', file, '--name', app, '--inventory-namespace', ns, '--kubeconfig', kc]);
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    const injected = proxy.injected.slice(injectedBefore);
    expect(injected.length).toBeGreaterThan(5);
    const line = /requests retried: (\d+) of (\d+) \(([^)]*)\)(.*)/.exec(run.stderr);
    expect(line).not.toBeNull();
    expect(Number(line![1])).toBe(injected.filter((f) => !f.watch).length);
    const inventory = await readInventory(direct, app, ns);
    expect(inventory?.entries.map((e) => e.name).sort()).toEqual(['cli-0', 'cli-1', 'cli-2', 'cli-3', 'late', 'web']);
    writeReport('proxy-cli', { injected: injected.length, byFault: countBy(injected.map((f) => f.fault)), retriedLine: line![0] });
  } finally {
    await direct.delete(inventoryRef(app, ns)).catch(() => undefined);
  }
});

async function runSyncOrExplain(c: KubeClient, plan: ReturnType<typeof planSync>, tl: Timeline) {
  const { runSync } = await import('../../../src/engine');
  try {
    return await runSync(c, plan, { ...clusterOpts, onEvent: tl.push });
  } catch (e) {
    throw new Error(`${(e as Error).message}\nproxy injected: ${JSON.stringify(proxy.injected.slice(-20))}\ntimeline:\n${tl.render()}`);
  }
}

function countBy(xs: string[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const x of xs) m[x] = (m[x] ?? 0) + 1;
  return m;
}
