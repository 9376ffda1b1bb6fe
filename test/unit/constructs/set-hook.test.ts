import { ApiObject, ApiObjectProps, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { HookJob, setHook, SetHookOptions } from '../../../src/constructs';
import { parseHookInfo } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { newChart, only, synth, validationError } from './_helpers';

/** What `cdk8s import k8s` generates for batch/v1 Job. */
class KubeJob extends ApiObject {
  static readonly GVK = { apiVersion: 'batch/v1', kind: 'Job' };
  constructor(scope: Construct, id: string, props: Omit<ApiObjectProps, 'apiVersion' | 'kind'> = {}) {
    super(scope, id, { ...KubeJob.GVK, ...props });
  }
}

/** A cdk8s-plus style construct: its default child (`Resource`) is the ApiObject. */
class PlusJob extends Construct {
  readonly apiObject: ApiObject;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.apiObject = new KubeJob(this, 'Resource', {
      metadata: { name: 'plus-job' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
    } as any);
  }
}

const jobSpec = { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } } };

function pod(scope: Construct, restartPolicy?: string) {
  return new ApiObject(scope, 'pod', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'smoke' },
    spec: { restartPolicy, containers: [{ name: 'main', image: 'curlimages/curl:8.11.1' }] },
  } as any);
}

describe('setHook', () => {
  test('an imported KubeJob becomes a PreSync hook with wave and delete policies the planner reads', () => {
    const chart = newChart('shop');
    const job = new KubeJob(chart, 'migrate', { metadata: { name: 'migrate' }, spec: jobSpec } as any);
    setHook(job, { phase: 'PreSync', wave: -1, deletePolicy: ['BeforeHookCreation', 'HookSucceeded'] });
    const m = only(chart);
    expect(m.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
      'argocd.argoproj.io/sync-wave': '-1',
    });
    const info = parseHookInfo(m);
    expect(info.problems).toEqual([]);
    expect(info.wave).toBe(-1);
    const plan = planSync(synth(chart));
    expect(plan.steps.map((s) => [s.phase, s.wave, s.tasks.map((t) => [t.isHook, t.deletePolicies])])).toEqual([
      ['PreSync', -1, [[true, ['BeforeHookCreation', 'HookSucceeded']]]],
    ]);
  });

  test('a cdk8s-plus style construct (default child) and a Pod; several phases', () => {
    const chart = newChart();
    setHook(new PlusJob(chart, 'plus'), { phase: 'PostSync' });
    setHook(pod(chart, 'Never'), { phase: ['Sync', 'PostSync'], wave: 2 });
    const [j, p] = synth(chart);
    expect(j.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PostSync' });
    expect(p.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'Sync,PostSync', 'argocd.argoproj.io/sync-wave': '2' });
  });

  test('an Argo Workflow as a SyncFail hook', () => {
    const chart = newChart();
    const wf = new ApiObject(chart, 'wf', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'rollback' },
      spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox' } }] },
    } as any);
    setHook(wf, { phase: 'SyncFail', deletePolicy: 'HookSucceeded' });
    const plan = planSync(synth(chart));
    expect(plan.syncFail.map((t) => [t.key.kind, t.key.name, t.deletePolicies])).toEqual([['Workflow', 'rollback', ['HookSucceeded']]]);
  });

  test('re-setting replaces the phase and keeps an existing wave and policy when not given', () => {
    const chart = newChart();
    const job = new KubeJob(chart, 'j', { metadata: { name: 'j' }, spec: jobSpec } as any);
    setHook(job, { phase: 'PreSync', wave: 3, deletePolicy: 'HookFailed' });
    setHook(job, { phase: 'PostSync' });
    expect(only(chart).metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'HookFailed',
      'argocd.argoproj.io/sync-wave': '3',
    });
  });

  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['unknown phase', { phase: 'PreSynk' }, ['phase: unknown hook phase "PreSynk" (expected one of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip)']],
    ['no phase', { phase: [] }, ['phase: must list at least one hook phase (PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete)']],
    ['Skip with a phase', { phase: ['Skip', 'Sync'] }, ["phase: 'Skip' cannot be combined with another phase (got Skip,Sync); Skip means the object is never applied"]],
    ['bad wave and policy together', { phase: 'Sync', wave: 1.5, deletePolicy: 'OnSuccess' }, [
      'deletePolicy: unknown delete policy "OnSuccess" (expected BeforeHookCreation, HookSucceeded, HookFailed)',
      'wave: must be an integer, got 1.5',
    ]],
    ['unknown option', { phase: 'Sync', weight: 1 }, ['weight: unknown option (expected phase, wave, deletePolicy)']],
  ];
  test.each(cases)('rejects %s, naming the object and the option, and writes nothing', (_t, opts, messages) => {
    const chart = newChart();
    new KubeJob(chart, 'migrate', { metadata: { name: 'migrate' }, spec: jobSpec } as any);
    const err = validationError(() => setHook(chart.node.findChild('migrate'), opts as unknown as SetHookOptions));
    expect(err.path).toBe('test/migrate');
    expect(err.problems.map((p) => `${p.prop}: ${p.message}`)).toEqual(messages);
    expect(err.message).toBe(messages.map((m) => `[test/migrate] ${m}`).join('\n'));
    expect(only(chart).metadata).not.toHaveProperty('annotations');
  });

  test('a Pod hook that would never complete (restartPolicy Always, the default) is rejected', () => {
    const chart = newChart();
    const err = validationError(() => setHook(pod(chart), { phase: 'PreSync' }));
    expect(err.message).toBe(
      '[test/pod] spec.restartPolicy: a Pod hook must set restartPolicy Never or OnFailure (got none, i.e. Always): with Always it never completes',
    );
    expect(() => setHook(pod(newChart(), 'Always'), { phase: 'Skip' })).not.toThrow();
  });

  test('a Job name too long for the job-name label is rejected', () => {
    const chart = newChart();
    const job = new KubeJob(chart, 'j', { metadata: { name: 'x'.repeat(64) }, spec: jobSpec } as any);
    expect(validationError(() => setHook(job, { phase: 'Sync' })).prop).toBe('metadata.name');
  });

  test('a generateName delete hook is rejected', () => {
    const chart = newChart();
    const job = new KubeJob(chart, 'j', { metadata: {}, spec: jobSpec } as any);
    job.addJsonPatch(JsonPatch.remove('/metadata/name'), JsonPatch.add('/metadata/generateName', 'cleanup-'));
    expect(validationError(() => setHook(job, { phase: 'PreDelete' })).message).toBe(
      '[test/j] phase: PreDelete hooks must have a name, not generateName (Argo CD creates delete hooks by name)',
    );
    expect(() => setHook(job, { phase: 'PostSync' })).not.toThrow();
  });

  test('hook constructs are refused (their props say it)', () => {
    const job = new HookJob(newChart(), 'j', { phase: 'PreSync', image: 'x' });
    expect(validationError(() => setHook(job, { phase: 'Sync' })).message).toBe(
      '[test/j] phase: set the phase, wave and deletePolicy props of the hook construct instead of setHook()',
    );
  });
});
