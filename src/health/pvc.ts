/** v1 PersistentVolumeClaim: Bound → Healthy, Pending → Progressing, Lost → Degraded. */
import { HealthStatus, KubeObject } from '../model';

export function pvcHealth(pvc: KubeObject): HealthStatus {
  switch (pvc.status?.phase) {
    case 'Bound':
      return { status: 'Healthy' };
    case 'Pending':
      return { status: 'Progressing', message: 'Waiting for the claim to be bound' };
    case 'Lost':
      return { status: 'Degraded', message: 'The claim lost its volume' };
    default:
      return { status: 'Unknown' };
  }
}
