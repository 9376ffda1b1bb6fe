/** v1 Service: a LoadBalancer is Progressing until it has an ingress address; others are Healthy. */
import { HealthStatus, KubeObject } from '../model';

export function serviceHealth(svc: KubeObject): HealthStatus {
  if (svc.spec?.type !== 'LoadBalancer') return { status: 'Healthy' };
  const ingress = svc.status?.loadBalancer?.ingress;
  if (Array.isArray(ingress) && ingress.length > 0) return { status: 'Healthy' };
  return { status: 'Progressing', message: 'Waiting for the load balancer to get an address' };
}
