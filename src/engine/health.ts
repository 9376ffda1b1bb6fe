/**
 * How the engine turns a live object into a task state (spec §2.5, §4.1):
 * - hooks: no health check or Healthy → Succeeded; Degraded or Unknown → Failed; otherwise Running;
 * - managed resources: no health check or Healthy → Succeeded; Degraded → Failed; otherwise Running.
 * On top of Argo CD, a resource is never "done" while its controller has not observed the
 * current generation (`status.observedGeneration < metadata.generation`): this is what replaces
 * Argo's 2 s delay between waves.
 */
import { HealthStatus, KubeObject } from '../model';
import { getHealth, hookOperationState, resourceOperationState } from '../health';

export type TaskState =
  | { state: 'Running'; message?: string }
  | { state: 'Succeeded'; message?: string }
  | { state: 'Failed'; message: string };

/** Kinds whose controllers publish status.observedGeneration. */
const GENERATION_TRACKING = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet']);

function groupKind(o: KubeObject): string {
  return `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`;
}

/**
 * Waiting message when the object's controller has not caught up with its spec, else undefined.
 * `appliedGeneration` is the generation our apply returned: an event carrying an older
 * `metadata.generation` predates the apply (a late watch event), and `status.observedGeneration`
 * must reach the applied generation, not just the event's own.
 */
export function staleGeneration(o: KubeObject, appliedGeneration?: number): string | undefined {
  const own = o.metadata?.generation;
  const observed = o.status?.observedGeneration;
  if (typeof appliedGeneration === 'number' && typeof own === 'number' && own < appliedGeneration) {
    return `waiting for generation ${appliedGeneration} (seen ${own}, from before the apply)`;
  }
  const gen = typeof appliedGeneration === 'number' ? Math.max(appliedGeneration, own ?? 0) : own;
  if (gen === undefined) return undefined;
  if (observed === undefined) {
    return GENERATION_TRACKING.has(groupKind(o)) ? `waiting for the controller to observe generation ${gen}` : undefined;
  }
  return observed < gen ? `waiting for the controller to observe generation ${gen} (observed ${observed})` : undefined;
}

export function healthOf(o: KubeObject): HealthStatus | undefined {
  return withholdTerminationMessage(o, getHealth(o));
}

/**
 * A failed Pod's health message is, as in Argo CD, its container's termination message: the
 * workload's own output, which may hold secrets (a script echoing a connection string). The engine
 * never carries it in a message (hook results, events, errors, the record, SyncFail's env, Pulumi
 * state): it names the container and exit code instead. The full text stays in the cluster and in
 * the failure details (`SyncFailedError.details`, a secret output of SyncedChart).
 */
export function withholdTerminationMessage(o: KubeObject, h: HealthStatus | undefined): HealthStatus | undefined {
  if (!h?.message || o.kind !== 'Pod' || String(o.apiVersion).includes('/')) return h;
  const statuses: any[] = [...(o.status?.initContainerStatuses ?? []), ...(o.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    const t = s?.state?.terminated ?? s?.lastState?.terminated;
    if (!t?.message || !h.message.includes(t.message)) continue;
    const how = [t.exitCode !== undefined ? `exit code ${t.exitCode}` : '', t.reason ?? ''].filter(Boolean).join(', ');
    return { ...h, message: `container "${s.name}" terminated${how ? ` (${how})` : ''}: ${WITHHELD_TERMINATION_MESSAGE}` };
  }
  return h;
}

export const WITHHELD_TERMINATION_MESSAGE = 'termination message withheld (it may hold secrets): read it from the pod in the cluster';

export function hookState(o: KubeObject): TaskState {
  const h = healthOf(o);
  const state = hookOperationState(h);
  if (state === 'Failed') return { state, message: h?.message || `${o.kind} is ${h?.status ?? 'Missing'}` };
  return { state, message: h ? h.message : `${o.kind} created` };
}

/** `appliedGeneration`: see staleGeneration. */
export function resourceState(o: KubeObject, appliedGeneration?: number): TaskState {
  const stale = staleGeneration(o, appliedGeneration);
  if (stale) return { state: 'Running', message: stale };
  const h = healthOf(o);
  const state = resourceOperationState(h);
  if (state === 'Failed') return { state, message: h?.message || `${o.kind} is Degraded` };
  return { state, message: state === 'Running' ? h?.message || h?.status : h?.message };
}
