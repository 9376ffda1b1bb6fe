/**
 * `status`, `history` and `timeline --name` on the embedded cluster, from the outside: the CLI syncs
 * a chart (a failing hook, SyncFail), then reads back what the cluster recorded (the history
 * Secret, the inventory, live objects). One namespace and application name per test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubeClient } from '../../../src/engine';
import { recordRef } from '../../../src/engine';
import { historyRef } from '../../../src/history';
import { clusterLogs, criLogLines } from '../../../src/localcluster';
import { KubeObject } from '../../../src/model';
import { inventoryRef } from '../../../src/runner/inventory-store';
import { client, configMap, deployment, eventually, hookJob, kubeconfig, ref, uniqueNamespace, withNamespace } from '../engine/_helpers';
import { cli, releaseHookFinalizers, tempDir, writeManifests } from './_cli';

let c: KubeClient;
let dir: string;
beforeAll(() => {
  c = client();
  dir = tempDir();
});
afterAll(() => {
  c.close?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh namespace (and app of the same name), removed afterwards with the app's inventory, record and history. */
async function inNamespace(prefix: string, fn: (ns: string) => Promise<void>): Promise<void> {
  const ns = uniqueNamespace(prefix);
  const cleanup = await withNamespace(c, ns);
  try {
    await fn(ns);
  } finally {
    await releaseHookFinalizers(c, ns);
    for (const r of [inventoryRef(ns), recordRef(ns), historyRef(ns), { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'ClusterLogs', name: ns }]) await c.delete(r).catch(() => undefined);
    await cleanup();
  }
}

function chart(ns: string, o: { failPreSync?: string } = {}): KubeObject[] {
  return [
    // Failing, it is deleted by HookFailed: its pod and output are gone from the cluster.
    hookJob(ns, 'migrate', o.failPreSync ? { phase: 'PreSync', policy: 'HookFailed', fail: { exitCode: 3, message: o.failPreSync } } : { phase: 'PreSync', policy: 'HookSucceeded' }),
    configMap(ns, 'settings'),
    deployment(ns, 'web', 1),
    hookJob(ns, 'smoke', { phase: 'PostSync', policy: 'HookSucceeded' }),
    hookJob(ns, 'alert', { phase: 'SyncFail', policy: 'HookSucceeded' }),
  ];
}

const must = (what: string, r: { code: number; stdout: string; stderr: string }, code = 0) => {
  if (r.code !== code) throw new Error(`${what}: exit ${r.code}, expected ${code}\n${r.stdout}\n${r.stderr}`);
};

test('a failing hook: history -o json keeps its exit details, termination message and log tail after HookFailed deleted it; newest first', async () => {
  await inNamespace('cli-hist', async (ns) => {
    const base = ['--kubeconfig', kubeconfig(), '--name', ns];
    must('first sync', await cli(['sync', '-f', writeManifests(dir, `${ns}.yaml`, chart(ns)), ...base]));
    // What the hook's container "prints": kwok (the kubelet) serves this file as the logs of the namespace's pods.
    const logsFile = path.join(dir, `${ns}.log`);
    fs.writeFileSync(logsFile, criLogLines(['connecting to db', 'applying migration 42', `ERROR: column "email" already exists (${ns})`]));
    await c.apply(clusterLogs(ns, [ns], logsFile));
    const output = `migration 42 failed: column "email" already exists (${ns})`;
    must('failing sync', await cli(['sync', '-f', writeManifests(dir, `${ns}-2.yaml`, chart(ns, { failPreSync: output })), ...base]), 1);
    // The failed hook is gone (HookFailed)…
    await eventually('the failed hook deleted', async () => !(await c.get(ref(ns, 'Job', 'migrate'))));
    const hist = await cli(['history', ...base, '-o', 'json']);
    must('history', hist);
    const doc = JSON.parse(hist.stdout);
    expect(doc).toMatchObject({ app: ns, namespace: 'default' });
    expect(doc.operations.map((o: any) => `#${o.seq} ${o.kind} ${o.status}`)).toEqual(['#2 sync Failed', '#1 sync Succeeded']);
    const [failed, ok] = doc.operations;
    expect(failed.reason).toBe('HookFailed');
    expect(failed.message).toContain(`Job ${ns}/migrate`);
    expect(failed.durationMs).toBe(Date.parse(failed.finishedAt) - Date.parse(failed.startedAt));
    const migrate = failed.hooks.find((h: any) => h.object === `Job ${ns}/migrate`);
    expect(migrate).toMatchObject({ phase: 'PreSync', wave: 0, status: 'Failed' });
    expect(migrate.containers).toHaveLength(1);
    // …and what it said survives in the history: exit code, reason and its output.
    expect(migrate.containers[0]).toMatchObject({ container: 'main', exitCode: 3, reason: 'Error', message: output });
    expect(migrate.containers[0].logTail).toBe(`connecting to db\napplying migration 42\nERROR: column "email" already exists (${ns})`);
    expect(failed.hooks.find((h: any) => h.phase === 'SyncFail')).toMatchObject({ status: 'Succeeded' });
    expect(ok.hooks.map((h: any) => `${h.object} ${h.status}`)).toEqual([`Job ${ns}/migrate Succeeded`, `Job ${ns}/smoke Succeeded`]);
    expect(failed.timelineEvents).toBeGreaterThan(0);
    // The hook output lives in a Secret, never in a ConfigMap.
    const secret = await c.get(historyRef(ns));
    expect(secret?.kind).toBe('Secret');
    const cms = await c.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' });
    expect(cms.filter((cm) => JSON.stringify(cm.data ?? {}).includes(output))).toEqual([]);

    const table = await cli(['history', ...base]);
    must('history table', table);
    expect(table.stdout).toMatch(/^#\s+OPERATION\s+KIND\s+STATUS\s+STARTED\s+DURATION\s+HOOKS\n2\s+\w{7}\s+sync\s+Failed\s/);
    expect(table.stdout).toContain(`Job ${ns}/migrate (PreSync wave 0) Failed`);
    expect(table.stdout).toContain(`termination message: ${output}`);
    expect(table.stdout).toContain(`    | ERROR: column "email" already exists (${ns})`);
  });
});

test('status: live health of each managed object changes when one is deleted by hand; the last operation with its hooks', async () => {
  await inNamespace('cli-status', async (ns) => {
    const base = ['--kubeconfig', kubeconfig(), '--name', ns];
    must('sync', await cli(['sync', '-f', writeManifests(dir, `${ns}.yaml`, chart(ns)), ...base]));
    const healthy = await eventually('every object Healthy', async () => {
      const r = await cli(['status', ...base, '-o', 'json']);
      const doc = JSON.parse(r.stdout);
      return doc.health === 'Healthy' ? doc : undefined;
    });
    expect(healthy.objects.map((o: any) => `${o.kind} ${o.name} ${o.health}`)).toEqual(['ConfigMap settings Healthy', 'Deployment web Healthy']);
    expect(healthy.lastOperation).toMatchObject({ kind: 'sync', status: 'Succeeded', seq: 1 });
    expect(healthy.lastOperation.hooks.map((h: any) => h.object)).toEqual([`Job ${ns}/migrate`, `Job ${ns}/smoke`]);

    await c.delete(ref(ns, 'Deployment', 'web'), { propagationPolicy: 'Background' });
    await eventually('the Deployment gone', async () => !(await c.get(ref(ns, 'Deployment', 'web'))));
    const after = await cli(['status', ...base]);
    must('status', after);
    expect(after.stdout).toContain(`application ${ns} (record in namespace default): Missing`);
    expect(after.stdout).toMatch(new RegExp(`Deployment\\s+${ns}\\s+web\\s+Missing\\s+not found in the cluster`));
    expect(after.stdout).toMatch(new RegExp(`ConfigMap\\s+${ns}\\s+settings\\s+Healthy`));
    expect(after.stdout).toMatch(/last operation:\n#1 sync \w{7} Succeeded/);
    expect(after.stdout).toMatch(new RegExp(`Job ${ns}/smoke\\s+PostSync\\s+0\\s+Succeeded`));
  });
});

test('timeline --name draws the last recorded operation: one bar per hook run, the failed one red', async () => {
  await inNamespace('cli-tl', async (ns) => {
    const base = ['--kubeconfig', kubeconfig(), '--name', ns];
    const run = await cli(['sync', '-f', writeManifests(dir, `${ns}.yaml`, chart(ns, { failPreSync: 'boom' })), ...base]);
    must('failing sync', run, 1);
    const started = run.events.filter((e) => / hook Job \S+ started$/.test(e)).map((e) => /hook (Job \S+) started/.exec(e)![1]);
    expect(started).toEqual([`Job ${ns}/migrate`, expect.stringMatching(new RegExp(`^Job ${ns}/alert`))]);
    const page = path.join(dir, `${ns}.html`);
    const tl = await cli(['timeline', ...base, '-o', page]);
    must('timeline', tl);
    expect(tl.stderr).toMatch(new RegExp(`timeline of sync #1 \\w{7} \\(Failed, started [^)]+\\): ${page.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const html = fs.readFileSync(page, 'utf8');
    const bars = [...html.matchAll(/<rect class="bar hook (\w+)"[^>]*data-object="([^"]+)"/g)].map((m) => `${m[2]} ${m[1]}`);
    expect(bars).toEqual([`Job ${ns}/migrate failed`, `${started[1]} ok`]);

    const none = await cli(['timeline', '--kubeconfig', kubeconfig(), '--name', `${ns}-nope`, '-o', page]);
    must('timeline of an unknown app', none, 1);
    expect(none.stderr).toContain(`no recorded operation of application "${ns}-nope" in namespace "default"`);
  });
});
