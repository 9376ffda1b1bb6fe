/**
 * `planTeardown` (spec §1.4, with the ordering improvements of the design): PreDelete hooks by
 * wave, then managed objects deleted one wave at a time, highest wave first, then PostDelete hooks
 * by wave. CRDs, `Delete=false` and `helm.sh/resource-policy: keep` objects are kept.
 */
import {
  DeletePhase,
  DeleteWave,
  groupOf,
  HELM_RESOURCE_POLICY,
  KubeObject,
  PlanTask,
  PlanWarning,
  ResourceKey,
  TeardownPlan,
} from '../model';
import { inspect, Inspected, label, taskId } from './inspect';
import { kindRank } from './kind-order';
import { namespaceDefaulter, ScopeResolver } from './scope';
import { compareTasks } from './sort';
import { groupSteps } from './steps';

export interface PlanTeardownOptions {
  /** Namespace given to namespaced objects that have none (as for the sync). */
  defaultNamespace?: string;
  /** Which kinds are cluster-scoped, as discovered from the cluster. Default: built-in kinds and CRDs in the set. */
  clusterScoped?: ScopeResolver;
}

function hookTask(it: Inspected, phase: DeletePhase): PlanTask {
  return {
    id: taskId(phase, it.key),
    phase,
    wave: it.info.wave,
    action: 'apply',
    isHook: true,
    key: it.key,
    object: it.object,
    deletePolicies: it.info.deletePolicies,
  };
}

function keptReason(it: Inspected): string | undefined {
  if (it.object.kind === 'CustomResourceDefinition' && groupOf(it.object.apiVersion ?? '') === 'apiextensions.k8s.io') {
    return 'CustomResourceDefinitions are never deleted on teardown';
  }
  if (it.info.syncOptions['Delete'] === 'false') return 'Delete=false';
  if (it.object.metadata?.annotations?.[HELM_RESOURCE_POLICY] === 'keep') return `${HELM_RESOURCE_POLICY}: keep`;
  return undefined;
}

/**
 * A Namespace is deleted no earlier than the objects inside it: its teardown wave is the lowest
 * of its own wave and theirs (the reverse of the sync's Namespace bubbling).
 */
function teardownWave(it: Inspected, managed: readonly Inspected[]): number {
  if (it.key.kind !== 'Namespace' || it.key.group !== '') return it.info.wave;
  const inside = managed.filter((m) => m.key.namespace === it.key.name).map((m) => m.info.wave);
  return Math.min(it.info.wave, ...inside);
}

/** Within a wave: reverse kind order (Namespace last), then name. */
function compareForDelete(a: Inspected, b: Inspected): number {
  return kindRank(b.key.kind) - kindRank(a.key.kind) || (a.key.name < b.key.name ? -1 : a.key.name > b.key.name ? 1 : 0);
}

function deleteWaves(managed: readonly Inspected[]): DeleteWave[] {
  const byWave = new Map<number, Inspected[]>();
  for (const it of managed) {
    const w = teardownWave(it, managed);
    byWave.set(w, [...(byWave.get(w) ?? []), it]);
  }
  return [...byWave.entries()]
    .sort(([a], [b]) => b - a)
    .map(([wave, items]) => ({ wave, objects: [...items].sort(compareForDelete).map((i) => i.object) }));
}

function postDeleteWarnings(post: readonly PlanTask[], deleted: readonly Inspected[]): PlanWarning[] {
  const deletedNamespaces = new Set(deleted.filter((d) => d.key.kind === 'Namespace' && d.key.group === '').map((d) => d.key.name));
  return post
    .filter((t) => deletedNamespaces.has(t.key.namespace))
    .map((t) => ({
      key: t.key,
      message: `${label(t.key)}: PostDelete hook in namespace ${t.key.namespace}, which is deleted before PostDelete hooks run`,
    }));
}

/** Plans the teardown of the objects a sync of `manifests` created. */
export function planTeardown(manifests: readonly KubeObject[], opts: PlanTeardownOptions = {}): TeardownPlan {
  const withNamespace = namespaceDefaulter(manifests, opts.defaultNamespace, opts.clusterScoped);
  const inspected = manifests.map((m) => inspect(withNamespace(m)));
  const warnings: PlanWarning[] = inspected.flatMap((it) => it.warnings);
  const hooks: PlanTask[] = [];
  const managed: Inspected[] = [];
  const kept: Array<{ key: ResourceKey; reason: string }> = [];
  for (const it of inspected) {
    if (it.info.skip || it.info.ignored) continue;
    if (it.info.source !== 'none') {
      for (const phase of it.info.phases) if (phase === 'PreDelete' || phase === 'PostDelete') hooks.push(hookTask(it, phase));
      continue;
    }
    const reason = keptReason(it);
    if (reason) kept.push({ key: it.key, reason });
    else managed.push(it);
  }
  for (const t of hooks) {
    if (!t.object.metadata?.name) warnings.push({ key: t.key, message: `${label(t.key)}: delete hooks need metadata.name (generateName is not supported)` });
  }
  const sorted = hooks.sort(compareTasks);
  const postDelete = sorted.filter((t) => t.phase === 'PostDelete');
  warnings.push(...postDeleteWarnings(postDelete, managed));
  return {
    preDelete: groupSteps(sorted.filter((t) => t.phase === 'PreDelete')),
    deleteWaves: deleteWaves(managed),
    postDelete: groupSteps(postDelete),
    kept,
    warnings,
  };
}
