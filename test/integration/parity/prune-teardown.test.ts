/**
 * Argo CD parity, round 2 (issue 13) on the embedded cluster: prune order with Prune=false, and a
 * Namespace deleted after its contents. Order is read from an independent watch (Recorder), not
 * from the engine's own events.
 */
import { KubeClient, runSync, runTeardown } from '../../../src/engine';
import { KubeObject } from '../../../src/model';
import { planSync, planTeardown } from '../../../src/plan';
import { clusterOpts, configMap, deployment, namespacePerTest, ref, uniqueNamespace } from '../engine/_helpers';
import { eventually } from '../helpers/kube';
import { Recorder } from '../helpers/recorder';

let c: KubeClient;
let ns: string;
namespacePerTest('parity', (client, namespace) => {
  c = client;
  ns = namespace;
});

const keep = (o: KubeObject): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, 'argocd.argoproj.io/sync-options': 'Prune=false' } },
});

// Argo CD: gitops-engine `getSyncTasks` (pkg/sync/sync_context.go) makes a prune task of every
// object gone from the target, Prune=false ones included, and swaps the unique prune waves
// symmetrically over all of them; `pruneObject` then skips Prune=false (PruneSkipped) at delete
// time. Revision 1: hq-w0 (wave 0), hq-w1 (1), hq-keep5 (5, Prune=false); revision 2 removes the
// three and adds hq-new3 (3). Prune waves {0,1,5} → hq-w0 at 5, hq-w1 at 1, hq-keep5 at 0 (skipped):
// prune hq-w1 → create hq-new3 → prune hq-w0.
test('prune order with Prune=false: hq-w1 pruned, then hq-new3 created, then hq-w0 pruned; hq-keep5 stays (gitops-engine getSyncTasks)', async () => {
  const rev1 = [configMap(ns, 'hq-w0', 0), configMap(ns, 'hq-w1', 1), keep(configMap(ns, 'hq-keep5', 5))];
  await runSync(c, planSync(rev1, { defaultNamespace: ns }), clusterOpts);

  const rec = await Recorder.start(['ConfigMap']);
  try {
    const result = await runSync(c, planSync([configMap(ns, 'hq-new3', 3)], { defaultNamespace: ns, previous: rev1 }), clusterOpts);
    // The engine saw the last deletion through its own watch; ours may deliver it a moment later.
    await eventually('the watch to see hq-w0 deleted', async () => rec.deleted('ConfigMap', 'hq-w0', ns));
    const order = rec.events
      .filter((e) => e.namespace === ns && e.name.startsWith('hq-') && (e.type === 'DELETED' || (e.type === 'ADDED' && e.name === 'hq-new3')))
      .filter((e, i, all) => all.findIndex((x) => x.type === e.type && x.name === e.name) === i)
      .map((e) => `${e.type === 'DELETED' ? 'prune' : 'create'} ${e.name}`);
    expect(order).toEqual(['prune hq-w1', 'create hq-new3', 'prune hq-w0']);
    expect(result.pruned.map((k) => k.name)).toEqual(['hq-w1', 'hq-w0']);
    expect(result.warnings).toContain(`ConfigMap ${ns}/hq-keep5: not pruned: Prune=false`);
  } finally {
    rec.stop();
  }
  expect(await c.get(ref(ns, 'ConfigMap', 'hq-keep5'))).toBeDefined();
  expect(await c.get(ref(ns, 'ConfigMap', 'hq-w0'))).toBeUndefined();
});

// The teardown plan lists a Namespace after everything else of its wave (reverse kind order, the
// mirror of gitops-engine's sync order `syncTasks.Less`/`kindOrder`, where Namespace comes first);
// the engine now deletes it only once the rest of the wave is gone. Before, it deleted the whole
// wave in parallel, so the namespace controller could remove the contents first.
test('teardown: a Namespace is deleted after its contents within a delete wave, as plan --teardown lists it', async () => {
  const team = uniqueNamespace('parity-team');
  const objs: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: team } }, deployment(team, 'web'), configMap(team, 'cfg')];
  try {
    await runSync(c, planSync(objs), clusterOpts);
    const plan = planTeardown(objs);
    expect(plan.deleteWaves.map((w) => w.objects.map((o) => o.kind))).toEqual([['Deployment', 'ConfigMap', 'Namespace']]);

    const rec = await Recorder.start(['Namespace', 'Deployment', 'ConfigMap']);
    try {
      await runTeardown(c, plan, clusterOpts);
      // The watch may lag the teardown: wait for each event.
      const nsDeletion = await eventually('Namespace deletion seen', async () => rec.deletionStarted('Namespace', team));
      const webGone = await eventually('web DELETED seen', async () => rec.deleted('Deployment', 'web', team));
      const cfgGone = await eventually('cfg DELETED seen', async () => rec.deleted('ConfigMap', 'cfg', team));
      // Write order (resourceVersion; receive order across separate watches can swap): both
      // contents gone before the Namespace's deletion began.
      expect(webGone).toBeLessThan(nsDeletion);
      expect(cfgGone).toBeLessThan(nsDeletion);
    } finally {
      rec.stop();
    }
  } finally {
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: team }, { propagationPolicy: 'Background' }).catch(() => undefined);
  }
});
