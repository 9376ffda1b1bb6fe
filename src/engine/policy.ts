/**
 * The one place that decides hook delete policies (spec §3.3, Argo CD semantics, operation-level):
 *
 * - `BeforeHookCreation` (the default): an existing instance is deleted before the hook is created;
 * - after a sync: `HookSucceeded` hooks are deleted only when the whole sync succeeded, `HookFailed`
 *   hooks when it failed (succeeded ones too: the policy is about the operation's outcome);
 * - after a teardown, per hook type (PreDelete, PostDelete): a type whose hooks all succeeded
 *   deletes its `HookSucceeded` hooks once the teardown succeeded; a type with a failed hook
 *   deletes its `HookFailed` hooks.
 *
 * Pure: the engine executes what these functions return.
 */
import { PlanTask } from '../model';
import { refId } from './client';
import type { HookRun } from './operation';

export type PolicyMoment = 'sync-failed' | 'sync-succeeded' | 'teardown-failed' | 'teardown-succeeded';

/** Whether an existing instance of the hook is deleted (and awaited) before the hook is created. */
export function deletesBeforeCreation(task: PlanTask): boolean {
  return task.deletePolicies.includes('BeforeHookCreation');
}

/** The runs that policy `policy` deletes among `runs` (the latest run per object, finished, not yet deleted). */
function byPolicy(runs: readonly HookRun[], policy: 'HookSucceeded' | 'HookFailed'): HookRun[] {
  const latest = new Map<string, HookRun>();
  for (const r of runs) latest.set(refId(r.ref), r);
  return [...latest.values()].filter((r) => r.policies.includes(policy) && !r.deleted && r.status !== 'Running');
}

/** The hook runs to delete at `moment`, with the policy that deletes each. */
export function hooksToDelete(runs: readonly HookRun[], moment: PolicyMoment): Array<{ run: HookRun; policy: 'HookSucceeded' | 'HookFailed' }> {
  const tag = (policy: 'HookSucceeded' | 'HookFailed') => (run: HookRun) => ({ run, policy });
  switch (moment) {
    case 'sync-failed':
      return byPolicy(runs, 'HookFailed').map(tag('HookFailed'));
    case 'sync-succeeded':
      return byPolicy(runs, 'HookSucceeded').map(tag('HookSucceeded'));
    case 'teardown-failed':
    case 'teardown-succeeded':
      return (['PreDelete', 'PostDelete'] as const).flatMap((phase) => {
        const ofType = runs.filter((h) => h.phase === phase);
        if (moment === 'teardown-succeeded') return byPolicy(ofType, 'HookSucceeded').map(tag('HookSucceeded'));
        return ofType.some((h) => h.status !== 'Succeeded') ? byPolicy(ofType, 'HookFailed').map(tag('HookFailed')) : [];
      });
  }
}
