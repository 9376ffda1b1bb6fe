/**
 * kill -9 of the real binary (`node bin/sync-hooks.js`) at several points of a sync and of a
 * delete, on the embedded cluster: the re-run continues the interrupted operation (hooks that
 * completed are not run again, a running one is awaited, not re-created), and the delete that
 * follows leaves nothing labelled with the app anywhere. Two syncs of one app at once: one clear
 * refusal. A lock whose holder hangs is taken over once it expires. No fixed sleeps.
 */
import * as fs from 'node:fs';
import { APP_LABEL, KubeClient, lockRef, OperationRecord, parseRecord, recordRef } from '../../../src/engine';
import { HOOK_FINALIZER, KubeObject } from '../../../src/model';
import { inventoryRef } from '../../../src/runner/inventory-store';
import { client, configMap, eventually, hookJob, kubeconfig, uniqueNamespace } from '../engine/_helpers';
import { CliProcess, releaseHookFinalizers, tempDir, writeManifests } from './_cli';

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

/** PreSync (generateName) → ConfigMap wave 0 → Sync hook wave 1 → ConfigMap wave 2 → PostSync; PreDelete backup. */
function app(ns: string, d: { pre?: string; mid?: string; post?: string; backup?: string } = {}): KubeObject[] {
  return [
    hookJob(ns, 'pre', { phase: 'PreSync', policy: 'HookSucceeded', generateName: true, duration: d.pre ?? '200ms' }),
    configMap(ns, 'settings', 0),
    hookJob(ns, 'mid', { phase: 'Sync', wave: 1, policy: 'HookSucceeded', duration: d.mid ?? '200ms' }),
    configMap(ns, 'later', 2),
    hookJob(ns, 'post', { phase: 'PostSync', policy: 'HookSucceeded', duration: d.post ?? '200ms' }),
    hookJob(ns, 'backup', { phase: 'PreDelete', policy: 'HookSucceeded', duration: d.backup ?? '200ms' }),
  ];
}

const run = (argv: string[]) => new CliProcess([...argv, '--kubeconfig', kubeconfig()]);

async function finish(p: CliProcess): Promise<number | null> {
  try {
    return await p.exited;
  } finally {
    p.kill();
  }
}

/** Waits for the exit and checks its code, showing the run's output when it differs. */
async function expectExit(p: CliProcess, code: number): Promise<void> {
  const got = await finish(p);
  if (got !== code) throw new Error(`exited ${got}, expected ${code}:\n${p.stdout}\n${p.stderr}`);
}

async function record(name: string): Promise<OperationRecord | undefined> {
  const cm = await c.get(recordRef(name));
  return cm ? parseRecord(cm, name) : undefined;
}

const KINDS = [
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Pod' },
];

/** Everything labelled with the app, in every namespace. */
async function owned(name: string): Promise<string[]> {
  const out: string[] = [];
  for (const k of KINDS) {
    for (const o of await c.list({ ...k, labelSelector: `${APP_LABEL}=${name}` })) out.push(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
  }
  return out;
}

/** Jobs of the app by hook name (generated names by prefix) → uid. */
async function jobUids(ns: string): Promise<Map<string, string>> {
  const jobs = await c.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns });
  return new Map(jobs.map((j) => [j.metadata.name!, j.metadata.uid!]));
}

/** delete → exit 0, then nothing of the app anywhere: no labelled object, no record, no lock, no inventory. */
async function expectTornDown(ns: string, file: string): Promise<void> {
  const del = run(['delete', '-f', file, '--name', ns]);
  const code = await finish(del);
  if (code !== 0) throw new Error(`delete exited ${code}:\n${del.stdout}\n${del.stderr}`);
  expect(await owned(ns)).toEqual([]);
  expect(await c.get(recordRef(ns))).toBeUndefined();
  expect(await c.get(lockRef(ns))).toBeUndefined();
  expect(await c.get(inventoryRef(ns))).toBeUndefined();
}

async function inApp(prefix: string, fn: (ns: string) => Promise<void>): Promise<void> {
  const ns = uniqueNamespace(prefix);
  await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  try {
    await fn(ns);
  } finally {
    await releaseHookFinalizers(c, ns);
    for (const r of [recordRef(ns), lockRef(ns), inventoryRef(ns)]) await c.delete(r).catch(() => undefined);
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }, { propagationPolicy: 'Background' }).catch(() => undefined);
  }
}

/** The hooks a run started (its `... started` lines). */
const started = (p: CliProcess) => p.events.filter((e) => / hook Job .* started$/.test(e));

describe('kill -9 of `sync-hooks sync`, then the same sync again', () => {
  test('PreSync hook running: the re-run takes the lock at once, awaits the same hook (same uid), then converges', async () => {
    await inApp('crash-pre', async (ns) => {
      const file = writeManifests(dir, `${ns}.yaml`, app(ns, { pre: '4s' }));
      const first = run(['sync', '-f', file, '--name', ns]);
      await first.waitForOutput(`PreSync wave 0: hook Job ${ns}/pre-`);
      await eventually('the record to hold the PreSync hook with its uid', async () => (await record(ns))?.hooks.find((h) => h.phase === 'PreSync' && h.uid));
      first.kill();
      await first.exited;
      const crashed = (await record(ns))!;
      expect(crashed.operation).toMatchObject({ kind: 'sync', status: 'Running', phase: 'PreSync' });
      const pre = crashed.hooks.find((h) => h.phase === 'PreSync')!;
      const live = await c.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns, name: pre.name });
      expect(live?.metadata.uid).toBe(pre.uid);
      expect(live?.metadata.finalizers).toContain(HOOK_FINALIZER);

      const again = run(['sync', '-f', file, '--name', ns]);
      await expectExit(again, 0);
      expect(again.stderr).toMatch(/took over the lock of application ".*" from .* \(sync started .*; its process is gone\)/);
      expect(again.stdout).toContain(`hook Job ${ns}/${pre.name} still running from the interrupted operation: awaiting it`);
      expect(started(again)).toEqual([`Sync wave 1: hook Job ${ns}/mid started`, `PostSync wave 0: hook Job ${ns}/post started`]);
      const done = (await record(ns))!;
      expect(done.operation).toMatchObject({ status: 'Succeeded', id: crashed.operation.id });
      expect(done.hooks.find((h) => h.phase === 'PreSync')).toMatchObject({ name: pre.name, uid: pre.uid, status: 'Succeeded', deleted: true });
      await expectTornDown(ns, file);
    });
  });

  test('between waves: completed hooks are not run again', async () => {
    await inApp('crash-wave', async (ns) => {
      const file = writeManifests(dir, `${ns}.yaml`, app(ns, { post: '3s' }));
      const first = run(['sync', '-f', file, '--name', ns]);
      await first.waitForOutput(`Sync wave 1: hook Job ${ns}/mid succeeded`);
      first.kill();
      await first.exited;
      const crashed = (await record(ns))!;
      expect(crashed.operation.status).toBe('Running');
      const ran = crashed.hooks.filter((h) => h.status === 'Succeeded').map((h) => h.phase);
      expect(ran).toEqual(expect.arrayContaining(['PreSync', 'Sync']));

      const again = run(['sync', '-f', file, '--name', ns]);
      await expectExit(again, 0);
      expect(started(again).some((l) => l.includes('/pre-') || l.includes('/mid '))).toBe(false);
      expect(again.stdout).toMatch(new RegExp(`hook Job ${ns}/pre-\\S+ already succeeded in the interrupted operation: not run again`));
      expect(again.stdout).toContain(`hook Job ${ns}/mid already succeeded in the interrupted operation: not run again`);
      // HookSucceeded hooks of the interrupted run are deleted once the continued sync succeeded.
      expect([...(await jobUids(ns)).keys()]).toEqual([]);
      await expectTornDown(ns, file);
    });
  });

  test('PostSync hook running: awaited, not re-created; the inventory lists what the killed run applied', async () => {
    await inApp('crash-post', async (ns) => {
      const file = writeManifests(dir, `${ns}.yaml`, app(ns, { post: '4s' }));
      const first = run(['sync', '-f', file, '--name', ns]);
      await first.waitForOutput(`PostSync wave 0: hook Job ${ns}/post started`);
      await eventually('the record to hold the PostSync hook uid', async () => (await record(ns))?.hooks.find((h) => h.phase === 'PostSync' && h.uid));
      const uid = (await jobUids(ns)).get('post');
      first.kill();
      await first.exited;
      expect(await c.get(inventoryRef(ns))).toBeUndefined(); // the killed run never wrote its inventory
      expect((await record(ns))!.written.map((w) => w.name)).toEqual(expect.arrayContaining(['settings', 'later']));

      const again = run(['sync', '-f', file, '--name', ns]);
      await expectExit(again, 0);
      expect(started(again)).toEqual([]);
      expect(again.stdout).toContain(`hook Job ${ns}/post still running from the interrupted operation: awaiting it`);
      expect((await record(ns))!.hooks.find((h) => h.name === 'post')).toMatchObject({ uid, status: 'Succeeded' });
      await expectTornDown(ns, file);
    });
  });

  test('a new revision after a crash: the dead run\'s hook is terminated (finalizer released) and what it applied is pruned', async () => {
    await inApp('crash-rev', async (ns) => {
      const file = writeManifests(dir, `${ns}.yaml`, app(ns, { mid: '300s' }));
      const first = run(['sync', '-f', file, '--name', ns]);
      await first.waitForOutput(`Sync wave 1: hook Job ${ns}/mid started`);
      await eventually('the record to hold mid', async () => (await record(ns))?.hooks.find((h) => h.name === 'mid' && h.uid));
      first.kill();
      await first.exited;

      const next = app(ns).filter((o) => o.metadata.name !== 'settings');
      const file2 = writeManifests(dir, `${ns}-v2.yaml`, next);
      const again = run(['sync', '-f', file2, '--name', ns]);
      await expectExit(again, 0);
      expect(again.stdout).toMatch(new RegExp(`Job ${ns}/mid was left running by operation \\w+ .* which is gone: terminated`));
      expect(again.events.some((e) => e.includes(`pruned ConfigMap ${ns}/settings`))).toBe(true);
      expect(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' })).toBeUndefined();
      await expectTornDown(ns, file2);
    });
  });
});

describe('kill -9 of `sync-hooks sync`, then `delete`', () => {
  test('the app\'s own namespace is deleted although the killed run left a running hook with the hook finalizer in it', async () => {
    await inApp('crash-ns', async (ns) => {
      const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
      const file = writeManifests(dir, `${ns}.yaml`, [namespace, ...app(ns, { mid: '300s' })]);
      const first = run(['sync', '-f', file, '--name', ns]);
      await first.waitForOutput(`Sync wave 1: hook Job ${ns}/mid started`);
      await eventually('the record to hold mid', async () => (await record(ns))?.hooks.find((h) => h.name === 'mid' && h.uid));
      first.kill();
      await first.exited;
      expect((await c.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns, name: 'mid' }))?.metadata.finalizers).toContain(HOOK_FINALIZER);

      const del = run(['delete', '-f', file, '--name', ns, '--timeout', '90s']);
      const code = await finish(del);
      if (code !== 0) throw new Error(`delete exited ${code}:\n${del.stdout}\n${del.stderr}`);
      expect(del.stdout).toMatch(new RegExp(`Job ${ns}/mid was left running by operation \\w+ .* which is gone: terminated`));
      expect(await owned(ns)).toEqual([]);
      expect(await c.get(recordRef(ns))).toBeUndefined();
      await eventually(`namespace ${ns} to be gone`, async () => (await c.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })) === undefined, 60_000);
    });
  });
});

describe('kill -9 of `sync-hooks delete`', () => {
  test('after PreDelete completed: the retry does not run PreDelete again and removes everything', async () => {
    await inApp('crash-del', async (ns) => {
      const file = writeManifests(dir, `${ns}.yaml`, app(ns));
      const sync = run(['sync', '-f', file, '--name', ns]);
      expect(await finish(sync)).toBe(0);

      const del = run(['delete', '-f', file, '--name', ns]);
      await del.waitForOutput(`PreDelete wave 0: hook Job ${ns}/backup succeeded`);
      del.kill();
      await del.exited;
      const crashed = (await record(ns))!;
      expect(crashed.operation).toMatchObject({ kind: 'teardown', status: 'Running' });
      expect(crashed.hooks.find((h) => h.name === 'backup')?.status).toBe('Succeeded');

      const again = run(['delete', '-f', file, '--name', ns]);
      const code = await finish(again);
      expect(started(again)).toEqual([]);
      expect(again.stdout).toContain(`hook Job ${ns}/backup already succeeded in the interrupted operation: not run again`);
      expect(code).toBe(0);
      expect(await owned(ns)).toEqual([]);
      expect(await c.get(recordRef(ns))).toBeUndefined();
    });
  });
});

describe('one operation per app', () => {
  test('two syncs of one app at once: one succeeds, the other is refused at once naming the holder', async () => {
    await inApp('lock-race', async (ns) => {
      const file = writeManifests(dir, `${ns}.yaml`, app(ns, { pre: '8s' }));
      const a = run(['sync', '-f', file, '--name', ns]);
      const b = run(['sync', '-f', file, '--name', ns]);
      const codes = await Promise.all([finish(a), finish(b)]);
      expect([...codes].sort()).toEqual([0, 1]);
      const loser = codes[0] === 1 ? a : b;
      expect(loser.stderr).toMatch(new RegExp(`application "${ns}" is locked by [^ ]+:\\d+:\\w+, which started a sync at \\d{4}-\\S+ \\(Lease default/sync-hooks-lock-${ns}, renewed \\d+s ago\\); nothing was done`));
      expect(started(loser)).toEqual([]);
      await expectTornDown(ns, file);
    });
  });

  test('the lock taken over while a hook runs: the run stops at once naming the new holder, runs no further wave and writes nothing more', async () => {
    await inApp('lock-lost', async (ns) => {
      const file = writeManifests(dir, `${ns}.yaml`, app(ns, { mid: '300s' }));
      const victim = run(['sync', '-f', file, '--name', ns, '--lock-ttl', '3s']);
      try {
        await victim.waitForOutput(`Sync wave 1: hook Job ${ns}/mid started`);
        await eventually('the record to hold mid', async () => (await record(ns))?.hooks.find((h) => h.name === 'mid' && h.uid));
        const recordBefore = (await c.get(recordRef(ns)))!.metadata.resourceVersion;
        // Someone else takes the Lease (as a takeover after expiry would): a write the victim's next renewal runs into.
        const lease = (await c.get(lockRef(ns)))!;
        const now = new Date().toISOString().replace('Z', '000Z');
        await c.apply({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: lease.metadata.name, namespace: lease.metadata.namespace, annotations: { ...lease.metadata.annotations, 'sync-hooks.dev/operation-kind': 'teardown' } },
          spec: { ...lease.spec, holderIdentity: 'thief:4242:abcdef', acquireTime: now, renewTime: now },
        });
        await expectExit(victim, 1);
        expect(victim.stderr).toContain(`sync-hooks: application "${ns}": the lock was taken over by thief:4242:abcdef, which started a teardown at ${now}`);
        expect(victim.stderr).toContain('the sync stopped at Sync wave 1 and wrote nothing more');
        // No further wave, no SyncFail, no cleanup: the record is as at the theft, the running hook keeps its finalizer.
        expect(started(victim).map((l) => l.replace(/\/pre-\S+/, '/pre-…'))).toEqual([`PreSync wave 0: hook Job ${ns}/pre-… started`, `Sync wave 1: hook Job ${ns}/mid started`]);
        expect((await c.get(recordRef(ns)))!.metadata.resourceVersion).toBe(recordBefore);
        expect(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'later' })).toBeUndefined();
        expect((await c.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns, name: 'mid' }))?.metadata.finalizers).toContain(HOOK_FINALIZER);
        expect((await c.get(lockRef(ns)))!.spec.holderIdentity).toBe('thief:4242:abcdef');
      } finally {
        victim.kill();
      }
      // The thief goes away; the next run terminates the hook the stopped run left and removes everything.
      await c.delete(lockRef(ns));
      await expectTornDown(ns, file);
    });
  });

  test('a hung holder (SIGSTOP) keeps the lock until it expires (--lock-ttl), then the next run takes it over and continues', async () => {
    await inApp('lock-stale', async (ns) => {
      const file = writeManifests(dir, `${ns}.yaml`, app(ns, { pre: '2s' }));
      const hung = run(['sync', '-f', file, '--name', ns, '--lock-ttl', '15s']);
      try {
        await hung.waitForOutput(`PreSync wave 0: hook Job ${ns}/pre-`);
        hung.child.kill('SIGSTOP');
        const refused = run(['sync', '-f', file, '--name', ns]);
        await expectExit(refused, 1);
        expect(refused.stderr).toContain(`application "${ns}" is locked by`);
        await eventually(
          'the hung holder\'s lock to expire',
          async () => {
            const lease = await c.get(lockRef(ns));
            return !!lease && Date.parse(lease.spec.renewTime) + 15_000 < Date.now();
          },
          60_000,
        );
        const next = run(['sync', '-f', file, '--name', ns]);
        expect(await finish(next)).toBe(0);
        expect(next.stderr).toMatch(/took over the lock of application .* not renewed for \d+s\)/);
      } finally {
        hung.kill();
      }
      await expectTornDown(ns, file);
    });
  });
});
