/**
 * apiextensions.k8s.io CustomResourceDefinition: Healthy once `Established`; Degraded when its
 * names are rejected (`NamesAccepted=False`). Argo CD has no built-in check here and polls
 * Established for up to 3 s after applying a CRD (spec §2.3); we gate on it instead.
 */
import { HealthStatus, KubeObject } from '../model';
import { condition, isTrue } from './_util';

export function crdHealth(crd: KubeObject): HealthStatus {
  const names = condition(crd, 'NamesAccepted');
  if (names?.status === 'False') return { status: 'Degraded', message: names.message || 'CRD names not accepted' };
  if (isTrue(condition(crd, 'Established'))) return { status: 'Healthy' };
  return { status: 'Progressing', message: 'Waiting for the CRD to be established' };
}
