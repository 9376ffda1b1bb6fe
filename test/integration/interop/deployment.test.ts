/**
 * HookPhases around a real @pulumi/kubernetes Deployment (real pulumi CLI, real
 * pulumi-resource-kubernetes plugin, embedded cluster): the order observed in the cluster on `up`
 * (PreSync waves, then the Deployment, then PostSync once it is ready) and on `destroy` (PreDelete,
 * then the Deployment is deleted, then PostDelete).
 */
import * as k8s from '@pulumi/kubernetes';
import { HookPhases } from '../../../src/interop';
import { collect } from '../helpers/pulumi';
import { argoHook, client, ClusterRecorder, interopStack, job, kubeconfigText, kubernetesProviderBin, withNamespace, observe } from './_helpers';

// Each test drives several pulumi up/destroy runs: 5 min (the default) is too little on a loaded 2-core machine.
jest.setTimeout(15 * 60_000);

let providerBin: string;
beforeAll(async () => {
  providerBin = await kubernetesProviderBin();
}, 45 * 60_000);

test('up: PreSync waves, then the Deployment, then PostSync after it is ready; destroy: PreDelete, delete, PostDelete', async () => {
  const c = client();
  const { ns, cleanup } = await withNamespace(c, 'interop-dep');
  const kubeconfig = kubeconfigText();
  const hooks = [
    job(ns, 'migrate', { annotations: argoHook('PreSync', { 'argocd.argoproj.io/sync-wave': '-1' }), duration: '600ms' }),
    job(ns, 'seed', { annotations: argoHook('PreSync', { 'argocd.argoproj.io/sync-wave': '1' }) }),
    job(ns, 'smoke', { annotations: argoHook('PostSync', { 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }) }),
    job(ns, 'backup', { annotations: argoHook('PreDelete'), duration: '600ms' }),
    job(ns, 'farewell', { annotations: argoHook('PostDelete') }),
  ];
  let image = 'nginx:1.26';
  let triggers: string[] = [];
  const t = await interopStack(async () => {
    const provider = new k8s.Provider('k8s', { kubeconfig, namespace: ns });
    const app = new HookPhases('web', { hooks, kubeconfig, namespace: ns, triggers }, (wrap) => [
      new k8s.apps.v1.Deployment(
        'web',
        {
          metadata: { name: 'web', namespace: ns },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'web' } },
            template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
          },
        },
        wrap({ provider }),
      ),
    ]);
    return { hooks: app.after.hooks, before: app.before.hooks };
  }, providerBin);
  const rec = new ClusterRecorder(c, ns).start();
  const out: string[] = [];
  await observe({ rec, out, t, c, cleanup }, async () => {
    const up = await t.stack.up({ onOutput: collect(out) });
    expect(up.summary.result).toBe('succeeded');
    await rec.waitFor('Job', 'smoke', 'deleted');
    // PreSync, wave by wave, each wave finished before the next starts.
    rec.before(['Job', 'migrate', 'complete'], ['Job', 'seed', 'created']);
    // The Deployment is created only after every PreSync hook completed.
    rec.before(['Job', 'seed', 'complete'], ['Deployment', 'web', 'created']);
    // PostSync starts only once the Deployment is ready (Pulumi's await + the dependency edge).
    rec.before(['Deployment', 'web', 'ready'], ['Job', 'smoke', 'created']);
    rec.before(['Job', 'smoke', 'complete'], ['Job', 'smoke', 'deleted']); // HookSucceeded
    // Delete hooks do not run on up.
    expect(rec.index('Job', 'backup', 'created')).toBe(-1);
    expect(rec.index('Job', 'farewell', 'created')).toBe(-1);
    expect(up.outputs.before.value.map((h: { name: string; status: string }) => `${h.name}:${h.status}`)).toEqual(['migrate:Succeeded', 'seed:Succeeded']);

    // Nothing changed: no hook runs again.
    let mark = rec.events.length;
    const again = await t.stack.up({ onOutput: collect(out) });
    expect(again.summary.resourceChanges?.update ?? 0).toBe(0);
    expect(rec.events.slice(mark).filter((e) => e.what === 'created')).toEqual([]);

    // The Deployment changes (new image), hooks and triggers do not: Pulumi's own diff of the
    // wrapped resource runs PreSync first (in the program: beforeUpdate hook), PostSync after.
    image = 'nginx:1.27';
    mark = rec.events.length;
    const upgrade = await t.stack.up({ onOutput: collect(out) });
    expect(upgrade.summary.result).toBe('succeeded');
    await rec.waitFor('Job', 'smoke', 'deleted', mark);
    rec.before(['Job', 'migrate', 'complete'], ['Job', 'seed', 'created'], mark);
    rec.before(['Job', 'seed', 'complete'], ['Deployment', 'web', 'updated'], mark);
    rec.before(['Deployment', 'web', 'ready'], ['Job', 'smoke', 'created'], rec.at('Deployment', 'web', 'updated', mark));

    // Only a trigger changes: both nodes run their hooks; the Deployment is untouched.
    triggers = ['migration-42'];
    mark = rec.events.length;
    const retrigger = await t.stack.up({ onOutput: collect(out) });
    expect(retrigger.summary.result).toBe('succeeded');
    await rec.waitFor('Job', 'smoke', 'deleted', mark);
    rec.before(['Job', 'seed', 'complete'], ['Job', 'smoke', 'created'], mark);
    expect(rec.index('Deployment', 'web', 'updated', mark)).toBe(-1);

    const destroy = await t.stack.destroy({ onOutput: collect(out) });
    expect(destroy.summary.result).toBe('succeeded');
    await rec.waitFor('Job', 'farewell', 'complete');
    // PreDelete runs and completes while the Deployment still exists...
    const deleting = rec.index('Deployment', 'web', 'deleting') >= 0 ? 'deleting' : 'deleted';
    rec.before(['Job', 'backup', 'complete'], ['Deployment', 'web', deleting]);
    // ...and PostDelete starts only once the Deployment is gone.
    rec.before(['Deployment', 'web', 'deleted'], ['Job', 'farewell', 'created']);
    expect(await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' })).toBeUndefined();
  });
});
