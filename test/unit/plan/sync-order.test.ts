import { KIND_ORDER, planSync, planTeardown } from '../../../src/plan';
import { KubeObject } from '../../../src/model';
import { crd, hookAnn, messages, obj, order, waveAnn } from './fixtures';

describe('planSync ordering (spec §2.2)', () => {
  test.each([
    {
      rule: 'phase order PreSync < Sync < PostSync, whatever the input order',
      input: [obj('Job', 'post', { ann: hookAnn('PostSync') }), obj('ConfigMap', 'cm'), obj('Job', 'pre', { ann: hookAnn('PreSync') })],
      expected: ['PreSync/0/apply/Job/pre', 'Sync/0/apply/ConfigMap/cm', 'PostSync/0/apply/Job/post'],
    },
    {
      rule: 'Sync hooks run in the Sync phase beside managed objects',
      input: [obj('Job', 'sync-hook', { ann: hookAnn('Sync') }), obj('ConfigMap', 'cm')],
      expected: ['Sync/0/apply/ConfigMap/cm', 'Sync/0/apply/Job/sync-hook'],
    },
    {
      rule: 'waves ascend inside a phase, negative waves first',
      input: [obj('ConfigMap', 'c', { ann: waveAnn(3) }), obj('ConfigMap', 'a', { ann: waveAnn(-5) }), obj('ConfigMap', 'b')],
      expected: ['Sync/-5/apply/ConfigMap/a', 'Sync/0/apply/ConfigMap/b', 'Sync/3/apply/ConfigMap/c'],
    },
    {
      rule: 'phase wins over wave',
      input: [obj('Job', 'pre', { ann: hookAnn('PreSync', waveAnn(10)) }), obj('ConfigMap', 'cm', { ann: waveAnn(-10) })],
      expected: ['PreSync/10/apply/Job/pre', 'Sync/-10/apply/ConfigMap/cm'],
    },
    {
      rule: 'helm.sh/hook-weight is the wave when there is no sync-wave, for any object',
      input: [obj('ConfigMap', 'weighted', { ann: { 'helm.sh/hook-weight': '-2' } }), obj('ConfigMap', 'plain')],
      expected: ['Sync/-2/apply/ConfigMap/weighted', 'Sync/0/apply/ConfigMap/plain'],
    },
    {
      rule: 'sync-wave wins over helm.sh/hook-weight',
      input: [obj('ConfigMap', 'both', { ann: { 'helm.sh/hook-weight': '-2', 'argocd.argoproj.io/sync-wave': '4' } })],
      expected: ['Sync/4/apply/ConfigMap/both'],
    },
    {
      rule: 'kind order inside a wave',
      input: [obj('Deployment', 'a'), obj('Service', 'a'), obj('ConfigMap', 'a'), obj('Namespace', 'a'), obj('Job', 'a')],
      expected: ['Sync/0/apply/Namespace/a', 'Sync/0/apply/ConfigMap/a', 'Sync/0/apply/Service/a', 'Sync/0/apply/Deployment/a', 'Sync/0/apply/Job/a'],
    },
    {
      rule: 'unknown kinds (custom resources) sort after every listed kind',
      input: [obj('Widget', 'a'), obj('APIService', 'z'), obj('Ingress', 'b')],
      expected: ['Sync/0/apply/Ingress/b', 'Sync/0/apply/APIService/z', 'Sync/0/apply/Widget/a'],
    },
    {
      rule: 'name breaks ties within a kind',
      input: [obj('ConfigMap', 'b'), obj('ConfigMap', 'c'), obj('ConfigMap', 'a')],
      expected: ['Sync/0/apply/ConfigMap/a', 'Sync/0/apply/ConfigMap/b', 'Sync/0/apply/ConfigMap/c'],
    },
    {
      rule: 'kind wins over name; unknown kinds tie-break by name',
      input: [obj('Gadget', 'a'), obj('Widget', 'b'), obj('Deployment', 'z')],
      expected: ['Sync/0/apply/Deployment/z', 'Sync/0/apply/Gadget/a', 'Sync/0/apply/Widget/b'],
    },
  ])('$rule', ({ input, expected }) => {
    expect(order(planSync(input))).toEqual(expected);
  });

  test('every listed kind sorts in the order of KIND_ORDER', () => {
    const input = [...KIND_ORDER].reverse().map((k) => obj(k, 'x', { apiVersion: 'v1' }));
    expect(order(planSync(input)).map((l) => l.split('/')[3])).toEqual([...KIND_ORDER]);
  });

  test('a non-integer sync-wave falls back to hook-weight and is reported', () => {
    const plan = planSync([obj('ConfigMap', 'cm', { ann: { 'argocd.argoproj.io/sync-wave': 'one', 'helm.sh/hook-weight': '2' } })]);
    expect(order(plan)).toEqual(['Sync/2/apply/ConfigMap/cm']);
    expect(messages(plan)).toEqual(['ConfigMap cm: metadata.annotations["argocd.argoproj.io/sync-wave"]: must be an integer, got "one"']);
  });

  test('steps group tasks by (phase, wave) in order', () => {
    const plan = planSync([
      obj('Job', 'pre', { ann: hookAnn('PreSync') }),
      obj('ConfigMap', 'a', { ann: waveAnn(1) }),
      obj('Secret', 'b', { ann: waveAnn(1) }),
      obj('ConfigMap', 'c'),
    ]);
    expect(plan.steps.map((s) => [s.phase, s.wave, s.tasks.map((t) => t.key.name)])).toEqual([
      ['PreSync', 0, ['pre']],
      ['Sync', 0, ['c']],
      ['Sync', 1, ['b', 'a']],
    ]);
  });

  test('SyncFail hooks are kept apart from the steps, sorted by wave, kind and name', () => {
    const plan = planSync([
      obj('Job', 'notify', { ann: hookAnn('SyncFail') }),
      obj('ConfigMap', 'cm'),
      obj('ConfigMap', 'fail-cfg', { ann: hookAnn('SyncFail') }),
      obj('Job', 'early', { ann: hookAnn('SyncFail', waveAnn(-1)) }),
    ]);
    expect(order(plan)).toEqual(['Sync/0/apply/ConfigMap/cm']);
    expect(plan.syncFail.map((t) => `${t.phase}/${t.wave}/${t.key.kind}/${t.key.name}`)).toEqual([
      'SyncFail/-1/Job/early',
      'SyncFail/0/ConfigMap/fail-cfg',
      'SyncFail/0/Job/notify',
    ]);
  });

  test('tasks carry id, hook flag, delete policies and the object', () => {
    const job = obj('Job', 'migrate', { ns: 'shop', ann: hookAnn('PreSync', { 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }) });
    const cm = obj('ConfigMap', 'cfg', { ns: 'shop' });
    const [pre, sync] = planSync([job, cm]).steps;
    expect(pre.tasks[0]).toEqual({
      id: 'PreSync:batch/Job/shop/migrate',
      phase: 'PreSync',
      wave: 0,
      action: 'apply',
      isHook: true,
      key: { group: 'batch', kind: 'Job', namespace: 'shop', name: 'migrate' },
      object: job,
      deletePolicies: ['HookSucceeded'],
    });
    expect(sync.tasks[0]).toMatchObject({ id: 'Sync:/ConfigMap/shop/cfg', isHook: false, deletePolicies: [] });
  });

  test('hooks without an explicit policy get BeforeHookCreation; generateName is carried', () => {
    const plan = planSync([obj('Job', '', { generateName: 'migrate-', ns: 'shop', ann: hookAnn('PreSync') })]);
    expect(plan.steps[0].tasks[0]).toMatchObject({
      id: 'PreSync:batch/Job/shop/migrate-',
      generateName: 'migrate-',
      deletePolicies: ['BeforeHookCreation'],
    });
  });

  test('the input manifests are not modified', () => {
    const input = [obj('ConfigMap', 'cm'), obj('Namespace', 'shop', { ann: waveAnn(3) }), obj('Job', 'j', { ns: 'shop', ann: hookAnn('PreSync') })];
    const copy = JSON.parse(JSON.stringify(input));
    planSync(input, { defaultNamespace: 'dflt', previous: [obj('Secret', 'old', { ns: 'x' })] });
    expect(input).toEqual(copy);
  });
});

describe('planSync Namespace and CRD bubbling (spec §2.3)', () => {
  test('a Namespace takes over the phase and wave of a PreSync hook living in it', () => {
    const plan = planSync([
      obj('Namespace', 'shop'),
      obj('Deployment', 'web', { ns: 'shop' }),
      obj('Job', 'migrate', { ns: 'shop', ann: hookAnn('PreSync', waveAnn(-1)) }),
    ]);
    expect(order(plan)).toEqual(['PreSync/-1/apply/Namespace/shop', 'PreSync/-1/apply/Job/shop/migrate', 'Sync/0/apply/Deployment/shop/web']);
    expect(plan.steps[0].tasks[0].id).toBe('PreSync:/Namespace//shop');
  });

  test('a Namespace in a later wave moves to just before its first dependant', () => {
    const plan = planSync([
      obj('Namespace', 'shop', { ann: waveAnn(5) }),
      obj('ConfigMap', 'other', { ns: 'elsewhere', ann: waveAnn(1) }),
      obj('Secret', 'zz', { ns: 'shop', ann: waveAnn(1) }),
      obj('Deployment', 'web', { ns: 'shop', ann: waveAnn(1) }),
    ]);
    expect(order(plan)).toEqual([
      'Sync/1/apply/Namespace/shop',
      'Sync/1/apply/Secret/shop/zz',
      'Sync/1/apply/ConfigMap/elsewhere/other',
      'Sync/1/apply/Deployment/shop/web',
    ]);
  });

  test('a Namespace that already precedes its dependants keeps its wave', () => {
    const plan = planSync([obj('Namespace', 'shop', { ann: waveAnn(-3) }), obj('ConfigMap', 'cm', { ns: 'shop', ann: waveAnn(2) })]);
    expect(order(plan)).toEqual(['Sync/-3/apply/Namespace/shop', 'Sync/2/apply/ConfigMap/shop/cm']);
  });

  test('a CRD moves in front of the first custom resource of its kind, taking its phase and wave', () => {
    const plan = planSync([
      crd('example.com', 'Widget', 'Namespaced', waveAnn(3)),
      obj('Widget', 'w', { ns: 'shop', ann: hookAnn('PreSync') }),
      obj('Gadget', 'g', { ns: 'shop' }),
    ]);
    expect(order(plan)).toEqual([
      'PreSync/0/apply/CustomResourceDefinition/widgets.example.com',
      'PreSync/0/apply/Widget/shop/w',
      'Sync/0/apply/Gadget/shop/g',
    ]);
  });

  test('a CRD for a kind of another group does not move', () => {
    const plan = planSync([crd('other.io', 'Widget', 'Namespaced', waveAnn(3)), obj('Widget', 'w', { ns: 'shop' })]);
    expect(order(plan)).toEqual(['Sync/0/apply/Widget/shop/w', 'Sync/3/apply/CustomResourceDefinition/widgets.other.io']);
  });

  test('prune tasks are not dependants: a Namespace does not move for them', () => {
    const plan = planSync([obj('Namespace', 'shop', { ann: waveAnn(2) })], { previous: [obj('ConfigMap', 'gone', { ns: 'shop' })] });
    expect(order(plan)).toEqual(['Sync/0/prune/ConfigMap/shop/gone', 'Sync/2/apply/Namespace/shop']);
  });
});

describe('planSync hooks (spec §1.2, §2.1, §6.2)', () => {
  test('a multi-phase hook yields one task per phase', () => {
    const plan = planSync([obj('Job', 'check', { ann: hookAnn('PreSync,PostSync') })]);
    expect(order(plan)).toEqual(['PreSync/0/apply/Job/check', 'PostSync/0/apply/Job/check']);
    expect(plan.steps.map((s) => s.tasks[0].id)).toEqual(['PreSync:batch/Job//check', 'PostSync:batch/Job//check']);
  });

  test('Skip alone leaves the object out, with a warning', () => {
    const plan = planSync([obj('ConfigMap', 'skipped', { ann: hookAnn('Skip') }), obj('ConfigMap', 'kept')]);
    expect(order(plan)).toEqual(['Sync/0/apply/ConfigMap/kept']);
    expect(messages(plan)).toEqual(['ConfigMap skipped: not applied: annotated Skip']);
  });

  test('Skip combined with a phase: planned in that phase, the combination reported', () => {
    const plan = planSync([obj('Job', 'j', { ann: hookAnn('Skip,PreSync') })]);
    expect(order(plan)).toEqual(['PreSync/0/apply/Job/j']);
    expect(messages(plan)).toEqual(['Job j: metadata.annotations["argocd.argoproj.io/hook"]: Skip cannot be combined with another hook type']);
  });

  test('a hook annotation with no supported type is never applied, and reported', () => {
    const plan = planSync([obj('Job', 'j', { ann: hookAnn('Bogus') })]);
    expect(order(plan)).toEqual([]);
    expect(messages(plan)).toEqual([
      'Job j: metadata.annotations["argocd.argoproj.io/hook"]: unknown hook type "Bogus" (expected one of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip)',
      'Job j: not applied: the hook annotation names no supported hook type',
    ]);
  });

  test('delete-only hooks are excluded from the sync plan; one that is also a sync hook stays', () => {
    const plan = planSync([
      obj('Job', 'backup', { ann: hookAnn('PreDelete') }),
      obj('Job', 'cleanup', { ann: hookAnn('PostDelete') }),
      obj('Job', 'both', { ann: hookAnn('PreDelete,PostSync') }),
    ]);
    expect(order(plan)).toEqual(['PostSync/0/apply/Job/both']);
    expect(messages(plan)).toEqual([
      'Job backup: runs only on teardown (PreDelete); not part of the sync plan',
      'Job cleanup: runs only on teardown (PostDelete); not part of the sync plan',
    ]);
  });

  test.each([
    ['pre-install', 'PreSync'],
    ['pre-upgrade', 'PreSync'],
    ['post-install', 'PostSync'],
    ['post-upgrade', 'PostSync'],
    ['pre-install,pre-upgrade', 'PreSync'],
  ])('Helm hook %s maps to %s', (helm, phase) => {
    const plan = planSync([obj('Job', 'h', { ann: { 'helm.sh/hook': helm } })]);
    expect(order(plan)).toEqual([`${phase}/0/apply/Job/h`]);
    expect(plan.warnings).toEqual([]);
  });

  test('Helm hook-weight orders Helm hooks and hook-delete-policy maps to Argo policies', () => {
    const plan = planSync([
      obj('Job', 'late', { ann: { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '5' } }),
      obj('Job', 'early', { ann: { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '-5', 'helm.sh/hook-delete-policy': 'hook-succeeded,before-hook-creation' } }),
    ]);
    expect(order(plan)).toEqual(['PreSync/-5/apply/Job/early', 'PreSync/5/apply/Job/late']);
    expect(plan.steps[0].tasks[0].deletePolicies).toEqual(['HookSucceeded', 'BeforeHookCreation']);
  });

  test('an Argo CD hook annotation wins over the Helm one on the same object', () => {
    const plan = planSync([obj('Job', 'j', { ann: { 'helm.sh/hook': 'post-install', 'argocd.argoproj.io/hook': 'PreSync' } })]);
    expect(order(plan)).toEqual(['PreSync/0/apply/Job/j']);
  });

  test.each(['test', 'test-success', 'pre-rollback', 'post-rollback'])('unsupported Helm hook %s is never applied, with a warning', (helm) => {
    const plan = planSync([obj('Pod', 't', { ann: { 'helm.sh/hook': helm } })]);
    expect(order(plan)).toEqual([]);
    expect(messages(plan)).toEqual([`Pod t: not applied: Helm hook ${helm} is not supported by Argo CD; the object is never applied`]);
  });

  test('a Helm hook mixing a supported and an unsupported event runs for the supported one, with a warning', () => {
    const plan = planSync([obj('Job', 'j', { ann: { 'helm.sh/hook': 'pre-install,test' } })]);
    expect(order(plan)).toEqual(['PreSync/0/apply/Job/j']);
    expect(messages(plan)).toEqual(['Job j: Helm hook test is not supported by Argo CD and is ignored']);
  });

  test('Helm pre-delete is a delete-only hook', () => {
    const plan = planSync([obj('Job', 'j', { ann: { 'helm.sh/hook': 'pre-delete' } })]);
    expect(order(plan)).toEqual([]);
    expect(messages(plan)).toEqual(['Job j: runs only on teardown (PreDelete); not part of the sync plan']);
  });
});

describe('planSync problems are reported, not dropped', () => {
  test('unknown delete policy', () => {
    const plan = planSync([obj('Job', 'j', { ann: hookAnn('PreSync', { 'argocd.argoproj.io/hook-delete-policy': 'Never' }) })]);
    expect(messages(plan)).toEqual([
      'Job j: metadata.annotations["argocd.argoproj.io/hook-delete-policy"]: unknown delete policy "Never" (expected BeforeHookCreation, HookSucceeded or HookFailed)',
    ]);
  });

  test('a non-string annotation value is read as text and reported', () => {
    const cm = obj('ConfigMap', 'cm');
    cm.metadata.annotations = { 'argocd.argoproj.io/sync-wave': 2 as unknown as string };
    const plan = planSync([cm]);
    expect(order(plan)).toEqual(['Sync/2/apply/ConfigMap/cm']);
    expect(messages(plan)).toEqual(['ConfigMap cm: metadata.annotations["argocd.argoproj.io/sync-wave"]: must be a string, got 2; read as "2"']);
  });

  test('generateName on a managed object is reported', () => {
    const plan = planSync([obj('ConfigMap', '', { generateName: 'cm-' })]);
    expect(messages(plan)).toEqual(['ConfigMap cm-: metadata.generateName is only supported for sync-phase hooks; set metadata.name']);
  });

  test('unvalidated objects missing their envelope do not crash the planner and are reported', () => {
    const junk = [{ kind: 'Namespace' }, { apiVersion: 'v1', metadata: { name: 'x' } }] as unknown as KubeObject[];
    expect(messages(planSync(junk, { defaultNamespace: 'd' }))).toEqual([
      'Namespace (no name): apiVersion: is required',
      'Namespace (no name): metadata.name: is required',
      '(no kind) x: kind: is required',
    ]);
    expect(messages(planTeardown(junk))).toHaveLength(3);
  });

  test('a duplicate object is planned once and reported', () => {
    const plan = planSync([obj('ConfigMap', 'cm', { ann: waveAnn(1) }), obj('ConfigMap', 'cm', { ann: waveAnn(2) })]);
    expect(order(plan)).toEqual(['Sync/1/apply/ConfigMap/cm']);
    expect(messages(plan)).toEqual(['ConfigMap cm: duplicate object in Sync; only the first is planned']);
  });
});
