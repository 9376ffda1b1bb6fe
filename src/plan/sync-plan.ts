/**
 * `planSync`: manifests → ordered SyncPlan (spec §2). Pure: the inputs are never modified.
 */
import { formatKey, KubeObject, PlanTask, PlanWarning, SyncPhase, SyncPlan, syncOptionNotes } from '../model';
import { inspect, Inspected, label, syncPhasesOf, taskId } from './inspect';
import { planPrunes } from './prune';
import { namespaceDefaulter, ScopeResolver } from './scope';
import { sortTasks } from './sort';
import { groupSteps } from './steps';

export interface PlanSyncOptions {
  /** The manifests applied by the previous sync; objects gone from `manifests` are pruned. */
  previous?: readonly KubeObject[];
  /** Namespace given to namespaced objects that have none. */
  defaultNamespace?: string;
  /** Prune objects removed since `previous` (default true). False: report them as warnings. */
  prune?: boolean;
  /** Which kinds are cluster-scoped, as discovered from the cluster. Default: built-in kinds and CRDs in the set. */
  clusterScoped?: ScopeResolver;
  /**
   * Argo CD's Application-level `CreateNamespace=true`: the `defaultNamespace` is applied first, as a
   * PreSync task (gitops-engine `autoCreateNamespace`), unless the manifests declare it.
   */
  createNamespace?: boolean;
}

/** The Namespace `CreateNamespace=true` creates, unless the manifests declare it. */
export function autoNamespace(manifests: readonly KubeObject[], opts: PlanSyncOptions): KubeObject | undefined {
  const name = opts.defaultNamespace;
  if (!opts.createNamespace || !name) return undefined;
  if (manifests.some((m) => m?.kind === 'Namespace' && m.apiVersion === 'v1' && m.metadata?.name === name)) return undefined;
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function applyTask(it: Inspected, phase: SyncPhase): PlanTask {
  const generateName = it.object.metadata?.name ? undefined : it.object.metadata?.generateName;
  return {
    id: taskId(phase, it.key),
    phase,
    wave: it.info.wave,
    action: 'apply',
    isHook: it.info.isHook,
    key: it.key,
    object: it.object,
    deletePolicies: it.info.isHook ? it.info.deletePolicies : [],
    ...(generateName ? { generateName } : {}),
  };
}

function generateNameWarning(it: Inspected): PlanWarning | undefined {
  if (it.object.metadata?.name || !it.object.metadata?.generateName || it.info.isHook) return undefined;
  return { key: it.key, message: `${label(it.key)}: metadata.generateName is only supported for sync-phase hooks; set metadata.name` };
}

function applyTasks(inspected: readonly Inspected[], warnings: PlanWarning[]): PlanTask[] {
  const tasks: PlanTask[] = [];
  const ids = new Set<string>();
  for (const it of inspected) {
    warnings.push(...it.warnings);
    const { phases, leftOut } = syncPhasesOf(it.info);
    if (leftOut) warnings.push({ key: it.key, message: `${label(it.key)}: ${leftOut}` });
    const gw = phases.length > 0 ? generateNameWarning(it) : undefined;
    if (gw) warnings.push(gw);
    if (phases.length > 0) for (const note of syncOptionNotes(it.object)) warnings.push({ key: it.key, message: `${label(it.key)}: ${note}` });
    for (const phase of phases) {
      const task = applyTask(it, phase);
      if (ids.has(task.id)) {
        warnings.push({ key: it.key, message: `${label(it.key)}: duplicate object in ${phase}; only the first is planned` });
        continue;
      }
      ids.add(task.id);
      tasks.push(task);
    }
  }
  return tasks;
}

/**
 * Orders manifests into steps: phase (PreSync, Sync, PostSync), wave, kind order, name, with
 * Namespace/CRD bubbling; SyncFail hooks apart; prune tasks for objects gone since `previous`.
 * Objects left out (Skip, unsupported Helm hooks, delete-only hooks) and annotation problems are
 * reported in `warnings`.
 */
export function planSync(manifests: readonly KubeObject[], opts: PlanSyncOptions = {}): SyncPlan {
  const previous = opts.previous ?? [];
  const withNamespace = namespaceDefaulter([...manifests, ...previous], opts.defaultNamespace, opts.clusterScoped);
  const inspected = manifests.map((m) => inspect(withNamespace(m)));
  const warnings: PlanWarning[] = [];
  const applies = applyTasks(inspected, warnings);
  const autoNs = autoNamespace(manifests, opts);
  if (autoNs) {
    const it = inspect(autoNs);
    applies.push(applyTask(it, 'PreSync'));
    warnings.push({ key: it.key, message: `Namespace ${autoNs.metadata.name}: created first if missing (CreateNamespace=true); never pruned or deleted with the application` });
  }
  const currentKeys = new Set(inspected.map((it) => formatKey(it.key)));
  const prunes = planPrunes({ previous: previous.map(withNamespace), currentKeys, applyTasks: applies, prune: opts.prune ?? true });
  warnings.push(...prunes.warnings);
  const ordered = sortTasks([...applies, ...prunes.tasks]);
  return {
    steps: groupSteps(ordered.filter((t) => t.phase !== 'SyncFail')),
    syncFail: ordered.filter((t) => t.phase === 'SyncFail'),
    warnings,
  };
}
