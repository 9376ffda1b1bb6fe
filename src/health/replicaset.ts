/** apps/v1 ReplicaSet (gitops-engine `health_replicaset.go`). */
import { HealthStatus, KubeObject } from '../model';
import { condition, desiredReplicas, generationObserved, isTrue, num } from './_util';

export function replicaSetHealth(rs: KubeObject): HealthStatus {
  if (!generationObserved(rs)) {
    return { status: 'Progressing', message: 'Waiting for rollout to finish: observed replica set generation less than desired generation' };
  }
  const failure = condition(rs, 'ReplicaFailure');
  if (isTrue(failure)) return { status: 'Degraded', message: failure?.message };
  const want = desiredReplicas(rs);
  const available = num(rs.status?.availableReplicas);
  if (available < want) {
    return { status: 'Progressing', message: `Waiting for rollout to finish: ${available} out of ${want} new replicas are available...` };
  }
  return { status: 'Healthy' };
}
