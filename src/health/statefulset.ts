/** apps/v1 StatefulSet (gitops-engine `health_statefulset.go`, after kubectl rollout status). */
import { HealthStatus, KubeObject } from '../model';
import { desiredReplicas, generationObserved, num } from './_util';

function rollingUpdateHealth(sts: KubeObject, want: number): HealthStatus {
  const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition;
  const updated = num(sts.status?.updatedReplicas);
  if (typeof partition === 'number' && updated < want - partition) {
    return { status: 'Progressing', message: `Waiting for partitioned roll out to finish: ${updated} out of ${want - partition} new pods have been updated...` };
  }
  return { status: 'Healthy', message: `partitioned roll out complete: ${updated} new pods have been updated...` };
}

export function statefulSetHealth(sts: KubeObject): HealthStatus {
  if (num(sts.status?.observedGeneration) === 0 || !generationObserved(sts)) {
    return { status: 'Progressing', message: 'Waiting for statefulset spec update to be observed...' };
  }
  const want = desiredReplicas(sts);
  const ready = num(sts.status?.readyReplicas);
  if (ready < want) return { status: 'Progressing', message: `Waiting for ${want - ready} pods to be ready...` };
  const strategy = sts.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy === 'RollingUpdate' && sts.spec?.updateStrategy?.rollingUpdate) return rollingUpdateHealth(sts, want);
  if (strategy === 'OnDelete') return { status: 'Healthy', message: `statefulset has ${ready} ready pods` };
  const { updateRevision, currentRevision } = sts.status ?? {};
  if (updateRevision !== currentRevision) {
    return {
      status: 'Progressing',
      message: `waiting for statefulset rolling update to complete ${num(sts.status?.updatedReplicas)} pods at revision ${updateRevision}...`,
    };
  }
  return { status: 'Healthy', message: `statefulset rolling update complete ${num(sts.status?.currentReplicas)} pods at revision ${currentRevision}...` };
}
