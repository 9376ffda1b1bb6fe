/** apps/v1 DaemonSet (gitops-engine `health_daemonset.go`). */
import { HealthStatus, KubeObject } from '../model';
import { generationObserved, num } from './_util';

export function daemonSetHealth(ds: KubeObject): HealthStatus {
  if (!generationObserved(ds)) {
    return { status: 'Progressing', message: 'Waiting for rollout to finish: observed daemon set generation less than desired generation' };
  }
  const desired = num(ds.status?.desiredNumberScheduled);
  const updated = num(ds.status?.updatedNumberScheduled);
  const available = num(ds.status?.numberAvailable);
  if (ds.spec?.updateStrategy?.type === 'OnDelete') {
    return { status: 'Healthy', message: `daemon set ${updated} out of ${desired} new pods have been updated` };
  }
  if (updated < desired) {
    return { status: 'Progressing', message: `Waiting for daemon set "${ds.metadata.name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...` };
  }
  if (available < desired) {
    return { status: 'Progressing', message: `Waiting for daemon set "${ds.metadata.name}" rollout to finish: ${available} of ${desired} updated pods are available...` };
  }
  return { status: 'Healthy' };
}
