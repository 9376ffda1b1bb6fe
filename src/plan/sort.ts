/**
 * Task order (gitops-engine `syncTasks.Less` + `adjustDeps`, spec §2.2–2.3): phase, wave, kind
 * order, name; then Namespace and CRD tasks are moved in front of their first dependant, taking
 * over its phase and wave. Ties (Argo CD leaves them to Go's sort) are broken deterministically:
 * prune before apply (prunes run first in a wave), then namespace, group and id.
 */
import { groupOf, KubeObject, PlanTask, SYNC_PHASE_ORDER, SyncPhase } from '../model';
import { taskId } from './inspect';
import { kindRank } from './kind-order';

const DELETE_PHASE_ORDER: Record<string, number> = { PreDelete: -10, PostDelete: 10 };

function phaseRank(phase: PlanTask['phase']): number {
  return SYNC_PHASE_ORDER[phase as SyncPhase] ?? DELETE_PHASE_ORDER[phase] ?? 0;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order on tasks: phase, wave, prune-before-apply, kind order, name, namespace, group, id. */
export function compareTasks(a: PlanTask, b: PlanTask): number {
  return (
    phaseRank(a.phase) - phaseRank(b.phase) ||
    a.wave - b.wave ||
    (a.action === b.action ? 0 : a.action === 'prune' ? -1 : 1) ||
    kindRank(a.key.kind) - kindRank(b.key.kind) ||
    cmpStr(a.key.name, b.key.name) ||
    cmpStr(a.key.namespace, b.key.namespace) ||
    cmpStr(a.key.group, b.key.group) ||
    cmpStr(a.id, b.id)
  );
}

type DepKey = (obj: KubeObject) => string | undefined;

/**
 * Moves every dependency task that sorts after its first dependant to just before it, giving it
 * the dependant's phase and wave (gitops-engine `adjustDeps`). Prune tasks take no part.
 */
function adjustDeps(tasks: PlanTask[], isDep: DepKey, findDep: DepKey): PlanTask[] {
  const s = [...tasks];
  const firstIndex = new Map<string, number>();
  for (let i = 0; i < s.length; i++) {
    const t = s[i];
    if (t.action === 'prune') continue;
    const depKey = isDep(t.object);
    if (depKey === undefined) {
      const needed = findDep(t.object);
      if (needed !== undefined && !firstIndex.has(needed)) firstIndex.set(needed, i);
      continue;
    }
    const index = firstIndex.get(depKey);
    if (index === undefined) continue;
    const anchor = s[index];
    s.splice(i, 1);
    s.splice(index, 0, { ...t, phase: anchor.phase, wave: anchor.wave });
    for (const [k, v] of firstIndex) if (v >= index) firstIndex.set(k, v + 1);
  }
  return s;
}

const namespaceOf: DepKey = (o) => (o.kind === 'Namespace' && groupOf(o.apiVersion ?? '') === '' ? o.metadata?.name : undefined);
const livesIn: DepKey = (o) => o.metadata?.namespace || undefined;
const crdOf: DepKey = (o) =>
  o.kind === 'CustomResourceDefinition' && groupOf(o.apiVersion ?? '') === 'apiextensions.k8s.io'
    ? `${o.spec?.group ?? ''}/${o.spec?.names?.kind ?? ''}`
    : undefined;
const groupKindOf: DepKey = (o) => `${groupOf(o.apiVersion ?? '')}/${o.kind}`;

/** A moved task's id follows its new phase, unless that id is already taken. */
function renumber(tasks: PlanTask[]): PlanTask[] {
  const used = new Set(tasks.map((t) => t.id));
  return tasks.map((t) => {
    if (t.action === 'prune') return t;
    const id = taskId(t.phase, t.key);
    if (id === t.id || used.has(id)) return t;
    used.delete(t.id);
    used.add(id);
    return { ...t, id };
  });
}

/** Sorts tasks and bubbles Namespace, then CRD, tasks in front of their first dependant. */
export function sortTasks(tasks: readonly PlanTask[]): PlanTask[] {
  const sorted = [...tasks].sort(compareTasks);
  const nsFirst = adjustDeps(sorted, namespaceOf, livesIn);
  return renumber(adjustDeps(nsFirst, crdOf, groupKindOf));
}
