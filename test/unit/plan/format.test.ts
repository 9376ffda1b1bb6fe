import { formatPlan, formatTeardownPlan, planSync, planTeardown } from '../../../src/plan';
import { hookAnn, obj, waveAnn } from './fixtures';

describe('formatPlan', () => {
  test('renders phase, wave, action, kind, namespace/name and hook policies as a table', () => {
    const plan = planSync(
      [
        obj('Job', '', { generateName: 'migrate-', ns: 'shop', ann: hookAnn('PreSync', { 'argocd.argoproj.io/sync-wave': '-1', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' }) }),
        obj('Namespace', 'shop'),
        obj('Deployment', 'web', { ns: 'shop', ann: waveAnn(1) }),
        obj('Job', 'smoke', { ns: 'shop', ann: hookAnn('PostSync') }),
        obj('Job', 'alert', { ns: 'shop', ann: hookAnn('SyncFail') }),
        obj('ConfigMap', 'skip-me', { ann: hookAnn('Skip') }),
      ],
      { previous: [obj('ConfigMap', 'old', { ns: 'shop' })] },
    );
    expect(formatPlan(plan)).toBe(
      [
        'PHASE                  WAVE  ACTION  KIND        NAME            HOOK',
        'PreSync                  -1  apply   Namespace   shop            -',
        'PreSync                  -1  apply   Job         shop/migrate-*  BeforeHookCreation,HookSucceeded',
        'Sync                      0  prune   ConfigMap   shop/old        -',
        'Sync                      1  apply   Deployment  shop/web        -',
        'PostSync                  0  apply   Job         shop/smoke      BeforeHookCreation',
        'SyncFail (on failure)     0  apply   Job         shop/alert      BeforeHookCreation',
        '',
        'Warnings:',
        '  - ConfigMap skip-me: not applied: annotated Skip',
      ].join('\n'),
    );
  });

  test('an empty plan says so', () => {
    expect(formatPlan(planSync([]))).toBe('Nothing to sync.');
  });
});

describe('formatTeardownPlan', () => {
  test('renders PreDelete hooks, deletes by wave, PostDelete hooks and kept objects', () => {
    const plan = planTeardown([
      obj('Job', 'backup', { ns: 'shop', ann: hookAnn('PreDelete', { 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }) }),
      obj('Deployment', 'web', { ns: 'shop', ann: waveAnn(1) }),
      obj('ConfigMap', 'cfg', { ns: 'shop' }),
      obj('Secret', 'db', { ns: 'shop', ann: { 'argocd.argoproj.io/sync-options': 'Delete=false' } }),
      obj('Job', 'notify', { ns: 'ops', ann: hookAnn('PostDelete') }),
    ]);
    expect(formatTeardownPlan(plan)).toBe(
      [
        'PHASE       WAVE  ACTION  KIND        NAME         HOOK',
        'PreDelete      0  apply   Job         shop/backup  HookSucceeded',
        'Delete         1  delete  Deployment  shop/web     -',
        'Delete         0  delete  ConfigMap   shop/cfg     -',
        'PostDelete     0  apply   Job         ops/notify   BeforeHookCreation',
        '',
        'Kept:',
        '  - shop/db (Secret): Delete=false',
      ].join('\n'),
    );
  });

  test('an empty teardown says so', () => {
    expect(formatTeardownPlan(planTeardown([]))).toBe('Nothing to delete.');
  });
});
