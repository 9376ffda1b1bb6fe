/** networking.k8s.io (or extensions) Ingress: Healthy once the controller has published an address. */
import { HealthStatus, KubeObject } from '../model';

export function ingressHealth(ing: KubeObject): HealthStatus {
  const ingress = ing.status?.loadBalancer?.ingress;
  if (Array.isArray(ingress) && ingress.length > 0) return { status: 'Healthy' };
  return { status: 'Progressing', message: 'Waiting for the ingress controller to publish an address' };
}
