/** Plans as `pulumi up`/`destroy` show them (a line per step), printed once per `pulumi up`. */
import { planSync, planTeardown } from '../../../src/plan';
import { compactSyncPlan, compactTeardownPlan, teardownPlanLine } from '../../../src/pulumi/compact-plan';
import { printPlanOnce, ShownStore, shownKey } from '../../../src/pulumi/once';
import { configMap, deployment, job, NS } from '../engine/_helpers';

function chart() {
  return [
    job('migrate', { phase: 'PreSync' }),
    configMap('a'),
    configMap('b'),
    configMap('c'),
    deployment('web'),
    deployment('api', { wave: 1 }),
    job('notify', { phase: 'PostSync', policy: 'HookSucceeded', generateName: true }),
    job('alert', { phase: 'SyncFail' }),
    job('backup', { phase: 'PreDelete' }),
  ];
}

function memoryStore(): ShownStore & { keys: Set<string> } {
  const keys = new Set<string>();
  return { keys, first: (w) => !keys.has(w) && !!keys.add(w), seen: (w) => keys.has(w) };
}

test('the sync plan is a line per step: objects counted (named when one or two), every hook named, SyncFail, warnings', () => {
  const text = compactSyncPlan(planSync(chart(), { defaultNamespace: NS }), 'plan for pulumi up');
  expect(text.split('\n')).toEqual([
    'plan for pulumi up: 4 steps, 5 objects, 2 hooks (+1 SyncFail on failure)',
    '  PreSync wave 0: hook Job app/migrate',
    '  Sync wave 0: 4 objects (3 ConfigMap, Deployment)',
    '  Sync wave 1: Deployment app/api',
    '  PostSync wave 0: hook Job app/notify-* (HookSucceeded)',
    '  SyncFail (on failure): hook Job app/alert',
    'warning: Job app/backup: runs only on teardown (PreDelete); not part of the sync plan',
  ]);
});

test('with the teardown plan, its line follows and the warnings that only say a delete hook is not synced are left out', () => {
  const skip = { ...configMap('skipped'), metadata: { ...configMap('skipped').metadata, annotations: { 'argocd.argoproj.io/hook': 'Skip' } } };
  const plan = planSync([...chart(), skip], { defaultNamespace: NS });
  const teardown = planTeardown([...chart(), skip], { defaultNamespace: NS });
  const lines = compactSyncPlan(plan, 'plan for pulumi up', { plan: teardown, title: 'plan for pulumi destroy' }).split('\n');
  // The Skip warning stays; the PreDelete backup's is replaced by the teardown line naming it.
  expect(plan.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^Job app\/backup: runs only on teardown/), 'ConfigMap app/skipped: not applied: annotated Skip']);
  expect(lines.slice(-2)).toEqual([expect.stringMatching(/^warning: ConfigMap app\/skipped: /), expect.stringMatching(/^plan for pulumi destroy: PreDelete hook Job app\/backup, then 5 objects deleted in 2 waves$/)]);
  expect(lines.join('\n')).not.toMatch(/runs only on teardown/);
});

test('prunes are listed in their step', () => {
  const previous = [configMap('a'), configMap('old')];
  const text = compactSyncPlan(planSync([configMap('a')], { defaultNamespace: NS, previous }), 'sync plan');
  expect(text).toMatch(/^sync plan: 1 step, 1 object, 0 hooks \(1 to prune\)\n {2}Sync wave 0: ConfigMap app\/a; prune ConfigMap app\/old$/);
});

test('the teardown plan is a line per step: PreDelete hooks, deletions by wave, PostDelete hooks', () => {
  const text = compactTeardownPlan(planTeardown([job('backup', { phase: 'PreDelete' }), configMap('a'), deployment('web', { wave: 1 }), job('dns', { phase: 'PostDelete' })], { defaultNamespace: NS }), 'teardown plan');
  expect(text.split('\n')).toEqual([
    'teardown plan: 2 objects to delete, 2 hooks',
    '  PreDelete wave 0: hook Job app/backup',
    '  Delete wave 1: Deployment app/web',
    '  Delete wave 0: ConfigMap app/a',
    '  PostDelete wave 0: hook Job app/dns',
  ]);
});

test('the teardown plan in one line (preview shows it beside the sync plan): hooks named in order, deletions counted, kept objects', () => {
  const keep = { ...configMap('keep'), metadata: { ...configMap('keep').metadata, annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false' } } };
  const plan = planTeardown([job('backup', { phase: 'PreDelete' }), configMap('a'), deployment('web', { wave: 1 }), keep, job('dns', { phase: 'PostDelete', ns: 'default' })], { defaultNamespace: NS });
  expect(teardownPlanLine(plan, 'plan for pulumi destroy')).toBe(
    'plan for pulumi destroy: PreDelete hook Job app/backup, then 2 objects deleted in 2 waves, then PostDelete hook Job default/dns; kept: ConfigMap app/keep (Delete=false)',
  );
  expect(teardownPlanLine(planTeardown([], {}), 'plan for pulumi destroy')).toBe('plan for pulumi destroy: nothing to delete');
});

test('a plan is printed once per pulumi run (the sync after preview prints nothing); its warnings are recorded as printed', () => {
  const store = memoryStore();
  const plan = planSync(chart(), { defaultNamespace: NS });
  const printed: string[] = [];
  // Preview: always printed.
  expect(printPlanOnce('shop', plan, 'plan for pulumi up', (t) => printed.push(t), { store, always: true })).toBe(true);
  // The update's sync: the same plan, not again.
  expect(printPlanOnce('shop', plan, 'sync plan', (t) => printed.push(t), { store })).toBe(false);
  expect(printed).toHaveLength(1);
  expect(store.seen(shownKey.warning('shop', 'Job app/backup: runs only on teardown (PreDelete); not part of the sync plan'))).toBe(true);
  // Another chart, or a plan that changed since preview: printed.
  expect(printPlanOnce('other', plan, 'sync plan', (t) => printed.push(t), { store })).toBe(true);
  const changed = planSync(chart().slice(0, 3), { defaultNamespace: NS });
  expect(printPlanOnce('shop', changed, 'sync plan', (t) => printed.push(t), { store })).toBe(true);
  expect(printed[2]).toMatch(/^sync plan: /);
});
