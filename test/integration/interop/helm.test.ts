/**
 * A Helm chart made here, with pre-install (two weights), post-install, pre-delete and test hooks,
 * deployed through @pulumi/kubernetes helm.v4.Chart (real plugin) plus our engine (HookedChart).
 */
import * as k8s from '@pulumi/kubernetes';
import { HookedChart } from '../../../src/interop';
import { collect } from '../helpers/pulumi';
import { writeChart } from './_chart';
import { client, ClusterRecorder, interopStack, kubeconfigText, kubernetesProviderBin, withNamespace, observe } from './_helpers';

// Each test drives several pulumi up/destroy runs: 5 min (the default) is too little on a loaded 2-core machine.
jest.setTimeout(15 * 60_000);

let providerBin: string;
beforeAll(async () => {
  providerBin = await kubernetesProviderBin();
}, 45 * 60_000);

test('helm.v4.Chart + HookedChart: pre-install hooks by weight, then the chart, then post-install; pre-delete before the chart goes', async () => {
  const c = client();
  const { ns, cleanup } = await withNamespace(c, 'interop-helm');
  const kubeconfig = kubeconfigText();
  const chartDir = writeChart('hooked', [
    { name: 'db-init', hook: 'pre-install,pre-upgrade', weight: -5, duration: '700ms' },
    { name: 'seed', hook: 'pre-install', weight: 5 },
    { name: 'notify', hook: 'post-install', policy: 'hook-succeeded' },
    { name: 'backup', hook: 'pre-delete', duration: '500ms' },
    { name: 'test-conn', hook: 'test' },
  ]);
  let replicas = 1;
  const t = await interopStack(async () => {
    const provider = new k8s.Provider('k8s', { kubeconfig });
    const chart = new HookedChart('hooked', { chart: chartDir, releaseName: 'rel', namespace: ns, values: { replicas }, provider, kubeconfig });
    return {
      hooks: chart.hooks.apply((hs) => hs.map((h) => h.metadata.name)),
      resources: chart.chart.resources.apply((rs) => rs.length),
      skipped: chart.phases.split.apply((s) => s.skipped.map((x) => x.object)),
    };
  }, providerBin);
  const rec = new ClusterRecorder(c, ns).start();
  const out: string[] = [];
  await observe({ rec, out, t, c, cleanup }, async () => {
    const up = await t.stack.up({ onOutput: collect(out) });
    expect(up.summary.result).toBe('succeeded');
    await rec.waitFor('Job', 'rel-notify', 'deleted');
    // Rendered by the provider (test hooks are left out by the renderer itself).
    expect([...up.outputs.hooks.value].sort()).toEqual(['rel-backup', 'rel-db-init', 'rel-notify', 'rel-seed']);
    expect(up.outputs.resources.value).toBe(1); // helm.v4.Chart deploys the Deployment only: no hooks
    // pre-install by weight: -5 completes before 5 starts; both before the chart's Deployment exists.
    rec.before(['Job', 'rel-db-init', 'complete'], ['Job', 'rel-seed', 'created']);
    rec.before(['Job', 'rel-seed', 'complete'], ['Deployment', 'rel-web', 'created']);
    // post-install once the Deployment is ready; hook-succeeded removes it afterwards.
    rec.before(['Deployment', 'rel-web', 'ready'], ['Job', 'rel-notify', 'created']);
    rec.before(['Job', 'rel-notify', 'complete'], ['Job', 'rel-notify', 'deleted']);
    expect(rec.index('Job', 'rel-backup', 'created')).toBe(-1);
    expect(rec.index('Job', 'rel-test-conn', 'created')).toBe(-1);
    // Each hook ran once.
    expect(rec.events.filter((e) => e.name === 'rel-db-init' && e.what === 'created')).toHaveLength(1);
    expect(rec.events.filter((e) => e.name === 'rel-notify' && e.what === 'created')).toHaveLength(1);

    // An upgrade (values change): like Argo CD, pre-install and pre-upgrade hooks are PreSync and
    // run on every sync with changes, before the chart's objects change.
    replicas = 2;
    const mark = rec.events.length;
    const upgrade = await t.stack.up({ onOutput: collect(out) });
    expect(upgrade.summary.result).toBe('succeeded');
    await rec.waitFor('Job', 'rel-notify', 'deleted', mark);
    rec.before(['Job', 'rel-db-init', 'complete'], ['Job', 'rel-seed', 'created'], mark);
    rec.before(['Job', 'rel-seed', 'complete'], ['Deployment', 'rel-web', 'updated'], mark);
    rec.before(['Deployment', 'rel-web', 'ready'], ['Job', 'rel-notify', 'created'], rec.at('Deployment', 'rel-web', 'updated', mark));

    const destroy = await t.stack.destroy({ onOutput: collect(out) });
    expect(destroy.summary.result).toBe('succeeded');
    const deleting = rec.index('Deployment', 'rel-web', 'deleting') >= 0 ? 'deleting' : 'deleted';
    rec.before(['Job', 'rel-backup', 'complete'], ['Deployment', 'rel-web', deleting]);
    expect(await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'rel-web' })).toBeUndefined();
  });
});
