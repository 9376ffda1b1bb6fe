/** apiregistration.k8s.io APIService: the `Available` condition decides. */
import { HealthStatus, KubeObject } from '../model';
import { condition, isTrue } from './_util';

export function apiServiceHealth(svc: KubeObject): HealthStatus {
  const available = condition(svc, 'Available');
  if (!available) return { status: 'Progressing', message: 'Waiting to be processed' };
  const message = `${available.reason ?? ''}: ${available.message ?? ''}`;
  return { status: isTrue(available) ? 'Healthy' : 'Progressing', message };
}
