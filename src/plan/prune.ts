/**
 * Prune tasks (spec §2.7): objects applied last time (`previous`) that are no longer in the
 * manifests. Hooks are never pruned. Waves are reversed by swapping the unique prune waves
 * symmetrically (first↔last, …), so objects created late are removed first; `PruneLast=true`
 * moves a prune to (highest Sync wave, at least 0) + 1, after everything else. `Prune=false`
 * objects (and every candidate when pruning is disabled) are left in place with a warning, but,
 * as in gitops-engine (`getSyncTasks` in `pkg/sync/sync_context.go` keeps them among the prune
 * tasks and `pruneObject` skips them: PruneSkipped), they still count when the prune waves are
 * reversed and when the PruneLast wave is computed.
 */
import { formatKey, KubeObject, PlanTask, PlanWarning } from '../model';
import { inspect, label } from './inspect';

export interface PruneInput {
  /** Objects applied last time, namespace already defaulted. */
  previous: readonly KubeObject[];
  /** `formatKey` of every object in the current manifests (planned or not). */
  currentKeys: ReadonlySet<string>;
  /** Apply tasks of the sync, used for the PruneLast wave. */
  applyTasks: readonly PlanTask[];
  /** False: report candidates instead of pruning them. */
  prune: boolean;
}

interface Candidate {
  task: PlanTask;
  pruneLast: boolean;
  /** Why the object stays (PruneSkipped in Argo CD); undefined: it is pruned. */
  skipped?: string;
}

/** Swaps unique waves symmetrically: with waves [a < b < c], a→c, b→b, c→a. */
export function reverseWaves(waves: readonly number[]): Map<number, number> {
  const unique = [...new Set(waves)].sort((x, y) => x - y);
  const n = unique.length;
  return new Map(unique.map((w, i) => [w, unique[n - 1 - i]]));
}

function candidates(input: PruneInput, warnings: PlanWarning[]): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const prev of input.previous) {
    const { object, info, key } = inspect(prev);
    const k = formatKey(key);
    if (input.currentKeys.has(k) || seen.has(k) || info.source !== 'none') continue;
    seen.add(k);
    const skipped = info.pruneDisabled ? 'Prune=false' : !input.prune ? 'pruning is disabled' : undefined;
    if (skipped) warnings.push({ key, message: `${label(key)}: not pruned: ${skipped}` });
    const task: PlanTask = { id: `prune:${k}`, phase: 'Sync', wave: info.wave, action: 'prune', isHook: false, key, object, deletePolicies: [] };
    out.push({ task, pruneLast: info.pruneLast, ...(skipped ? { skipped } : {}) });
  }
  return out;
}

/** Prune tasks with their final waves, plus warnings for objects that are not pruned. */
export function planPrunes(input: PruneInput): { tasks: PlanTask[]; warnings: PlanWarning[] } {
  const warnings: PlanWarning[] = [];
  const found = candidates(input, warnings);
  const swap = reverseWaves(found.map((c) => c.task.wave));
  const reversed = found.map((c) => ({ ...c, task: { ...c.task, wave: swap.get(c.task.wave) ?? c.task.wave } }));
  const syncWaves = [...input.applyTasks, ...reversed.map((c) => c.task)].filter((t) => t.phase === 'Sync').map((t) => t.wave);
  const lastWave = Math.max(0, ...syncWaves) + 1;
  // Skipped candidates shaped the waves above; they are dropped only now (never deleted).
  const tasks = reversed.filter((c) => !c.skipped).map((c) => (c.pruneLast ? { ...c.task, wave: lastWave } : c.task));
  return { tasks, warnings };
}
