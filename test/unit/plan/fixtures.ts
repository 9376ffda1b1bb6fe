/** Small builders for plan tests. */
import { flattenSteps } from '../../../src/plan';
import { KubeObject, PlanTask, SyncPlan } from '../../../src/model';

const API_VERSION: Record<string, string> = {
  Namespace: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  Pod: 'v1',
  PersistentVolumeClaim: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  APIService: 'apiregistration.k8s.io/v1',
  Widget: 'example.com/v1',
  Gadget: 'example.com/v1',
};

export interface ObjOpts {
  ns?: string;
  ann?: Record<string, string>;
  apiVersion?: string;
  spec?: unknown;
  generateName?: string;
}

export function obj(kind: string, name: string, o: ObjOpts = {}): KubeObject {
  const metadata: KubeObject['metadata'] = name ? { name } : { generateName: o.generateName };
  if (o.ns) metadata.namespace = o.ns;
  if (o.ann) metadata.annotations = o.ann;
  const out: KubeObject = { apiVersion: o.apiVersion ?? API_VERSION[kind] ?? 'v1', kind, metadata };
  if (o.spec !== undefined) out.spec = o.spec;
  return out;
}

export const hookAnn = (hook: string, extra: Record<string, string> = {}) => ({ 'argocd.argoproj.io/hook': hook, ...extra });
export const waveAnn = (wave: number | string, extra: Record<string, string> = {}) => ({
  'argocd.argoproj.io/sync-wave': String(wave),
  ...extra,
});

export function crd(group: string, kind: string, scope: 'Namespaced' | 'Cluster', ann?: Record<string, string>): KubeObject {
  const plural = `${kind.toLowerCase()}s`;
  return obj('CustomResourceDefinition', `${plural}.${group}`, { ann, spec: { group, scope, names: { kind, plural } } });
}

/** `Phase/wave/action/Kind/name` for each task in execution order. */
export function line(t: PlanTask): string {
  return `${t.phase}/${t.wave}/${t.action}/${t.key.kind}/${t.key.namespace ? t.key.namespace + '/' : ''}${t.key.name}`;
}

export function order(plan: SyncPlan): string[] {
  return flattenSteps(plan.steps).map(line);
}

export function messages(plan: { warnings: Array<{ message: string }> }): string[] {
  return plan.warnings.map((w) => w.message);
}
