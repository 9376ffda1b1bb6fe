/**
 * `getHealth(obj)`: dispatch by group/kind to one check per kind (gitops-engine
 * `GetResourceHealth`). `undefined` means the kind has no health check (treated as healthy).
 * Before the kind's check: an object being deleted (and not held by the hook finalizer) is
 * Progressing, and any status whose `observedGeneration` lags `metadata.generation` is Progressing,
 * so a stale status never counts as ready.
 */
import { groupOf, HealthStatus, HOOK_FINALIZER, KubeObject } from '../model';
import { num } from './_util';
import { apiServiceHealth } from './apiservice';
import { crdHealth } from './crd';
import { daemonSetHealth } from './daemonset';
import { deploymentHealth } from './deployment';
import { hpaHealth } from './hpa';
import { ingressHealth } from './ingress';
import { jobHealth } from './job';
import { namespaceHealth } from './namespace';
import { podHealth } from './pod';
import { pvcHealth } from './pvc';
import { replicaSetHealth } from './replicaset';
import { serviceHealth } from './service';
import { statefulSetHealth } from './statefulset';
import { workflowHealth } from './workflow';

export type HealthCheck = (obj: KubeObject) => HealthStatus;

const CHECKS: Record<string, HealthCheck> = {
  'apps/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'apps/ReplicaSet': replicaSetHealth,
  'batch/Job': jobHealth,
  '/Pod': podHealth,
  '/Service': serviceHealth,
  '/PersistentVolumeClaim': pvcHealth,
  '/Namespace': namespaceHealth,
  'networking.k8s.io/Ingress': ingressHealth,
  'extensions/Ingress': ingressHealth,
  'autoscaling/HorizontalPodAutoscaler': hpaHealth,
  'apiregistration.k8s.io/APIService': apiServiceHealth,
  'apiextensions.k8s.io/CustomResourceDefinition': crdHealth,
  'argoproj.io/Workflow': workflowHealth,
};

/** The health check for a group/kind, or undefined when there is none. */
export function healthCheckFor(group: string, kind: string): HealthCheck | undefined {
  return CHECKS[`${group}/${kind}`];
}

function generationLag(obj: KubeObject): HealthStatus | undefined {
  const observed = obj.status?.observedGeneration;
  const generation = obj.metadata?.generation;
  if (typeof observed !== 'number' || typeof generation !== 'number' || observed >= generation) return undefined;
  return { status: 'Progressing', message: `Waiting for the controller to observe generation ${generation} (observed ${num(observed)})` };
}

/** Health of a live object, or undefined when its kind has no health check. */
export function getHealth(obj: KubeObject): HealthStatus | undefined {
  if (obj.metadata?.deletionTimestamp && !(obj.metadata.finalizers ?? []).includes(HOOK_FINALIZER)) {
    return { status: 'Progressing', message: 'Pending deletion' };
  }
  const check = healthCheckFor(groupOf(obj.apiVersion ?? ''), obj.kind);
  if (!check) return undefined;
  return generationLag(obj) ?? check(obj);
}
