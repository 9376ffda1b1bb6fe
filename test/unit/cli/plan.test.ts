import { main } from '../../../src/cli/main';
import { planCommand } from '../../../src/cli/plan-cmd';
import { args, Captured, fixture, withStderr } from './_helpers';

const plan = async (argv: string[]) => {
  const io = new Captured();
  const code = await planCommand(args(['plan', ...argv]), io);
  return { code, io };
};

describe('sync-hooks plan', () => {
  test('a fixture directory (YAML, multi-document YAML and a JSON array): summary, table, SyncFail apart', async () => {
    const { code, io } = await plan(['-f', fixture('shop')]);
    expect(code).toBe(0);
    expect(io.outText).toBe(
      [
        'Sync plan: 4 steps; 3 objects and 2 hooks to apply; 1 SyncFail hook (runs only if the sync fails).',
        '',
        'PHASE                  WAVE  ACTION  KIND        NAME             HOOK',
        'PreSync                   0  apply   Namespace   shop             -',
        'PreSync                   0  apply   Job         shop/migrate     BeforeHookCreation,HookSucceeded',
        'Sync                      0  apply   ConfigMap   shop/web-config  -',
        'Sync                      1  apply   Deployment  shop/web         -',
        'PostSync                  0  apply   Job         shop/smoke       BeforeHookCreation',
        'SyncFail (on failure)     0  apply   Job         shop/alert-*     HookSucceeded',
      ].join('\n'),
    );
    expect(io.stderr).toEqual([]);
  });

  test('--namespace fills in objects without one; warnings are listed', async () => {
    const { code, io } = await plan(['-f', fixture('small.yaml'), '--namespace', 'team-a']);
    expect(code).toBe(0);
    expect(io.outText).toBe(
      [
        'Sync plan: 2 steps; 1 object and 1 hook to apply.',
        'objects without metadata.namespace go to namespace team-a (--namespace)',
        '',
        'PHASE     WAVE  ACTION  KIND       NAME             HOOK',
        'Sync         0  apply   ConfigMap  team-a/settings  -',
        'PostSync     0  apply   Job        team-a/smoke     BeforeHookCreation',
        '',
        'Warnings:',
        '  - ConfigMap team-a/scratch: not applied: annotated Skip',
      ].join('\n'),
    );
  });

  test('--teardown: PreDelete, deletes by reverse wave, PostDelete, kept', async () => {
    const { code, io } = await plan(['-f', fixture('small.yaml'), '-f', fixture('teardown.yaml'), '-n', 'team-a', '--teardown']);
    expect(code).toBe(0);
    expect(io.outText).toBe(
      [
        'Teardown plan: 1 PreDelete hook; 2 objects to delete in 2 waves; 0 PostDelete hooks; 1 kept.',
        'objects without metadata.namespace go to namespace team-a (--namespace)',
        '',
        'PHASE      WAVE  ACTION  KIND        NAME             HOOK',
        'PreDelete     0  apply   Job         team-a/backup    HookSucceeded',
        'Delete        2  delete  Deployment  team-a/web       -',
        'Delete        0  delete  ConfigMap   team-a/settings  -',
        '',
        'Kept:',
        '  - team-a/db (Secret): Delete=false',
      ].join('\n'),
    );
  });

  test('--json: machine-readable steps, SyncFail hooks and warnings', async () => {
    const { code, io } = await plan(['-f', fixture('shop'), '--json']);
    expect(code).toBe(0);
    const p = JSON.parse(io.outText);
    expect(p.operation).toBe('sync');
    expect(p.steps.map((s: { phase: string; wave: number }) => `${s.phase}/${s.wave}`)).toEqual(['PreSync/0', 'Sync/0', 'Sync/1', 'PostSync/0']);
    expect(p.steps[0].tasks).toEqual([
      { action: 'apply', apiVersion: 'v1', kind: 'Namespace', name: 'shop', hook: false },
      { action: 'apply', apiVersion: 'batch/v1', kind: 'Job', namespace: 'shop', name: 'migrate', hook: true, deletePolicies: ['BeforeHookCreation', 'HookSucceeded'] },
    ]);
    expect(p.syncFail).toEqual([
      { action: 'apply', apiVersion: 'batch/v1', kind: 'Job', namespace: 'shop', name: 'alert-', generateName: 'alert-', hook: true, deletePolicies: ['HookSucceeded'] },
    ]);
    expect(p.warnings).toEqual([]);
  });

  test('--teardown --json', async () => {
    const { io } = await plan(['-f', fixture('small.yaml'), '-f', fixture('teardown.yaml'), '-n', 'team-a', '--teardown', '--json']);
    const p = JSON.parse(io.outText);
    expect(p).toMatchObject({
      operation: 'teardown',
      preDelete: [{ phase: 'PreDelete', wave: 0, tasks: [{ kind: 'Job', name: 'backup', hook: true, deletePolicies: ['HookSucceeded'] }] }],
      deleteWaves: [
        { wave: 2, objects: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'team-a', name: 'web' }] },
        { wave: 0, objects: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-a', name: 'settings' }] },
      ],
      postDelete: [],
      kept: [{ kind: 'Secret', namespace: 'team-a', name: 'db', reason: 'Delete=false' }],
    });
  });

  test('bad input: every problem with its file, object and field in one error; exit 2', async () => {
    const { code, io } = await plan(['-f', fixture('bad'), '-f', fixture('missing.yaml')]);
    expect(code).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.errText).toBe(
      [
        'sync-hooks: Invalid manifests (5 problems):',
        `  ${fixture('missing.yaml')}: no such file or directory`,
        `  ${fixture('bad/b.yaml')}:6:1: document 1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
        `  ${fixture('bad/a.yaml')}:1: ConfigMap shop/(no name): metadata.name: is required`,
        `  ${fixture('bad/a.yaml')}:8: Job shop/migrate: metadata.annotations["argocd.argoproj.io/sync-wave"]: must be a string, got 1 (quote the value)`,
        `  ${fixture('bad/a.yaml')}:8: Job shop/migrate: metadata.annotations["argocd.argoproj.io/hook"]: unknown hook type "PreSnyc" (expected one of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip)`,
      ].join('\n'),
    );
  });

  test('bad input with --json: the problems on stdout too', async () => {
    const { code, io } = await plan(['-f', fixture('bad'), '--json']);
    expect(code).toBe(2);
    const r = JSON.parse(io.outText);
    expect(r.status).toBe('Invalid');
    expect(r.problems).toHaveLength(4);
    expect(r.problems[1]).toEqual({ source: `${fixture('bad/a.yaml')}:1`, object: 'ConfigMap shop/(no name)', field: 'metadata.name', message: 'is required' });
  });

  test('through main: exit codes 0 and 2', async () => {
    const out: string[] = [];
    expect(await main(['plan', '-f', fixture('shop')], (s) => out.push(s))).toBe(0);
    expect(out.join('\n')).toContain('SyncFail (on failure)');
    const bad = await withStderr(() => main(['plan', '-f', fixture('bad')], () => undefined));
    expect(bad.value).toBe(2);
    expect(bad.stderr).toContain('Invalid manifests (4 problems)');
  });
});
