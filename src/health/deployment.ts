/** apps/v1 Deployment (gitops-engine `health_deployment.go`, after kubectl rollout status). */
import { HealthStatus, KubeObject } from '../model';
import { condition, desiredReplicas, generationObserved, num } from './_util';

export function deploymentHealth(d: KubeObject): HealthStatus {
  if (d.spec?.paused) return { status: 'Suspended', message: 'Deployment is paused' };
  if (!generationObserved(d)) {
    return { status: 'Progressing', message: 'Waiting for rollout to finish: observed deployment generation less than desired generation' };
  }
  if (condition(d, 'Progressing')?.reason === 'ProgressDeadlineExceeded') {
    return { status: 'Degraded', message: `Deployment "${d.metadata.name}" exceeded its progress deadline` };
  }
  const want = desiredReplicas(d);
  const updated = num(d.status?.updatedReplicas);
  const replicas = num(d.status?.replicas);
  const available = num(d.status?.availableReplicas);
  if (updated < want) {
    return { status: 'Progressing', message: `Waiting for rollout to finish: ${updated} out of ${want} new replicas have been updated...` };
  }
  if (replicas > updated) {
    return { status: 'Progressing', message: `Waiting for rollout to finish: ${replicas - updated} old replicas are pending termination...` };
  }
  if (available < updated) {
    return { status: 'Progressing', message: `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...` };
  }
  return { status: 'Healthy' };
}
