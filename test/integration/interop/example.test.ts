/** examples/kubernetes-interop, run as an inline program on the embedded cluster: up, then destroy. */
import { interopExample } from '../../../examples/kubernetes-interop/program';
import { uniqueName } from '../helpers/kube';
import { client, ClusterRecorder, interopStack, kubeconfigText, kubernetesProviderBin, sink, observe } from './_helpers';

// Each test drives several pulumi up/destroy runs: 5 min (the default) is too little on a loaded 2-core machine.
jest.setTimeout(15 * 60_000);

let providerBin: string;
beforeAll(async () => {
  providerBin = await kubernetesProviderBin();
}, 45 * 60_000);

test('the interop example deploys with its hooks in order and tears down', async () => {
  const c = client();
  const ns = uniqueName('interop-example');
  const kubeconfig = kubeconfigText();
  // The embedded cluster runs the endpoints controllers, so @pulumi/kubernetes awaits the Services too.
  const t = await interopStack(async () => interopExample({ kubeconfig, namespace: ns }), providerBin);
  const rec = new ClusterRecorder(c, ns).start();
  const out: string[] = [];
  const cleanup = async () => {
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }, { propagationPolicy: 'Background' }).catch(() => undefined);
  };
  await observe({ rec, out, t, c, cleanup }, async () => {
    const up = await t.stack.up({ onOutput: sink(out) });
    expect(up.summary.result).toBe('succeeded');
    const status = (hs: Array<{ name: string; status: string }>) => hs.map((h) => `${h.name}:${h.status}`);
    expect(status(up.outputs.webPreSync.value)).toEqual(['web-migrate:Succeeded', 'web-warm-cache:Succeeded']);
    expect(status(up.outputs.webPostSync.value)).toEqual(['web-smoke:Succeeded']);
    expect(status(up.outputs.reportsPreSync.value)).toEqual(['reports-schema:Succeeded', 'reports-backfill:Succeeded']);
    expect([...up.outputs.reportsHooks.value].sort()).toEqual(['reports-backfill', 'reports-check', 'reports-export', 'reports-schema']);
    await rec.waitFor('Job', 'reports-check', 'deleted');
    await rec.waitFor('Job', 'web-smoke', 'deleted');
    rec.before(['Job', 'web-warm-cache', 'complete'], ['Deployment', 'web', 'created']);
    rec.before(['Deployment', 'web', 'ready'], ['Job', 'web-smoke', 'created']);
    rec.before(['Job', 'reports-backfill', 'complete'], ['Deployment', 'reports-reports', 'created']);
    rec.before(['Deployment', 'reports-reports', 'ready'], ['Job', 'reports-check', 'created']);
    expect(rec.index('Job', 'web-rollback', 'created')).toBe(-1);

    const destroy = await t.stack.destroy({ onOutput: sink(out) });
    expect(destroy.summary.result).toBe('succeeded');
    rec.before(['Job', 'web-backup', 'complete'], ['Deployment', 'web', 'deleted']);
    rec.before(['Job', 'reports-export', 'complete'], ['Deployment', 'reports-reports', 'deleted']);
    rec.before(['Deployment', 'web', 'deleted'], ['Job', 'web-deregister', 'created']);
    expect(await c.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }).then((n) => !n || !!n.metadata.deletionTimestamp)).toBe(true);
  });
});
