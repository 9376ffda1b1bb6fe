/** Sync options users write (issue 13 item 6): honoured ones are silent, the others named with the reason. */
import { writeOptionsOf } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { messages, obj, order } from './fixtures';

const opts = (v: string) => ({ ann: { 'argocd.argoproj.io/sync-options': v } });

test('Replace, Force, Validate=false, SkipDryRunOnMissingResource, ServerSideApply=true are honoured without a warning', () => {
  const plan = planSync([obj('Job', 'j', opts('Replace=true,Force=true')), obj('ConfigMap', 'c', opts('Validate=false, SkipDryRunOnMissingResource=true,ServerSideApply=true'))]);
  expect(messages(plan)).toEqual([]);
  expect(writeOptionsOf(plan.steps[0].tasks.find((t) => t.key.name === 'j')!.object)).toEqual({ replace: true, force: true, validate: true, skipDryRunOnMissingResource: false });
  expect(writeOptionsOf(plan.steps[0].tasks.find((t) => t.key.name === 'c')!.object)).toEqual({ replace: false, force: false, validate: false, skipDryRunOnMissingResource: true });
});

test('options the engine does not implement are listed in the plan with the reason (never silently)', () => {
  const plan = planSync([
    obj('ConfigMap', 'a', opts('ServerSideApply=false')),
    obj('ConfigMap', 'b', opts('ApplyOutOfSyncOnly=true,RespectIgnoreDifferences=true')),
    obj('ConfigMap', 'c', opts('CreateNamespace=true')),
    obj('ConfigMap', 'd', opts('Bogus=yes')),
  ]);
  const m = messages(plan);
  expect(m).toHaveLength(5);
  expect(m[0]).toMatch(/^ConfigMap a: sync option ServerSideApply=false: ignored: the engine always applies server-side/);
  expect(m[1]).toMatch(/^ConfigMap b: sync option ApplyOutOfSyncOnly=true: ignored: an Application-level option in Argo CD; sync-hooks does not diff/);
  expect(m[2]).toMatch(/^ConfigMap b: sync option RespectIgnoreDifferences=true: ignored: .*no ignoreDifferences/);
  expect(m[3]).toMatch(/^ConfigMap c: sync option CreateNamespace=true: ignored as a resource annotation .*--create-namespace/);
  expect(m[4]).toMatch(/^ConfigMap d: sync option Bogus=yes: ignored: not a sync option sync-hooks knows/);
});

test('objects left out of the plan (Skip) get no sync-option notes', () => {
  const plan = planSync([obj('ConfigMap', 'a', { ann: { 'argocd.argoproj.io/hook': 'Skip', 'argocd.argoproj.io/sync-options': 'ServerSideApply=false' } })]);
  expect(messages(plan)).toEqual(['ConfigMap a: not applied: annotated Skip']);
});

describe('createNamespace (Argo CD Application-level CreateNamespace=true, gitops-engine autoCreateNamespace)', () => {
  test('the default namespace is applied first, as a PreSync task, and the plan says so', () => {
    const plan = planSync([obj('ConfigMap', 'c'), obj('Job', 'pre', { ann: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-3' } })], {
      defaultNamespace: 'team',
      createNamespace: true,
    });
    expect(order(plan)).toEqual(['PreSync/-3/apply/Namespace/team', 'PreSync/-3/apply/Job/team/pre', 'Sync/0/apply/ConfigMap/team/c']);
    expect(messages(plan)).toEqual(['Namespace team: created first if missing (CreateNamespace=true); never pruned or deleted with the application']);
  });

  test('not when the manifests declare the namespace, nor without the option', () => {
    expect(order(planSync([obj('Namespace', 'team'), obj('ConfigMap', 'c')], { defaultNamespace: 'team', createNamespace: true }))).toEqual([
      'Sync/0/apply/Namespace/team',
      'Sync/0/apply/ConfigMap/team/c',
    ]);
    expect(order(planSync([obj('ConfigMap', 'c')], { defaultNamespace: 'team' }))).toEqual(['Sync/0/apply/ConfigMap/team/c']);
  });
});
