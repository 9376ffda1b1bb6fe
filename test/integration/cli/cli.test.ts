/**
 * `sync-hooks plan|sync|delete` on the embedded cluster (kwok runs the pods): a full
 * sync → prune → failing sync → delete cycle through `main`, bad input, and Ctrl-C through the
 * real binary. One namespace and application name per test; no fixed sleeps.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { KubeClient } from '../../../src/engine';
import { KubeObject } from '../../../src/model';
import { inventoryRef, readInventory } from '../../../src/runner/inventory-store';
import { client, configMap, deployment, eventually, hookJob, kubeconfig, ref, uniqueNamespace, withNamespace } from '../engine/_helpers';
import { cli, CliProcess, releaseHookFinalizers, tempDir, writeManifests } from './_cli';

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

/** Runs `fn` with a fresh namespace, removed afterwards (hook finalizers released first). */
async function inNamespace(prefix: string, fn: (ns: string) => Promise<void>): Promise<void> {
  const ns = uniqueNamespace(prefix);
  const cleanup = await withNamespace(c, ns);
  try {
    await fn(ns);
  } finally {
    await releaseHookFinalizers(c, ns);
    await c.delete(inventoryRef(ns)).catch(() => undefined);
    await cleanup();
  }
}

const indexOf = (events: string[], line: string) => {
  const i = events.findIndex((e) => e.startsWith(line));
  if (i < 0) throw new Error(`no event "${line}" in:\n${events.join('\n')}`);
  return i;
};

/** Planted in the failing hook's output (its termination message): must not leave the cluster's pod. */
const HOOK_OUTPUT_SECRET = `db-password-${crypto.randomBytes(6).toString('hex')}`;

function app(ns: string, o: { failPreSync?: boolean; withConfigMap?: boolean } = {}): KubeObject[] {
  return [
    hookJob(ns, 'migrate', { phase: 'PreSync', policy: 'HookSucceeded', ...(o.failPreSync ? { fail: { exitCode: 3, message: `migration 42 failed: password=${HOOK_OUTPUT_SECRET}` } } : {}) }),
    ...(o.withConfigMap === false ? [] : [configMap(ns, 'settings')]),
    deployment(ns, 'web', 1),
    hookJob(ns, 'smoke', { phase: 'PostSync', policy: 'HookSucceeded' }),
    hookJob(ns, 'alert', { phase: 'SyncFail', policy: 'HookSucceeded' }),
  ];
}

test('sync, prune on the next sync, a failing PreSync, then delete', async () => {
  await inNamespace('cli-cycle', async (ns) => {
    const base = ['--kubeconfig', kubeconfig(), '--name', ns];

    // 1. plan (no cluster) and sync.
    const file = writeManifests(dir, `${ns}.yaml`, app(ns));
    const plan = await cli(['plan', '-f', file]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`SyncFail (on failure)     0  apply   Job         ${ns}/alert`);

    const first = await cli(['sync', '-f', file, ...base]);
    if (first.code !== 0) throw new Error(`sync failed:\n${first.stdout}\n${first.stderr}`);
    expect(first.stderr).toContain(`[sync-hooks] using --kubeconfig ${kubeconfig()}`);
    expect(first.stderr).toContain(`inventory ConfigMap default/sync-hooks-inventory-${ns}: none yet`);
    const ev = first.events;
    expect(indexOf(ev, `PreSync wave 0: hook Job ${ns}/migrate started`)).toBeLessThan(indexOf(ev, `PreSync wave 0: hook Job ${ns}/migrate succeeded`));
    expect(indexOf(ev, `PreSync wave 0: hook Job ${ns}/migrate succeeded`)).toBeLessThan(indexOf(ev, `Sync wave 0: applied ConfigMap ${ns}/settings`));
    expect(indexOf(ev, `Sync wave 0: applied ConfigMap ${ns}/settings`)).toBeLessThan(indexOf(ev, `Sync wave 1: applied Deployment ${ns}/web`));
    expect(indexOf(ev, `Sync wave 1: applied Deployment ${ns}/web`)).toBeLessThan(indexOf(ev, `PostSync wave 0: hook Job ${ns}/smoke started`));
    expect(indexOf(ev, `PostSync wave 0: hook Job ${ns}/smoke succeeded`)).toBeLessThan(indexOf(ev, 'sync succeeded'));
    expect(first.stdout).toMatch(new RegExp(`Job ${ns}/migrate\\s+PreSync\\s+0\\s+Succeeded\\s+\\S+`));
    expect(first.stdout).toMatch(new RegExp(`Job ${ns}/smoke\\s+PostSync\\s+0\\s+Succeeded\\s+\\S+`));
    expect(first.stdout).toContain(`2 objects applied, 0 pruned, 2 hooks; inventory ConfigMap default/sync-hooks-inventory-${ns} (2 objects)`);
    expect(await c.get(ref(ns, 'Deployment', 'web'))).toBeDefined();
    expect(await c.get(ref(ns, 'ConfigMap', 'settings'))).toBeDefined();
    expect(await c.get(ref(ns, 'Job', 'migrate'))).toBeUndefined(); // HookSucceeded
    const cm = await c.get(inventoryRef(ns));
    expect(cm?.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('sync-hooks');
    const inv1 = await readInventory(c, ns);
    expect(inv1?.lastSyncStatus).toBe('Succeeded');
    expect(inv1?.entries.map((e) => `${e.kind}/${e.name}`)).toEqual(['ConfigMap/settings', 'Deployment/web']);

    // 2. The ConfigMap is gone from the manifests: the next sync prunes it.
    const second = await cli(['sync', '-f', writeManifests(dir, `${ns}-2.yaml`, app(ns, { withConfigMap: false })), ...base]);
    if (second.code !== 0) throw new Error(`second sync failed:\n${second.stdout}\n${second.stderr}`);
    expect(second.stderr).toContain(`inventory ConfigMap default/sync-hooks-inventory-${ns}: 2 objects, last sync Succeeded`);
    expect(second.events.some((e) => e.startsWith(`Sync wave 0: pruned ConfigMap ${ns}/settings`))).toBe(true);
    expect(second.stdout).toContain('1 object applied, 1 pruned');
    expect(await c.get(ref(ns, 'ConfigMap', 'settings'))).toBeUndefined();
    expect((await readInventory(c, ns))?.entries.map((e) => e.name)).toEqual(['web']);

    // 3. A failing PreSync hook: exit 1, the reason names the hook and SyncFail; inventory kept (status Failed).
    const third = await cli(['sync', '-f', writeManifests(dir, `${ns}-3.yaml`, app(ns, { failPreSync: true, withConfigMap: false })), ...base]);
    expect(third.code).toBe(1);
    const reason = third.stderr.slice(third.stderr.lastIndexOf('sync-hooks: Sync failed'));
    expect(reason).toContain(`HookFailed in PreSync wave 0: Job ${ns}/migrate`);
    expect(reason).toContain('exit code 3');
    expect(reason).toContain('SyncFail ran: 1 SyncFail hook succeeded.');
    expect(indexOf(third.events, 'SyncFail: running 1 hook after HookFailed in PreSync')).toBeGreaterThan(indexOf(third.events, `PreSync wave 0: hook Job ${ns}/migrate FAILED`));
    expect(third.stdout).toMatch(new RegExp(`Job ${ns}/migrate\\s+PreSync\\s+0\\s+Failed`));
    expect(third.stdout).toMatch(new RegExp(`Job ${ns}/alert\\s+SyncFail\\s+0\\s+Succeeded`));
    // The hook's output may hold secrets: not in CLI output, not in any ConfigMap (inventory, record).
    expect(reason).toContain('termination message and logs withheld');
    expect(`${third.stdout}\n${third.stderr}`).not.toContain(HOOK_OUTPUT_SECRET);
    expect(JSON.stringify(await c.list({ apiVersion: 'v1', kind: 'ConfigMap' }))).not.toContain(HOOK_OUTPUT_SECRET);
    const inv3 = await readInventory(c, ns);
    expect(inv3?.lastSyncStatus).toBe('Failed');
    expect(inv3?.entries.map((e) => e.name)).toEqual(['web']);

    // 4. delete: objects gone, inventory removed.
    const del = await cli(['delete', '-f', file, ...base]);
    if (del.code !== 0) throw new Error(`delete failed:\n${del.stdout}\n${del.stderr}`);
    expect(del.events.some((e) => e.startsWith(`Delete wave 1: deleted Deployment ${ns}/web`))).toBe(true);
    expect(del.stdout).toContain(`inventory ConfigMap default/sync-hooks-inventory-${ns} removed`);
    expect(await c.get(ref(ns, 'Deployment', 'web'))).toBeUndefined();
    expect(await c.get(ref(ns, 'ConfigMap', 'settings'))).toBeUndefined();
    expect(await c.get(inventoryRef(ns))).toBeUndefined();
  });
});

test('bad input: every problem listed, exit 2, nothing created', async () => {
  await inNamespace('cli-bad', async (ns) => {
    const good = configMap(ns, 'fine');
    const noName: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns } as KubeObject['metadata'] };
    const badHook = hookJob(ns, 'migrate', { phase: 'PreSync' });
    badHook.metadata.annotations!['argocd.argoproj.io/hook'] = 'PreSnyc';
    const file = writeManifests(dir, `${ns}-bad.yaml`, [good, noName, badHook]);
    const r = await cli(['sync', '-f', file, '--kubeconfig', kubeconfig(), '--name', ns]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid manifests (2 problems)');
    expect(r.stderr).toContain(`ConfigMap ${ns}/(no name): metadata.name: is required`);
    expect(r.stderr).toContain(`Job ${ns}/migrate: metadata.annotations["argocd.argoproj.io/hook"]: unknown hook type "PreSnyc"`);
    expect(await c.get(ref(ns, 'ConfigMap', 'fine'))).toBeUndefined();
    expect(await c.get(inventoryRef(ns))).toBeUndefined();

    // Objects the cluster would reject are found before anything is written, too.
    const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: ns } };
    const r2 = await cli(['sync', '-f', writeManifests(dir, `${ns}-bad2.yaml`, [good, widget]), '--kubeconfig', kubeconfig(), '--name', ns]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('found before anything was written to the cluster');
    expect(r2.stderr).toContain(`Widget ${ns}/w`);
    expect(await c.get(ref(ns, 'ConfigMap', 'fine'))).toBeUndefined();
    expect(await c.get(inventoryRef(ns))).toBeUndefined();
  });
});

describe('Ctrl-C (the real binary)', () => {
  const slowApp = (ns: string, syncFailDuration = '200ms') => [
    configMap(ns, 'settings'),
    hookJob(ns, 'slow', { phase: 'Sync', wave: 1, duration: '300s' }),
    hookJob(ns, 'alert', { phase: 'SyncFail', policy: 'HookSucceeded', duration: syncFailDuration }),
  ];

  test('cancels: the running hook is terminated, SyncFail runs, exit 130, inventory Cancelled', async () => {
    await inNamespace('cli-cancel', async (ns) => {
      const file = writeManifests(dir, `${ns}-slow.yaml`, slowApp(ns));
      const p = new CliProcess(['sync', '-f', file, '--kubeconfig', kubeconfig(), '--name', ns]);
      try {
        await p.waitForOutput(`hook Job ${ns}/slow started`);
        p.child.kill('SIGINT');
        expect(await p.exited).toBe(130);
      } finally {
        p.kill();
      }
      expect(p.stderr).toContain('SIGINT: cancelling');
      expect(p.events.some((e) => e.startsWith(`Sync wave 1: hook Job ${ns}/slow terminated`))).toBe(true);
      expect(p.events.some((e) => e.startsWith('SyncFail: running 1 hook after Cancelled'))).toBe(true);
      expect(p.stderr).toMatch(/sync-hooks: Sync failed: Cancelled in Sync wave 1/);
      expect(p.stdout).toContain('sync CANCELLED');
      const inv = await readInventory(c, ns);
      expect(inv?.lastSyncStatus).toBe('Cancelled');
      expect(inv?.entries.map((e) => e.name)).toEqual(['settings']);
      await eventually('the slow hook to be deleted', async () => (await c.get(ref(ns, 'Job', 'slow'))) === undefined);
    });
  });

  test('a second Ctrl-C exits at once: inventory Interrupted, hook finalizers released', async () => {
    await inNamespace('cli-force', async (ns) => {
      const file = writeManifests(dir, `${ns}-slow.yaml`, slowApp(ns, '300s'));
      const p = new CliProcess(['sync', '-f', file, '--kubeconfig', kubeconfig(), '--name', ns]);
      try {
        await p.waitForOutput(`hook Job ${ns}/slow started`);
        p.child.kill('SIGINT');
        await p.waitForOutput(`SyncFail wave 0: hook Job ${ns}/alert started`);
        p.child.kill('SIGINT');
        expect(await p.exited).toBe(130);
      } finally {
        p.kill();
      }
      expect(p.stderr).toContain('exiting now; recording what was applied so far in the inventory');
      const inv = await readInventory(c, ns);
      expect(inv?.lastSyncStatus).toBe('Interrupted');
      expect(inv?.entries.map((e) => e.name)).toEqual(['settings']);
      const jobs = await c.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns });
      const alert = jobs.find((j) => j.metadata.name!.startsWith('alert'));
      expect(alert).toBeDefined();
      expect(alert!.metadata.finalizers ?? []).not.toContain('argocd.argoproj.io/hook-finalizer');
    });
  });
});
