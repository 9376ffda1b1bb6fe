/** Delete policies decided in one place (policy.ts), and a teardown stuck on a finalizer naming it. */
import { TeardownFailedError, runTeardown } from '../../../src/engine';
import type { HookRun } from '../../../src/engine/operation';
import { deletesBeforeCreation, hooksToDelete } from '../../../src/engine/policy';
import { DeletePolicy, PlanTask } from '../../../src/model';
import { planTeardown } from '../../../src/plan';
import { NS, configMap, fakeCluster, fast, rejection } from './_helpers';

function run(name: string, phase: HookRun['phase'], status: HookRun['status'], policies: DeletePolicy[], deleted = false): HookRun {
  return {
    task: { deletePolicies: policies } as PlanTask,
    phase,
    wave: 0,
    ref: { apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name },
    key: `batch/Job/${NS}/${name}`,
    object: `Job ${NS}/${name}`,
    policies,
    startedAtMs: 0,
    deadlineAt: 0,
    status,
    deleted,
  };
}

const names = (xs: Array<{ run: HookRun; policy: string }>) => xs.map((x) => `${x.run.ref.name}:${x.policy}`);

test('sync: HookSucceeded only after a successful sync, HookFailed (succeeded hooks too) after a failed one; running and deleted hooks are never picked', () => {
  const runs = [
    run('a', 'PreSync', 'Succeeded', ['HookSucceeded']),
    run('b', 'Sync', 'Failed', ['HookFailed']),
    run('c', 'PreSync', 'Succeeded', ['HookFailed']),
    run('d', 'Sync', 'Running', ['HookFailed', 'HookSucceeded']),
    run('e', 'PostSync', 'Succeeded', ['HookSucceeded'], true),
  ];
  expect(names(hooksToDelete(runs, 'sync-succeeded'))).toEqual(['a:HookSucceeded']);
  expect(names(hooksToDelete(runs, 'sync-failed'))).toEqual(['b:HookFailed', 'c:HookFailed']);
});

test('the latest run of an object decides (a hook re-created in the same operation)', () => {
  const runs = [run('a', 'PreSync', 'Failed', ['HookFailed']), run('a', 'PreSync', 'Running', ['HookFailed'])];
  expect(hooksToDelete(runs, 'sync-failed')).toEqual([]);
});

test('teardown: per hook type, like Argo CD', () => {
  const runs = [
    run('pre-ok', 'PreDelete', 'Succeeded', ['HookSucceeded', 'HookFailed']),
    run('post-bad', 'PostDelete', 'Failed', ['HookFailed']),
    run('post-ok', 'PostDelete', 'Succeeded', ['HookFailed', 'HookSucceeded']),
  ];
  // PreDelete all succeeded: nothing of it goes on failure; PostDelete had a failure: its HookFailed hooks go.
  expect(names(hooksToDelete(runs, 'teardown-failed'))).toEqual(['post-bad:HookFailed', 'post-ok:HookFailed']);
  expect(names(hooksToDelete(runs, 'teardown-succeeded'))).toEqual(['pre-ok:HookSucceeded', 'post-ok:HookSucceeded']);
});

test('BeforeHookCreation decides whether an existing instance is deleted first', () => {
  expect(deletesBeforeCreation({ deletePolicies: ['BeforeHookCreation'] } as PlanTask)).toBe(true);
  expect(deletesBeforeCreation({ deletePolicies: ['HookSucceeded'] } as PlanTask)).toBe(false);
});

test('a teardown that times out waiting on a finalizer names the object and the finalizer', async () => {
  const fake = fakeCluster();
  fake.seed({ ...configMap('stuck'), metadata: { ...configMap('stuck').metadata, finalizers: ['example.com/keep'] } });
  const err = await rejection(runTeardown(fake, planTeardown([configMap('stuck')], { defaultNamespace: NS }), { ...fast, timeoutMs: 300 }));
  expect(err).toBeInstanceOf(TeardownFailedError);
  expect(err.message).toContain(`still waiting for ConfigMap ${NS}/stuck (being deleted, waiting for finalizer example.com/keep)`);
  fake.dispose();
});
