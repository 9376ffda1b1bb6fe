/**
 * `sync` and `delete` against FakeKubeClient (through the commands' seams): output, exit codes,
 * the inventory ConfigMap, Ctrl-C. The real-cluster versions are in test/integration/cli.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deleteCommand } from '../../../src/cli/delete-cmd';
import { syncCommand } from '../../../src/cli/sync-cmd';
import { failJob, never } from '../../support';
import { HOOK_FINALIZER, KubeObject } from '../../../src/model';
import { inventoryRef, readInventory } from '../../../src/runner/inventory-store';
import { lockRef } from '../../../src/engine';
import { args, Captured, fakeSetup, FakeSetup, fixture, until } from './_helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-cli-unit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(name: string, objs: KubeObject[]): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, JSON.stringify(objs, null, 2));
  return p;
}

const cm = (name: string, ns = 'shop'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { k: 'v' } });
const ref = (kind: string, name: string, ns = 'shop') => ({ apiVersion: kind === 'Deployment' ? 'apps/v1' : kind === 'Job' ? 'batch/v1' : 'v1', kind, namespace: ns, name });

async function sync(f: FakeSetup, argv: string[]) {
  const io = new Captured();
  const code = await syncCommand(args(['sync', ...argv]), io, f.deps);
  return { code, io };
}

async function del(f: FakeSetup, argv: string[]) {
  const io = new Captured();
  const code = await deleteCommand(args(['delete', ...argv]), io, f.deps);
  return { code, io };
}

/** Event lines without their `+1.2s ` time prefix. */
const eventLines = (io: Captured) => io.stdout.filter((l) => /^\+\d/.test(l)).map((l) => l.replace(/^\+\d+\.\ds /, ''));

describe('sync', () => {
  test('runs the fixture: live events in order, a hook summary table, the inventory written', async () => {
    const f = fakeSetup();
    const { code, io } = await sync(f, ['-f', fixture('shop')]);
    expect(code).toBe(0);
    expect(io.stderr).toEqual([
      '[sync-hooks] using the fake cluster',
      '[sync-hooks] inventory ConfigMap default/sync-hooks-inventory-shop: none yet (application shop, from -f ' + fixture('shop') + ')',
    ]);
    const events = eventLines(io);
    const at = (line: string) => {
      const i = events.indexOf(line);
      if (i < 0) throw new Error(`no "${line}" in:\n${events.join('\n')}`);
      return i;
    };
    expect(events[0]).toBe('sync started (4 steps)');
    expect(at('PreSync wave 0: hook Job shop/migrate started')).toBeLessThan(at('Sync wave 0: applied ConfigMap shop/web-config'));
    expect(at('Sync wave 0: applied ConfigMap shop/web-config')).toBeLessThan(at('Sync wave 1: applied Deployment shop/web'));
    expect(at('Sync wave 1: applied Deployment shop/web')).toBeLessThan(at('PostSync wave 0: hook Job shop/smoke started'));
    expect(events[events.length - 1]).toMatch(/^sync succeeded in /);

    const tail = io.outText.slice(io.outText.indexOf('\n\nHOOK'));
    expect(tail.replace(/\d+ms|\d+\.\ds/g, 'T')).toBe(
      [
        '',
        '',
        'HOOK              PHASE     WAVE  STATUS     DURATION',
        'Job shop/migrate  PreSync      0  Succeeded  T',
        'Job shop/smoke    PostSync     0  Succeeded  T',
        '',
        'sync succeeded in T: 3 objects applied, 0 pruned, 2 hooks; inventory ConfigMap default/sync-hooks-inventory-shop (3 objects)',
      ].join('\n'),
    );
    const inv = await readInventory(f.fake, 'shop');
    expect(inv?.lastSyncStatus).toBe('Succeeded');
    expect(inv?.entries).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', name: 'shop' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-config' },
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', annotations: { 'argocd.argoproj.io/sync-wave': '1' } },
    ]);
    expect(f.fake.peek(inventoryRef('shop'))?.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'sync-hooks', 'app.kubernetes.io/instance': 'shop' });
  });

  test('the next sync prunes what is gone from the manifests; --no-prune keeps it (and in the inventory)', async () => {
    const f = fakeSetup();
    f.fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const a = file('a.json', [cm('keep')]);
    const b = file('b.json', [cm('drop'), cm('drop2')]);
    expect((await sync(f, ['-f', a, '-f', b, '--name', 'app'])).code).toBe(0);
    expect((await readInventory(f.fake, 'app'))?.entries.map((e) => e.name)).toEqual(['drop', 'drop2', 'keep']);

    const kept = await sync(f, ['-f', a, '-f', file('b2.json', [cm('drop2')]), '--name', 'app', '--no-prune']);
    expect(kept.code).toBe(0);
    expect(f.fake.peek(ref('ConfigMap', 'drop'))).toBeDefined();
    expect(eventLines(kept.io).some((l) => l.startsWith('warning: ') && l.includes('drop'))).toBe(true);
    expect((await readInventory(f.fake, 'app'))?.entries.map((e) => e.name).sort()).toEqual(['drop', 'drop2', 'keep']);

    const pruned = await sync(f, ['-f', a, '--name', 'app']);
    expect(pruned.code).toBe(0);
    expect(eventLines(pruned.io).filter((l) => l.includes('pruned ConfigMap')).map((l) => l.replace(/ \(.*\)$/, ''))).toEqual([
      'Sync wave 0: pruned ConfigMap shop/drop',
      'Sync wave 0: pruned ConfigMap shop/drop2',
    ]);
    expect(pruned.io.outText).toContain('1 object applied, 2 pruned');
    expect(f.fake.peek(ref('ConfigMap', 'drop'))).toBeUndefined();
    expect((await readInventory(f.fake, 'app'))?.entries.map((e) => e.name)).toEqual(['keep']);
  });

  test('a failing PreSync hook: exit 1, the reason (hook, exit, logs, SyncFail) on stderr, the inventory still written', async () => {
    const f = fakeSetup();
    f.fake.react({ kind: 'Job', name: 'migrate' }, failJob({ afterMs: 5, exitCode: 3, message: 'relation "users" already exists', logs: 'connecting\nmigrating\nERROR: relation "users" already exists' }));
    const { code, io } = await sync(f, ['-f', fixture('shop')]);
    expect(code).toBe(1);
    const reason = io.stderr[io.stderr.length - 1];
    expect(reason).toMatch(/^sync-hooks: Sync failed: HookFailed in PreSync wave 0: Job shop\/migrate: /);
    expect(reason).toContain('exit code 3');
    // The hook's own output (termination message, logs) may hold secrets: withheld here and in the inventory.
    expect(reason).toContain('termination message and logs withheld');
    expect(reason).not.toContain('relation "users" already exists');
    expect(reason).toContain('SyncFail ran: 1 SyncFail hook succeeded.');
    expect(io.outText).toMatch(/Job shop\/migrate\s+PreSync\s+0\s+Failed/);
    expect(io.outText).toMatch(/Job shop\/alert-\S+\s+SyncFail\s+0\s+Succeeded/);
    expect(io.outText).toMatch(/sync FAILED in .*: 1 object applied, 0 pruned, 2 hooks; inventory ConfigMap default\/sync-hooks-inventory-shop \(1 object\)/);
    const inv = await readInventory(f.fake, 'shop');
    expect(inv?.lastSyncStatus).toBe('Failed');
    expect(inv?.lastSyncMessage).toContain('HookFailed in PreSync');
    expect(inv?.lastSyncMessage).not.toContain('relation "users"');
    expect(inv?.entries).toEqual([{ apiVersion: 'v1', kind: 'Namespace', name: 'shop' }]);
  });

  test('Ctrl-C cancels through the engine (SyncFail runs); exit 130; the inventory says Cancelled', async () => {
    const f = fakeSetup();
    f.fake.react({ kind: 'Job', name: 'migrate' }, never);
    const io = new Captured();
    const running = syncCommand(args(['sync', '-f', fixture('shop')]), io, f.deps);
    await until('the PreSync hook to start', () => io.stdout.some((l) => l.includes('hook Job shop/migrate started')));
    f.signals.emit('SIGINT', 'SIGINT');
    expect(await running).toBe(130);
    expect(io.errText).toContain('[sync-hooks] SIGINT: cancelling (running hooks are terminated, then SyncFail runs); press Ctrl-C again to exit now');
    expect(io.stderr[io.stderr.length - 1]).toMatch(/^sync-hooks: Sync failed: Cancelled in PreSync wave 0/);
    expect(io.outText).toMatch(/Job shop\/migrate\s+PreSync\s+0\s+Terminated/);
    expect(io.outText).toContain('sync CANCELLED in');
    expect((await readInventory(f.fake, 'shop'))?.lastSyncStatus).toBe('Cancelled');
    expect(f.exits).toEqual([]);
    expect(f.signals.listenerCount('SIGINT')).toBe(0);
  });

  test('a second Ctrl-C records what was applied so far and exits 130', async () => {
    const f = fakeSetup();
    f.fake.react({ kind: 'Job', name: 'migrate' }, never).react({ kind: 'Job', name: /^alert-/ }, never);
    const io = new Captured();
    const running = syncCommand(args(['sync', '-f', fixture('shop')]), io, { ...f.deps, engine: { ...f.deps.engine, syncFailTimeoutMs: 300 } });
    await until('the PreSync hook to start', () => io.stdout.some((l) => l.includes('hook Job shop/migrate started')));
    f.signals.emit('SIGINT', 'SIGINT');
    await until('the SyncFail hook to start', () => io.stdout.some((l) => /SyncFail wave 0: hook Job shop\/alert-\S+ started/.test(l)));
    f.signals.emit('SIGINT', 'SIGINT');
    await until('the forced exit', () => f.exits.length > 0);
    expect(f.exits).toEqual([130]);
    expect(io.errText).toContain('[sync-hooks] exiting now; recording what was applied so far in the inventory');
    const inv = await readInventory(f.fake, 'shop');
    expect(inv?.lastSyncStatus).toBe('Interrupted');
    expect(inv?.entries).toEqual([{ apiVersion: 'v1', kind: 'Namespace', name: 'shop' }]);
    // The running SyncFail hook no longer carries the hook finalizer (it would block its namespace's deletion).
    const alert = f.fake.objects({ kind: 'Job', name: /^alert-/ });
    expect(alert).toHaveLength(1);
    expect(alert[0].metadata.finalizers ?? []).not.toContain(HOOK_FINALIZER);
    await running; // the fake exit does not end the process: let the operation finish (SyncFail budget 300ms)
  });

  test('--json: one result document on stdout, progress on stderr', async () => {
    const f = fakeSetup();
    const { code, io } = await sync(f, ['-f', fixture('shop'), '--json']);
    expect(code).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const r = JSON.parse(io.stdout[0]);
    expect(r).toMatchObject({
      operation: 'sync',
      status: 'Succeeded',
      app: 'shop',
      inventory: { configMap: 'default/sync-hooks-inventory-shop', written: true },
      applied: ['/Namespace//shop', '/ConfigMap/shop/web-config', 'apps/Deployment/shop/web'],
      pruned: [],
    });
    expect(r.hooks.map((h: { object: string; status: string }) => `${h.object} ${h.status}`)).toEqual(['Job shop/migrate Succeeded', 'Job shop/smoke Succeeded']);
    expect(io.stderr.some((l) => l.includes('sync succeeded in'))).toBe(true);
  });

  test('--json on failure: status and error', async () => {
    const f = fakeSetup();
    f.fake.react({ kind: 'Job', name: 'migrate' }, failJob({ afterMs: 5 }));
    const { code, io } = await sync(f, ['-f', fixture('shop'), '--json']);
    expect(code).toBe(1);
    const r = JSON.parse(io.stdout[0]);
    expect(r.status).toBe('Failed');
    expect(r.error).toMatchObject({ type: 'SyncFailedError', reason: 'HookFailed', phase: 'PreSync', wave: 0, object: 'Job shop/migrate', syncFail: { ran: true, status: 'Succeeded' } });
  });
});

describe('bad input writes nothing (exit 2)', () => {
  test('invalid manifests: every problem listed, the cluster not even contacted', async () => {
    const f = fakeSetup();
    let contacted = false;
    const io = new Captured();
    const code = await syncCommand(args(['sync', '-f', fixture('bad')]), io, {
      ...f.deps,
      resolveCluster: async () => {
        contacted = true;
        throw new Error('no');
      },
    });
    expect(code).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^sync-hooks: Invalid manifests \(4 problems\):\n/);
    expect(contacted).toBe(false);
  });

  test('objects the cluster rejects (kind not served, namespace missing): one error, nothing written, no inventory', async () => {
    const f = fakeSetup();
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } };
    const { code, io } = await sync(f, ['-f', file('rejected.json', [widget, cm('c', 'nowhere')]), '--name', 'rejected']);
    expect(code).toBe(2);
    expect(io.errText).toMatch(/2 problems found before anything was written to the cluster/);
    expect(io.errText).toContain('Widget shop/w');
    expect(io.errText).toContain('ConfigMap nowhere/c');
    // Only the application's lock was taken and given back; no object, no record, no inventory.
    expect(f.fake.entries().filter((e) => !e.dryRun && !e.id.startsWith('coordination.k8s.io/Lease/'))).toEqual([]);
    expect(f.fake.peek(inventoryRef('rejected'))).toBeUndefined();
    expect(f.fake.peek(lockRef('rejected'))).toBeUndefined();
  });

  test('the inventory namespace must exist', async () => {
    const f = fakeSetup();
    const { code, io } = await sync(f, ['-f', fixture('shop'), '--inventory-namespace', 'ops']);
    expect(code).toBe(2);
    expect(io.errText).toContain('the inventory namespace "ops" does not exist');
    expect(f.fake.entries()).toEqual([]);
  });

  test('a corrupt inventory stops before the sync (exit 1)', async () => {
    const f = fakeSetup();
    f.fake.seed({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'sync-hooks-inventory-shop', namespace: 'default', labels: { 'app.kubernetes.io/managed-by': 'sync-hooks' } },
      data: { 'inventory.json': 'nope' },
    });
    const { code, io } = await sync(f, ['-f', fixture('shop')]);
    expect(code).toBe(1);
    expect(io.errText).toContain('sync-hooks: ConfigMap default/sync-hooks-inventory-shop: inventory.json is not valid JSON');
    expect(f.fake.entries()).toEqual([]);
  });
});

describe('delete', () => {
  test('deletes the manifests plus what the inventory lists, then removes the inventory', async () => {
    const f = fakeSetup();
    const a = file('d-a.json', [cm('one'), cm('two')]);
    f.fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    expect((await sync(f, ['-f', a, '--name', 'd'])).code).toBe(0);
    // `two` is no longer in the manifests but the inventory knows it.
    const { code, io } = await del(f, ['-f', file('d-b.json', [cm('one')]), '--name', 'd']);
    expect(code).toBe(0);
    expect(eventLines(io).filter((l) => l.includes('deleted')).map((l) => l.replace(/ \(.*\)$/, ''))).toEqual([
      'Delete wave 0: deleted ConfigMap shop/one',
      'Delete wave 0: deleted ConfigMap shop/two',
    ]);
    expect(io.outText).toMatch(/delete succeeded in .*: 2 objects deleted, 0 hooks; inventory ConfigMap default\/sync-hooks-inventory-d removed$/);
    expect(f.fake.peek(ref('ConfigMap', 'two'))).toBeUndefined();
    expect(f.fake.peek(inventoryRef('d'))).toBeUndefined();
  });

  test('--name alone tears down what the inventory lists', async () => {
    const f = fakeSetup();
    expect((await sync(f, ['-f', fixture('shop')])).code).toBe(0);
    const { code, io } = await del(f, ['--name', 'shop']);
    expect(code).toBe(0);
    expect(io.outText).toContain('3 objects deleted');
    expect(f.fake.peek(ref('Deployment', 'web'))).toBeUndefined();
    expect(f.fake.peek(inventoryRef('shop'))).toBeUndefined();
  });

  test('without -f or an inventory: nothing is known, exit 1', async () => {
    const f = fakeSetup();
    const { code, io } = await del(f, ['--name', 'ghost']);
    expect(code).toBe(1);
    expect(io.errText).toContain(
      'nothing is known about application "ghost": no -f manifests, no inventory ConfigMap default/sync-hooks-inventory-ghost and no operation record ConfigMap default/sync-hooks-op-ghost',
    );
  });

  test('a failing PreDelete hook: exit 1, nothing deleted, the inventory kept', async () => {
    const f = fakeSetup();
    f.fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const hook: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'backup', namespace: 'shop', annotations: { 'argocd.argoproj.io/hook': 'PreDelete' } },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'b', image: 'busybox' }] } } },
    };
    const p = file('pd.json', [cm('data'), hook]);
    expect((await sync(f, ['-f', p, '--name', 'pd'])).code).toBe(0);
    f.fake.react({ kind: 'Job', name: 'backup' }, failJob({ afterMs: 5, message: 'disk full' }));
    const { code, io } = await del(f, ['-f', p, '--name', 'pd']);
    expect(code).toBe(1);
    expect(io.stderr[io.stderr.length - 1]).toMatch(/^sync-hooks: Teardown failed: HookFailed in PreDelete wave 0: Job shop\/backup: .*\nNothing was deleted\.$/s);
    expect(io.outText).toContain('inventory ConfigMap default/sync-hooks-inventory-pd kept (run delete again to retry)');
    expect(f.fake.peek(ref('ConfigMap', 'data'))).toBeDefined();
    expect(f.fake.peek(inventoryRef('pd'))).toBeDefined();
  });
});
