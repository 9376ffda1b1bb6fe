import { planSync, reverseWaves } from '../../../src/plan';
import { hookAnn, messages, obj, order, waveAnn } from './fixtures';

describe('planSync prune (spec §2.7)', () => {
  test('objects in previous but not in manifests are pruned in the Sync phase', () => {
    const plan = planSync([obj('ConfigMap', 'stay')], { previous: [obj('ConfigMap', 'stay'), obj('Secret', 'gone')] });
    expect(order(plan)).toEqual(['Sync/0/prune/Secret/gone', 'Sync/0/apply/ConfigMap/stay']);
    expect(plan.steps[0].tasks[0]).toMatchObject({ id: 'prune:/Secret//gone', action: 'prune', isHook: false, deletePolicies: [] });
  });

  test('prune waves are the unique waves swapped symmetrically (higher waves pruned first)', () => {
    const previous = [
      obj('ConfigMap', 'w-1', { ann: waveAnn(-1) }),
      obj('ConfigMap', 'w2', { ann: waveAnn(2) }),
      obj('Secret', 'w2b', { ann: waveAnn(2) }),
      obj('ConfigMap', 'w7', { ann: waveAnn(7) }),
    ];
    const plan = planSync([], { previous });
    expect(order(plan)).toEqual(['Sync/-1/prune/ConfigMap/w7', 'Sync/2/prune/Secret/w2b', 'Sync/2/prune/ConfigMap/w2', 'Sync/7/prune/ConfigMap/w-1']);
  });

  test('within a step, prunes come before applies', () => {
    const plan = planSync([obj('Namespace', 'a', { ann: waveAnn(1) }), obj('ConfigMap', 'new', { ann: waveAnn(1) })], {
      previous: [obj('Deployment', 'old', { ann: waveAnn(1) })],
    });
    expect(order(plan)).toEqual(['Sync/1/prune/Deployment/old', 'Sync/1/apply/Namespace/a', 'Sync/1/apply/ConfigMap/new']);
  });

  test('PruneLast=true prunes after the highest Sync wave', () => {
    const plan = planSync([obj('ConfigMap', 'a', { ann: waveAnn(4) }), obj('Job', 'post', { ann: hookAnn('PostSync', waveAnn(9)) })], {
      previous: [obj('Secret', 'last', { ann: { 'argocd.argoproj.io/sync-options': 'PruneLast=true' } }), obj('Secret', 'normal')],
    });
    expect(order(plan)).toEqual(['Sync/0/prune/Secret/normal', 'Sync/4/apply/ConfigMap/a', 'Sync/5/prune/Secret/last', 'PostSync/9/apply/Job/post']);
  });

  test('PruneLast with only negative waves goes to wave 1 (Argo CD starts the maximum at 0)', () => {
    const plan = planSync([obj('ConfigMap', 'a', { ann: waveAnn(-4) })], {
      previous: [obj('Secret', 'last', { ann: { 'argocd.argoproj.io/sync-options': 'PruneLast=true', 'argocd.argoproj.io/sync-wave': '-9' } })],
    });
    expect(order(plan)).toEqual(['Sync/-4/apply/ConfigMap/a', 'Sync/1/prune/Secret/last']);
  });

  test('Prune=false objects are not pruned, with a warning', () => {
    const plan = planSync([], { previous: [obj('Secret', 'precious', { ns: 'shop', ann: { 'argocd.argoproj.io/sync-options': 'Prune=false' } })] });
    expect(order(plan)).toEqual([]);
    expect(messages(plan)).toEqual(['Secret shop/precious: not pruned: Prune=false']);
  });

  // gitops-engine `getSyncTasks` (pkg/sync/sync_context.go) reverses the waves of every prune task,
  // Prune=false ones included; `pruneObject` skips those only when it comes to delete them.
  test('Prune=false objects still take part in the wave reversal (issue 13 example: w1, new3, w0)', () => {
    const keep = { 'argocd.argoproj.io/sync-options': 'Prune=false', 'argocd.argoproj.io/sync-wave': '5' };
    const plan = planSync([obj('ConfigMap', 'hq-new3', { ann: waveAnn(3) })], {
      previous: [obj('ConfigMap', 'hq-w0', { ann: waveAnn(0) }), obj('ConfigMap', 'hq-w1', { ann: waveAnn(1) }), obj('ConfigMap', 'hq-keep5', { ann: keep })],
    });
    expect(order(plan)).toEqual(['Sync/1/prune/ConfigMap/hq-w1', 'Sync/3/apply/ConfigMap/hq-new3', 'Sync/5/prune/ConfigMap/hq-w0']);
    expect(messages(plan)).toEqual(['ConfigMap hq-keep5: not pruned: Prune=false']);
  });

  test('a Prune=false object reversed to the highest wave moves the PruneLast wave, as in gitops-engine', () => {
    const plan = planSync([], {
      previous: [
        obj('Secret', 'keep', { ann: { 'argocd.argoproj.io/sync-options': 'Prune=false', 'argocd.argoproj.io/sync-wave': '-2' } }),
        obj('Secret', 'a', { ann: waveAnn(7) }),
        obj('Secret', 'last', { ann: { 'argocd.argoproj.io/sync-options': 'PruneLast=true' } }),
      ],
    });
    // waves {-2, 0, 7}: keep -2→7, last 0→0, a 7→-2; the last Sync wave is 7 (keep's), so PruneLast goes to 8.
    expect(order(plan)).toEqual(['Sync/-2/prune/Secret/a', 'Sync/8/prune/Secret/last']);
  });

  test('prune: false reports candidates instead of pruning them', () => {
    const plan = planSync([], { previous: [obj('Secret', 'old')], prune: false });
    expect(order(plan)).toEqual([]);
    expect(messages(plan)).toEqual(['Secret old: not pruned: pruning is disabled']);
  });

  test('hooks are never pruned', () => {
    const plan = planSync([], {
      previous: [obj('Job', 'migrate', { ann: hookAnn('PreSync') }), obj('Job', 'helm', { ann: { 'helm.sh/hook': 'pre-install' } })],
    });
    expect(order(plan)).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  test('an object still in the manifests, even skipped or turned into a hook, is not pruned', () => {
    const plan = planSync([obj('ConfigMap', 'skipped', { ann: hookAnn('Skip') }), obj('Job', 'j', { ann: hookAnn('PostSync') })], {
      previous: [obj('ConfigMap', 'skipped'), obj('Job', 'j')],
    });
    expect(order(plan)).toEqual(['PostSync/0/apply/Job/j']);
  });

  test('the same object in a different API version is the same object', () => {
    const plan = planSync([obj('Widget', 'w', { apiVersion: 'example.com/v2' })], { previous: [obj('Widget', 'w', { apiVersion: 'example.com/v1' })] });
    expect(order(plan)).toEqual(['Sync/0/apply/Widget/w']);
  });

  test.each([
    [[], []],
    [[3], [[3, 3]]],
    [[1, 2], [[1, 2], [2, 1]]],
    [[5, -1, 0, 5], [[-1, 5], [0, 0], [5, -1]]],
  ])('reverseWaves(%j)', (waves, expected) => {
    expect([...reverseWaves(waves).entries()].sort((a, b) => a[0] - b[0])).toEqual(expected);
  });
});

describe('planSync defaultNamespace', () => {
  test('namespaced objects without a namespace get it; cluster-scoped ones do not', () => {
    const plan = planSync(
      [
        obj('ConfigMap', 'cm'),
        obj('ConfigMap', 'pinned', { ns: 'other' }),
        obj('ClusterRole', 'reader'),
        obj('Namespace', 'dflt'),
        obj('PersistentVolume', 'pv'),
        obj('StorageClass', 'fast', { apiVersion: 'storage.k8s.io/v1' }),
        obj('ValidatingWebhookConfiguration', 'hook', { apiVersion: 'admissionregistration.k8s.io/v1' }),
      ],
      { defaultNamespace: 'dflt' },
    );
    const keys = Object.fromEntries(plan.steps.flatMap((s) => s.tasks).map((t) => [t.key.name, t.key.namespace]));
    expect(keys).toEqual({ cm: 'dflt', pinned: 'other', reader: '', dflt: '', pv: '', fast: '', hook: '' });
    expect(plan.steps[0].tasks.find((t) => t.key.name === 'cm')?.object.metadata.namespace).toBe('dflt');
  });

  test('custom resources follow the scope declared by their CRD in the set', () => {
    const crds = [
      obj('CustomResourceDefinition', 'widgets.example.com', { spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Widget' } } }),
      obj('CustomResourceDefinition', 'gadgets.example.com', { spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Gadget' } } }),
    ];
    const plan = planSync([...crds, obj('Widget', 'w'), obj('Gadget', 'g'), obj('Doohickey', 'd', { apiVersion: 'x.io/v1' })], { defaultNamespace: 'dflt' });
    const ns = Object.fromEntries(plan.steps.flatMap((s) => s.tasks).map((t) => [t.key.name, t.key.namespace]));
    expect(ns).toMatchObject({ w: '', g: 'dflt', d: 'dflt' });
  });

  test('a kind named like a built-in cluster-scoped kind in another group is namespaced', () => {
    const plan = planSync([obj('Node', 'n', { apiVersion: 'example.com/v1' })], { defaultNamespace: 'dflt' });
    expect(plan.steps[0].tasks[0].key.namespace).toBe('dflt');
  });

  test('previous objects are defaulted too, so an unchanged object is not pruned', () => {
    const plan = planSync([obj('ConfigMap', 'cm')], { defaultNamespace: 'dflt', previous: [obj('ConfigMap', 'cm', { ns: 'dflt' }), obj('Secret', 's')] });
    expect(order(plan)).toEqual(['Sync/0/prune/Secret/dflt/s', 'Sync/0/apply/ConfigMap/dflt/cm']);
  });

  test('the default namespace makes the declared Namespace bubble before objects that had none', () => {
    const plan = planSync([obj('Namespace', 'dflt', { ann: waveAnn(2) }), obj('Job', 'pre', { ann: hookAnn('PreSync') })], { defaultNamespace: 'dflt' });
    expect(order(plan)).toEqual(['PreSync/0/apply/Namespace/dflt', 'PreSync/0/apply/Job/dflt/pre']);
  });
});
