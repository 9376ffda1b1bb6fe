/** v1 Namespace: Progressing while Terminating, Healthy otherwise (the API server sets Active on create). */
import { HealthStatus, KubeObject } from '../model';

export function namespaceHealth(ns: KubeObject): HealthStatus {
  if (ns.status?.phase === 'Terminating') return { status: 'Progressing', message: 'Namespace is terminating' };
  return { status: 'Healthy' };
}
