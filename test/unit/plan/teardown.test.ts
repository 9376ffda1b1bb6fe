import { planTeardown } from '../../../src/plan';
import { DeleteWave, PlanStep } from '../../../src/model';
import { crd, hookAnn, messages, obj, waveAnn } from './fixtures';

const stepNames = (steps: PlanStep[]) => steps.map((s) => `${s.phase}/${s.wave}: ${s.tasks.map((t) => t.key.name).join(',')}`);
const waveNames = (waves: DeleteWave[]) => waves.map((w) => `${w.wave}: ${w.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(',')}`);

describe('planTeardown (spec §1.4)', () => {
  test('PreDelete hooks by wave, then managed objects highest wave first, then PostDelete hooks by wave', () => {
    const plan = planTeardown([
      obj('Job', 'backup-late', { ann: hookAnn('PreDelete', waveAnn(2)) }),
      obj('Job', 'backup', { ann: hookAnn('PreDelete') }),
      obj('ConfigMap', 'cfg', { ann: waveAnn(-1) }),
      obj('Deployment', 'web', { ann: waveAnn(3) }),
      obj('Service', 'web', { ann: waveAnn(3) }),
      obj('Secret', 's'),
      obj('Job', 'notify', { ann: hookAnn('PostDelete', waveAnn(1)) }),
      obj('Job', 'audit', { ann: hookAnn('PostDelete', waveAnn(-2)) }),
    ]);
    expect(stepNames(plan.preDelete)).toEqual(['PreDelete/0: backup', 'PreDelete/2: backup-late']);
    expect(waveNames(plan.deleteWaves)).toEqual(['3: Deployment/web,Service/web', '0: Secret/s', '-1: ConfigMap/cfg']);
    expect(stepNames(plan.postDelete)).toEqual(['PostDelete/-2: audit', 'PostDelete/1: notify']);
    expect(plan.kept).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  test('delete hook tasks carry phase, id and delete policies', () => {
    const plan = planTeardown([obj('Job', 'backup', { ns: 'shop', ann: hookAnn('PreDelete', { 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }) })]);
    expect(plan.preDelete[0].tasks[0]).toMatchObject({ id: 'PreDelete:batch/Job/shop/backup', phase: 'PreDelete', isHook: true, deletePolicies: ['HookSucceeded'] });
  });

  test('Helm pre-delete/post-delete hooks are delete hooks', () => {
    const plan = planTeardown([obj('Job', 'a', { ann: { 'helm.sh/hook': 'pre-delete' } }), obj('Job', 'b', { ann: { 'helm.sh/hook': 'post-delete' } })]);
    expect(stepNames(plan.preDelete)).toEqual(['PreDelete/0: a']);
    expect(stepNames(plan.postDelete)).toEqual(['PostDelete/0: b']);
  });

  test('sync-phase hooks, skipped and unsupported objects are not deleted as managed objects', () => {
    const plan = planTeardown([
      obj('Job', 'migrate', { ann: hookAnn('PreSync') }),
      obj('ConfigMap', 'skipped', { ann: hookAnn('Skip') }),
      obj('Pod', 'test', { ann: { 'helm.sh/hook': 'test' } }),
      obj('ConfigMap', 'cm'),
    ]);
    expect(waveNames(plan.deleteWaves)).toEqual(['0: ConfigMap/cm']);
    expect(plan.preDelete).toEqual([]);
    expect(plan.postDelete).toEqual([]);
  });

  test('Delete=false, helm.sh/resource-policy: keep and CRDs are kept, with the reason', () => {
    const plan = planTeardown([
      obj('Secret', 'db', { ns: 'shop', ann: { 'argocd.argoproj.io/sync-options': 'Delete=false' } }),
      obj('PersistentVolumeClaim', 'data', { ns: 'shop', ann: { 'helm.sh/resource-policy': 'keep' } }),
      crd('example.com', 'Widget', 'Namespaced'),
      obj('ConfigMap', 'cm', { ns: 'shop' }),
    ]);
    expect(waveNames(plan.deleteWaves)).toEqual(['0: ConfigMap/cm']);
    expect(plan.kept).toEqual([
      { key: { group: '', kind: 'Secret', namespace: 'shop', name: 'db' }, reason: 'Delete=false' },
      { key: { group: '', kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data' }, reason: 'helm.sh/resource-policy: keep' },
      { key: { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', namespace: '', name: 'widgets.example.com' }, reason: 'CustomResourceDefinitions are never deleted on teardown' },
    ]);
  });

  test('within a wave, objects go in reverse kind order (Namespace last)', () => {
    const plan = planTeardown([obj('Namespace', 'shop'), obj('ConfigMap', 'b', { ns: 'shop' }), obj('Deployment', 'a', { ns: 'shop' }), obj('Widget', 'w', { ns: 'shop' })]);
    expect(waveNames(plan.deleteWaves)).toEqual(['0: Widget/w,Deployment/a,ConfigMap/b,Namespace/shop']);
  });

  test('a Namespace is deleted no earlier than the objects inside it', () => {
    const plan = planTeardown([obj('Namespace', 'shop', { ann: waveAnn(5) }), obj('Deployment', 'web', { ns: 'shop', ann: waveAnn(1) }), obj('ConfigMap', 'other', { ns: 'x', ann: waveAnn(3) })]);
    expect(waveNames(plan.deleteWaves)).toEqual(['3: ConfigMap/other', '1: Deployment/web,Namespace/shop']);
  });

  test('defaultNamespace applies as for the sync', () => {
    const plan = planTeardown([obj('ConfigMap', 'cm'), obj('ClusterRole', 'r')], { defaultNamespace: 'dflt' });
    expect(plan.deleteWaves[0].objects.map((o) => o.metadata.namespace)).toEqual([undefined, 'dflt']);
  });

  test('warnings: annotation problems, generateName delete hooks, PostDelete hooks in a deleted namespace', () => {
    const plan = planTeardown([
      obj('Namespace', 'shop'),
      obj('Job', 'notify', { ns: 'shop', ann: hookAnn('PostDelete') }),
      obj('Job', '', { generateName: 'backup-', ns: 'kept', ann: hookAnn('PreDelete') }),
      obj('ConfigMap', 'cm', { ann: waveAnn('x') }),
    ]);
    expect(messages(plan)).toEqual([
      'ConfigMap cm: metadata.annotations["argocd.argoproj.io/sync-wave"]: must be an integer, got "x"',
      'Job kept/backup-: delete hooks need metadata.name (generateName is not supported)',
      'Job shop/notify: PostDelete hook in namespace shop, which is deleted before PostDelete hooks run',
    ]);
  });
});
