/** examples/three-tier deployed with SyncedChart through the real pulumi CLI, then destroyed. */
import * as fs from 'node:fs';
import { App } from 'cdk8s';
import { ThreeTierChart } from '../../../examples/three-tier/chart';
import { SyncedChart } from '../../../src/pulumi/synced-chart';
import { eventually, isNotFound, k8s, kubeConfig, kubeconfigPath, uniqueName } from '../helpers/kube';
import { testStack } from '../helpers/pulumi';
import { Recorder } from '../helpers/recorder';

test('three-tier: waves database → backend → frontend with their hooks, and teardown', async () => {
  const ns = uniqueName('tt');
  const kubeconfig = fs.readFileSync(kubeconfigPath(), 'utf8');
  const rec = await Recorder.start(['Job', 'Deployment', 'Namespace']);
  const t = await testStack(async () => {
    const c = new SyncedChart('three-tier', { chart: new ThreeTierChart(new App(), 'tt', { namespace: ns }), kubeconfig });
    return { hooks: c.hooks };
  });
  try {
    const up = await t.stack.up();
    const hooks = (up.outputs.hooks.value as Array<{ phase: string; wave: number; name: string; status: string }>).map((h) => `${h.phase}/${h.wave} ${h.name} ${h.status}`);
    expect(hooks).toEqual(['PreSync/0 schema-check Succeeded', 'Sync/1 db-seed Succeeded', 'PostSync/0 smoke-test Succeeded']);
    const api = rec.created('Deployment', 'api', ns)!;
    const frontend = rec.created('Deployment', 'frontend', ns)!;
    expect(rec.completed('schema-check', ns)!).toBeLessThan(api);
    expect(api).toBeLessThan(frontend);
    expect(rec.completed('db-seed', ns)!).toBeLessThan(frontend);
    const apps = kubeConfig().makeApiClient(k8s().AppsV1Api);
    expect((await apps.readNamespacedStatefulSet({ name: 'postgres', namespace: ns })).status?.readyReplicas).toBe(1);

    await t.stack.destroy();
    await eventually('namespace gone', () => isNotFound(kubeConfig().makeApiClient(k8s().CoreV1Api).readNamespace({ name: ns })));
    const nsDeleted = await eventually('namespace DELETED event', async () => rec.deleted('Namespace', ns));
    expect(await eventually('release-dns ran', async () => rec.completed(`release-dns-${ns}`, 'default'))).toBeGreaterThan(nsDeleted);
  } finally {
    rec.stop();
    await t.stack.destroy().catch(() => undefined);
    await t.cleanup();
  }
});
