/**
 * Failures: a failing Helm pre-install hook stops helm.v4.Chart's Deployment from being created;
 * a failing wrapped @pulumi/kubernetes resource starts the SyncFail hooks (resource onError hook)
 * and PostSync never runs.
 */
import * as k8s from '@pulumi/kubernetes';
import { HookedChart, HookPhases } from '../../../src/interop';
import { collect } from '../helpers/pulumi';
import { writeChart } from './_chart';
import { argoHook, client, ClusterRecorder, interopStack, job, kubeconfigText, kubernetesProviderBin, withNamespace, observe } from './_helpers';

// Each test drives several pulumi up/destroy runs: 5 min (the default) is too little on a loaded 2-core machine.
jest.setTimeout(15 * 60_000);

let providerBin: string;
beforeAll(async () => {
  providerBin = await kubernetesProviderBin();
}, 45 * 60_000);

function envOf(obj: any): Record<string, string> {
  const c = obj?.spec?.template?.spec?.containers?.[0];
  return Object.fromEntries((c?.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
}

test('a failing pre-install hook stops the chart: the Deployment is never created, post-install never runs', async () => {
  const c = client();
  const { ns, cleanup } = await withNamespace(c, 'interop-fail');
  const kubeconfig = kubeconfigText();
  const chartDir = writeChart('broken', [
    { name: 'ok-first', hook: 'pre-install', weight: -1 },
    { name: 'migrate', hook: 'pre-install', weight: 0, fail: true },
    { name: 'notify', hook: 'post-install' },
  ]);
  const t = await interopStack(async () => {
    const provider = new k8s.Provider('k8s', { kubeconfig });
    new HookedChart('broken', { chart: chartDir, releaseName: 'rel', namespace: ns, provider, kubeconfig });
  }, providerBin);
  const rec = new ClusterRecorder(c, ns).start();
  const out: string[] = [];
  await observe({ rec, out, t, c, cleanup }, async () => {
    await expect(t.stack.up({ onOutput: collect(out) })).rejects.toThrow(/PreSync|rel-migrate/);
    await rec.waitFor('Job', 'rel-migrate', 'failed');
    rec.before(['Job', 'rel-ok-first', 'complete'], ['Job', 'rel-migrate', 'created']);
    expect(rec.index('Deployment', 'rel-web', 'created')).toBe(-1);
    expect(await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'rel-web' })).toBeUndefined();
    expect(rec.index('Job', 'rel-notify', 'created')).toBe(-1);
    // Pulumi never registered the chart's children or the after node.
    const state = await t.stack.exportStack();
    const types = (state.deployment.resources ?? []).map((r: { type: string }) => r.type);
    expect(types).not.toContain('kubernetes:apps/v1:Deployment');
    expect(types.filter((x: string) => x.endsWith(':SyncedChart'))).toHaveLength(1); // the before node (failed)
    expect(out.join('')).toMatch(/rel-migrate/);

    const destroy = await t.stack.destroy({ onOutput: collect(out) });
    expect(destroy.summary.result).toBe('succeeded');
  });
});

test('a failing wrapped resource starts the SyncFail hooks from the program (onError); PostSync never runs', async () => {
  const c = client();
  const { ns, cleanup } = await withNamespace(c, 'interop-syncfail');
  const kubeconfig = kubeconfigText();
  const hooks = [
    job(ns, 'prepare', { annotations: argoHook('PreSync') }),
    job(ns, 'smoke', { annotations: argoHook('PostSync') }),
    job(ns, 'page-oncall', { annotations: argoHook('SyncFail') }),
  ];
  const failing = job(ns, 'work', { fail: true });
  const t = await interopStack(async () => {
    const provider = new k8s.Provider('k8s', { kubeconfig });
    new HookPhases('batch', { hooks, kubeconfig, namespace: ns }, (wrap) => [
      new k8s.batch.v1.Job('work', { metadata: failing.metadata, spec: failing.spec }, wrap({ provider })),
    ]);
  }, providerBin);
  const rec = new ClusterRecorder(c, ns).start();
  const out: string[] = [];
  await observe({ rec, out, t, c, cleanup }, async () => {
    await expect(t.stack.up({ onOutput: collect(out) })).rejects.toThrow();
    await rec.waitFor('Job', 'page-oncall', 'complete');
    rec.before(['Job', 'prepare', 'complete'], ['Job', 'work', 'created']);
    rec.before(['Job', 'work', 'failed'], ['Job', 'page-oncall', 'created']);
    expect(rec.index('Job', 'smoke', 'created')).toBe(-1);
    expect(rec.events.filter((e) => e.name === 'page-oncall' && e.what === 'created')).toHaveLength(1);
    const syncFail = await c.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns, name: 'page-oncall' });
    expect(envOf(syncFail)).toMatchObject({ SYNC_HOOKS_FAILED_PHASE: 'Sync', SYNC_HOOKS_FAILED_OBJECT: `Job ${ns}/work` });
    expect(envOf(syncFail).SYNC_HOOKS_FAILURE_MESSAGE).toMatch(/work/);

    const destroy = await t.stack.destroy({ onOutput: collect(out) });
    expect(destroy.summary.result).toBe('succeeded');
  });
});

test('a failing PreDelete hook stops pulumi destroy before any wrapped resource is deleted; PostDelete does not run', async () => {
  const c = client();
  const { ns, cleanup } = await withNamespace(c, 'interop-predel');
  const kubeconfig = kubeconfigText();
  const hooks = [job(ns, 'export', { annotations: argoHook('PreDelete'), fail: true }), job(ns, 'goodbye', { annotations: argoHook('PostDelete') })];
  const t = await interopStack(async () => {
    const provider = new k8s.Provider('k8s', { kubeconfig });
    new HookPhases('keep', { hooks, kubeconfig, namespace: ns }, (wrap) => [
      new k8s.core.v1.ConfigMap('settings', { metadata: { name: 'settings', namespace: ns }, data: { a: '1' } }, wrap({ provider })),
    ]);
  }, providerBin);
  const rec = new ClusterRecorder(c, ns).start();
  const out: string[] = [];
  await observe({ rec, out, t, c, cleanup }, async () => {
    expect((await t.stack.up({ onOutput: collect(out) })).summary.result).toBe('succeeded');
    expect(rec.index('Job', 'export', 'created')).toBe(-1);
    await expect(t.stack.destroy({ onOutput: collect(out) })).rejects.toThrow(/export/);
    await rec.waitFor('Job', 'export', 'failed');
    expect(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' })).toBeDefined();
    expect(rec.index('Job', 'goodbye', 'created')).toBe(-1);
    const state = await t.stack.exportStack();
    expect((state.deployment.resources ?? []).map((r: { type: string }) => r.type)).toContain('kubernetes:core/v1:ConfigMap');
  });
});
