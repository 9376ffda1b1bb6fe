import { InteropHookError, NODE_PHASES, splitHooks } from '../../../src/interop';
import { KubeObject, parseHookInfo } from '../../../src/model';

function obj(name: string, annotations: Record<string, string> = {}, kind = 'Job'): KubeObject {
  return { apiVersion: kind === 'Job' ? 'batch/v1' : 'v1', kind, metadata: { name, namespace: 'app', annotations } };
}
const argo = (phase: string, extra: Record<string, string> = {}) => ({ 'argocd.argoproj.io/hook': phase, ...extra });
const helm = (hook: string, extra: Record<string, string> = {}) => ({ 'helm.sh/hook': hook, ...extra });
const names = (xs: KubeObject[]) => xs.map((x) => x.metadata.name);
const phasesOf = (x: KubeObject) => parseHookInfo(x).phases;

describe('splitHooks', () => {
  test('before runs PreSync and PostDelete, after runs PostSync and PreDelete, SyncFail goes to both', () => {
    const s = splitHooks([
      obj('pre', argo('PreSync')),
      obj('post', argo('PostSync')),
      obj('pre-del', argo('PreDelete')),
      obj('post-del', argo('PostDelete')),
      obj('fail', argo('SyncFail')),
    ]);
    expect(names(s.before)).toEqual(['pre', 'post-del', 'fail']);
    expect(names(s.after)).toEqual(['post', 'pre-del', 'fail']);
    expect(names(s.syncFail)).toEqual(['fail']);
    expect(s.skipped).toEqual([]);
    expect(NODE_PHASES).toEqual({ before: ['PreSync', 'PostDelete'], after: ['PostSync', 'PreDelete'] });
  });

  test('Argo objects whose phases all belong to one node are passed through unchanged (same object)', () => {
    const pre = obj('pre', argo('PreSync', { 'argocd.argoproj.io/sync-wave': '3' }));
    const s = splitHooks([pre]);
    expect(s.before[0]).toBe(pre);
    expect(s.after).toEqual([]);
  });

  test('an object of several phases is copied into each node with only that node’s phases', () => {
    const both = obj('both', argo('PreSync,PostSync,SyncFail', { 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }));
    const s = splitHooks([both]);
    expect(s.before.map(phasesOf)).toEqual([['PreSync', 'SyncFail']]);
    expect(s.after.map(phasesOf)).toEqual([['PostSync', 'SyncFail']]);
    expect(s.syncFail.map(phasesOf)).toEqual([['SyncFail']]);
    // The input is not modified, other annotations are kept.
    expect(both.metadata.annotations!['argocd.argoproj.io/hook']).toBe('PreSync,PostSync,SyncFail');
    expect(s.after[0].metadata.annotations!['argocd.argoproj.io/hook-delete-policy']).toBe('HookSucceeded');
  });

  test('Helm hooks are mapped the way Argo CD maps them; weight and policy survive', () => {
    const s = splitHooks([
      obj('pi', helm('pre-install,pre-upgrade', { 'helm.sh/hook-weight': '-5', 'helm.sh/hook-delete-policy': 'hook-succeeded' })),
      obj('po', helm('post-install')),
      obj('pd', helm('pre-delete')),
      obj('xd', helm('post-delete')),
      obj('both', helm('pre-install,post-install')),
    ]);
    expect(names(s.before)).toEqual(['pi', 'xd', 'both']);
    expect(names(s.after)).toEqual(['po', 'pd', 'both']);
    const pi = parseHookInfo(s.before[0]);
    expect([pi.phases, pi.wave, pi.deletePolicies]).toEqual([['PreSync'], -5, ['HookSucceeded']]);
    expect(s.before[0].metadata.annotations!['helm.sh/hook-weight']).toBe('-5');
    // A Helm object spanning both nodes gets an Argo annotation per copy (it wins over Helm's).
    expect(phasesOf(s.before[2])).toEqual(['PreSync']);
    expect(phasesOf(s.after[2])).toEqual(['PostSync']);
  });

  test('Helm test/rollback hooks and Argo Skip are never applied (reported as skipped)', () => {
    const s = splitHooks([obj('t', helm('test')), obj('rb', helm('pre-rollback')), obj('skip', argo('Skip'))]);
    expect(s.before).toEqual([]);
    expect(s.after).toEqual([]);
    expect(s.skipped.map((x) => x.object)).toEqual(['Job app/t', 'Job app/rb', 'Job app/skip']);
  });

  test('managed objects, Sync hooks and annotation errors are all reported in one error', () => {
    let err: unknown;
    try {
      splitHooks([obj('cm', {}, 'ConfigMap'), obj('s', argo('Sync')), obj('bad', argo('PreSync', { 'argocd.argoproj.io/sync-wave': 'x' })), obj('ok', argo('PreSync'))]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InteropHookError);
    const problems = (err as InteropHookError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/ConfigMap app\/cm is not a hook .*@pulumi\/kubernetes/);
    expect(problems[1]).toMatch(/Job app\/s is a Sync hook/);
    expect(problems[2]).toMatch(/Job app\/bad: .*sync-wave.*must be an integer/);
    expect((err as Error).message).toMatch(/cannot be placed around Pulumi-managed resources/);
  });

  test('null entries are ignored', () => {
    expect(splitHooks([null as unknown as KubeObject, obj('p', argo('PostSync'))]).after).toHaveLength(1);
  });
});
