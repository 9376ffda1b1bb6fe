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
import { KubeObject } from '../../../src/model';
import { SyncedChart } from '../../../src/pulumi/synced-chart';
import { eventually, kubeconfigPath, uniqueName } from '../helpers/kube';
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
    // The pulumi CLI this process started, and everything under it (the dynamic provider).
    const procs = descendants(process.pid).filter((p) => /pulumi/.test(p.args));
    const cli = procs.find((p) => /(^|\/)pulumi up\b/.test(p.args));
    expect(cli).toBeDefined();
    const victims = [cli!, ...descendants(cli!.pid)];
    for (const v of victims) {
      try {
        process.kill(v.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
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
