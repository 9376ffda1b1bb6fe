/**
 * kill -9 of a real `pulumi up` (the pulumi CLI and the dynamic provider process it started) while
 * a PreSync hook of the first `up` runs: the state holds only a pending create. `pulumi cancel`
 * (the file backend's lock), then `pulumi up` again continues the interrupted sync through the
 * operation record (the hook is awaited, not re-created), and `pulumi destroy` leaves nothing
 * labelled with the app.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { APP_LABEL, createKubeClient, KubeClient, lockRef, parseRecord, recordRef } from '../../../src/engine';
import { HOOK_FINALIZER, KubeObject } from '../../../src/model';
import { SyncedChart } from '../../../src/pulumi/synced-chart';
import { eventually, kubeconfigPath, uniqueName } from '../helpers/kube';
import { Recorder } from '../helpers/recorder';
import { testStack, TestStack } from '../helpers/pulumi';
import { job } from './fixtures';

let c: KubeClient;
beforeAll(() => {
  c = createKubeClient(kubeconfigPath());
});
afterAll(() => c.close?.());

/** Pids of the descendants of `root` (children first found through `ps`). */
function descendants(root: number): Array<{ pid: number; args: string }> {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => !!m)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const out: Array<{ pid: number; args: string }> = [];
  const walk = (p: number) => {
    for (const r of rows.filter((x) => x.ppid === p)) {
      out.push({ pid: r.pid, args: r.args });
      walk(r.pid);
    }
  };
  walk(root);
  return out;
}

function manifests(ns: string): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    job('pre', ns, 'PreSync', { policy: 'HookSucceeded', duration: '6s' }),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { k: 'v' } },
    job('post', ns, 'PostSync', { policy: 'HookSucceeded', duration: '200ms' }),
  ];
}

/** kill -9 of the `pulumi <verb>` this process started and of everything under it (the dynamic provider). */
function killPulumi(verb: 'up' | 'destroy'): void {
  const procs = descendants(process.pid).filter((p) => /pulumi/.test(p.args));
  const cli = procs.find((p) => new RegExp(`(^|/)pulumi ${verb}\\b`).test(p.args));
  expect(cli).toBeDefined();
  for (const v of [cli!, ...descendants(cli!.pid)]) {
    try {
      process.kill(v.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function recordOf(ns: string) {
  const cm = await c.get(recordRef(ns));
  return cm ? parseRecord(cm, ns) : undefined;
}

/** Nothing of the app anywhere: no labelled Job/ConfigMap/Pod, no record, no lock, no object left with the hook finalizer. */
async function expectNothingLeft(ns: string): Promise<void> {
  for (const k of [
    { apiVersion: 'batch/v1', kind: 'Job' },
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { apiVersion: 'v1', kind: 'Pod' },
  ]) {
    expect((await c.list({ ...k, labelSelector: `${APP_LABEL}=${ns}` })).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([]);
  }
  const stuck = (await c.list({ apiVersion: 'batch/v1', kind: 'Job' })).filter((j) => (j.metadata.finalizers ?? []).includes(HOOK_FINALIZER) && j.metadata.namespace === ns);
  expect(stuck.map((j) => j.metadata.name)).toEqual([]);
  expect(await c.get(recordRef(ns))).toBeUndefined();
  expect(await c.get(lockRef(ns))).toBeUndefined();
}

describe('kill -9 of the first `pulumi up`', () => {
  const ns = uniqueName('pcrash');
  let t: TestStack;

  beforeAll(async () => {
    const kubeconfig = fs.readFileSync(kubeconfigPath(), 'utf8');
    t = await testStack(async () => {
      const chart = new SyncedChart('app', { chart: manifests(ns), kubeconfig, app: ns, timeouts: { sync: 300, hook: 120 } });
      return { hooks: chart.hooks };
    });
  });
  afterAll(async () => {
    await t.stack.destroy().catch(() => undefined);
    for (const r of [recordRef(ns), lockRef(ns)]) await c.delete(r).catch(() => undefined);
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }, { propagationPolicy: 'Background' }).catch(() => undefined);
    await t.cleanup();
  });

  test('pulumi cancel + pulumi up continue the interrupted sync (the PreSync hook is not re-run); destroy removes everything', async () => {
    const up = t.stack.up().then(
      () => 'finished',
      (e: Error) => e.message,
    );
    const preRef = { apiVersion: 'batch/v1', kind: 'Job', namespace: ns, name: 'pre' };
    const uid = await eventually('the PreSync hook to be in the record with its uid', async () => {
      const cm = await c.get(recordRef(ns));
      return cm && parseRecord(cm, ns).hooks.find((h) => h.name === 'pre' && h.uid)?.uid;
    });
    killPulumi('up');
    expect(await up).not.toBe('finished');
    const live = await c.get(preRef);
    expect(live?.metadata.uid).toBe(uid);

    await t.stack.cancel().catch(() => undefined); // the file backend's lock of the killed update, if any
    const again = await t.stack.up();
    expect(again.summary.result).toBe('succeeded');
    const hooks = again.outputs.hooks.value as Array<{ name: string; status: string; message?: string }>;
    expect(hooks.find((h) => h.name === 'pre')).toMatchObject({ status: 'Succeeded' });
    expect(hooks.map((h) => h.name)).toEqual(['pre', 'post']);
    const rec = parseRecord((await c.get(recordRef(ns)))!, ns);
    expect(rec.operation.status).toBe('Succeeded');
    expect(rec.hooks.find((h) => h.name === 'pre')).toMatchObject({ uid, status: 'Succeeded', deleted: true });

    const destroy = await t.stack.destroy();
    expect(destroy.summary.result).toBe('succeeded');
    for (const k of [
      { apiVersion: 'batch/v1', kind: 'Job' },
      { apiVersion: 'v1', kind: 'ConfigMap' },
    ]) {
      expect(await c.list({ ...k, labelSelector: `${APP_LABEL}=${ns}` })).toEqual([]);
    }
    expect(await c.get(recordRef(ns))).toBeUndefined();
    expect(await c.get(lockRef(ns))).toBeUndefined();
  });
});

describe('kill -9 of the first `pulumi up`, then `pulumi destroy` straight away', () => {
  const ns = uniqueName('pcrashd');
  let t: TestStack;

  beforeAll(async () => {
    const kubeconfig = fs.readFileSync(kubeconfigPath(), 'utf8');
    t = await testStack(async () => {
      const chart = new SyncedChart('app', { chart: manifests(ns), kubeconfig, app: ns, timeouts: { sync: 300, hook: 120 } });
      return { hooks: chart.hooks };
    });
  });
  afterAll(async () => {
    await t.stack.destroy().catch(() => undefined);
    for (const r of [recordRef(ns), lockRef(ns)]) await c.delete(r).catch(() => undefined);
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }, { propagationPolicy: 'Background' }).catch(() => undefined);
    await t.cleanup();
  });

  test('the chart is only a pending create, yet destroy removes what the killed up wrote (through the SyncedChart\'s companion)', async () => {
    const up = t.stack.up().then(
      () => 'finished',
      (e: Error) => e.message,
    );
    const preRef = { apiVersion: 'batch/v1', kind: 'Job', namespace: ns, name: 'pre' };
    await eventually('the PreSync hook to be in the record with its uid', async () => (await recordOf(ns))?.hooks.find((h) => h.name === 'pre' && h.uid));
    killPulumi('up');
    expect(await up).not.toBe('finished');
    expect((await c.get(preRef))?.metadata.finalizers).toContain(HOOK_FINALIZER);
    const state = await t.stack.exportStack();
    const types = (state.deployment.resources ?? []).map((r: { type: string }) => r.type);
    expect(types).toContain('pulumi-nodejs:dynamic/sync-hooks:SyncedChartApp');
    expect(types).not.toContain('pulumi-nodejs:dynamic/sync-hooks:SyncedChart');

    await t.stack.cancel().catch(() => undefined);
    const lines: string[] = [];
    const destroy = await t.stack.destroy({ onOutput: (l) => lines.push(l) });
    expect(destroy.summary.result).toBe('succeeded');
    expect(lines.join('')).toContain(`application "${ns}": its last sync was interrupted and the chart did not tear it down; tearing down what its operation record lists`);
    await expectNothingLeft(ns);
    await eventually(`namespace ${ns} to be gone`, async () => (await c.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })) === undefined, 60_000);
  });
});

describe('kill -9 of `pulumi destroy`', () => {
  const ns = uniqueName('pcrashx');
  let t: TestStack;
  const HOLD = 'sync-hooks.test/hold';
  const held = (): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: ns, finalizers: [HOLD] }, data: { k: 'v' } });
  const heldRef = { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'held' };

  beforeAll(async () => {
    const kubeconfig = fs.readFileSync(kubeconfigPath(), 'utf8');
    t = await testStack(async () => {
      const chart = new SyncedChart('app', {
        chart: [...manifests(ns).map((o) => (o.metadata.name === 'pre' ? job('pre', ns, 'PreSync', { policy: 'HookSucceeded', duration: '200ms' }) : o)), held(), job('backup', ns, 'PreDelete', { policy: 'HookSucceeded', duration: '6s' })],
        kubeconfig,
        app: ns,
        timeouts: { sync: 300, hook: 120 },
      });
      return { hooks: chart.hooks };
    });
  });
  afterAll(async () => {
    await c.patchFinalizers(heldRef, { remove: [HOLD] }).catch(() => undefined);
    await t.stack.destroy().catch(() => undefined);
    for (const r of [recordRef(ns), lockRef(ns)]) await c.delete(r).catch(() => undefined);
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }, { propagationPolicy: 'Background' }).catch(() => undefined);
    await t.cleanup();
  });

  test('killed during PreDelete, then during the deletion: `pulumi destroy` again each time finishes (PreDelete not re-run), nothing left', async () => {
    expect((await t.stack.up()).summary.result).toBe('succeeded');
    const watch = await Recorder.start(['Job']);
    try {
      await killTwiceThenDestroy(watch);
    } finally {
      watch.stop();
    }
  });

  async function killTwiceThenDestroy(watch: Recorder): Promise<void> {
    // 1. Killed while the PreDelete hook runs.
    const first = t.stack.destroy().then(
      () => 'finished',
      (e: Error) => e.message,
    );
    const backup = await eventually('the PreDelete hook to be in the record with its uid', async () => (await recordOf(ns))?.hooks.find((h) => h.name === 'backup' && h.uid));
    killPulumi('destroy');
    expect(await first).not.toBe('finished');
    expect(await recordOf(ns)).toMatchObject({ operation: { kind: 'teardown', status: 'Running', phase: 'PreDelete' } });

    // 2. `pulumi destroy` again: the running hook is awaited (same uid), not re-created; killed again while
    // a managed object waits on a finalizer.
    await t.stack.cancel().catch(() => undefined);
    const second = t.stack.destroy().then(
      () => 'finished',
      (e: Error) => e.message,
    );
    await eventually('the teardown to reach the deletion', async () => (await recordOf(ns))?.operation.phase === 'Delete' && !!(await c.get(heldRef))?.metadata.deletionTimestamp, 120_000);
    killPulumi('destroy');
    expect(await second).not.toBe('finished');
    const rec = (await recordOf(ns))!;
    expect(rec.hooks.find((h) => h.name === 'backup')).toMatchObject({ uid: backup.uid, status: 'Succeeded' });

    // 3. The finalizer's controller does its work; `pulumi destroy` once more finishes, without running PreDelete again.
    await c.patchFinalizers(heldRef, { remove: [HOLD] });
    await t.stack.cancel().catch(() => undefined);
    const lines: string[] = [];
    const third = await t.stack.destroy({ onOutput: (l) => lines.push(l) });
    expect(third.summary.result).toBe('succeeded');
    const out = lines.join('');
    expect(out).toContain(`hook Job ${ns}/backup already succeeded in the interrupted operation: not run again`);
    // Created once over the three destroys (the independent watch saw one ADDED).
    expect(watch.events.filter((e) => e.type === 'ADDED' && e.namespace === ns && e.name === 'backup')).toHaveLength(1);
    await expectNothingLeft(ns);
    const state = await t.stack.exportStack();
    expect(state.deployment.resources ?? []).toHaveLength(0);
  }
});

describe('a stack from before the companion', () => {
  const ns = uniqueName('pcomp');
  let t: TestStack;

  beforeAll(async () => {
    const kubeconfig = fs.readFileSync(kubeconfigPath(), 'utf8');
    t = await testStack(async () => {
      const chart = new SyncedChart('app', { chart: manifests(ns).map((o) => (o.metadata.name === 'pre' ? job('pre', ns, 'PreSync', { policy: 'HookSucceeded', duration: '200ms' }) : o)), kubeconfig, app: ns });
      return { hooks: chart.hooks };
    });
  });
  afterAll(async () => {
    await t.stack.destroy().catch(() => undefined);
    for (const r of [recordRef(ns), lockRef(ns)]) await c.delete(r).catch(() => undefined);
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }, { propagationPolicy: 'Background' }).catch(() => undefined);
    await t.cleanup();
  });

  test('gets its companion on the next `pulumi up` without a sync (no hook runs, the record is not touched)', async () => {
    expect((await t.stack.up()).summary.result).toBe('succeeded');
    // The state as an older version wrote it: the chart alone, depending on nothing.
    const state = await t.stack.exportStack();
    const resources = state.deployment.resources as Array<{ urn: string; type: string; dependencies?: string[]; propertyDependencies?: Record<string, string[]> }>;
    const companion = resources.find((r) => r.type === 'pulumi-nodejs:dynamic/sync-hooks:SyncedChartApp')!;
    expect(companion).toBeDefined();
    state.deployment.resources = resources
      .filter((r) => r !== companion)
      .map((r) => ({ ...r, dependencies: (r.dependencies ?? []).filter((d) => d !== companion.urn) }));
    await t.stack.importStack(state);
    const before = (await c.get(recordRef(ns)))!.metadata.resourceVersion;

    const again = await t.stack.up();
    expect(again.summary.result).toBe('succeeded');
    expect(again.summary.resourceChanges).toMatchObject({ create: 1 });
    expect(again.summary.resourceChanges?.update ?? 0).toBe(0);
    expect((await c.get(recordRef(ns)))!.metadata.resourceVersion).toBe(before);
    const types = ((await t.stack.exportStack()).deployment.resources ?? []).map((r: { type: string }) => r.type);
    expect(types).toContain('pulumi-nodejs:dynamic/sync-hooks:SyncedChartApp');

    expect((await t.stack.destroy()).summary.result).toBe('succeeded');
    await expectNothingLeft(ns);
  });
});
