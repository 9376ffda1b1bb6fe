/**
 * Which objects are cluster-scoped, and defaulting of `metadata.namespace` for the others.
 * Built-in cluster-scoped kinds are listed by kind with the API groups they are served in;
 * custom kinds are cluster-scoped when a CRD in the same set declares `spec.scope: Cluster`.
 */
import { groupOf, KubeObject } from '../model';

/** Built-in cluster-scoped kinds → the API groups that serve them. */
export const BUILTIN_CLUSTER_SCOPED: Readonly<Record<string, readonly string[]>> = {
  Namespace: [''],
  Node: [''],
  PersistentVolume: [''],
  ComponentStatus: [''],
  StorageClass: ['storage.k8s.io'],
  CSIDriver: ['storage.k8s.io'],
  CSINode: ['storage.k8s.io'],
  VolumeAttachment: ['storage.k8s.io'],
  VolumeAttributesClass: ['storage.k8s.io'],
  CustomResourceDefinition: ['apiextensions.k8s.io'],
  ClusterRole: ['rbac.authorization.k8s.io'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io'],
  APIService: ['apiregistration.k8s.io'],
  PriorityClass: ['scheduling.k8s.io'],
  IngressClass: ['networking.k8s.io'],
  IPAddress: ['networking.k8s.io'],
  ServiceCIDR: ['networking.k8s.io'],
  RuntimeClass: ['node.k8s.io'],
  ValidatingWebhookConfiguration: ['admissionregistration.k8s.io'],
  MutatingWebhookConfiguration: ['admissionregistration.k8s.io'],
  ValidatingAdmissionPolicy: ['admissionregistration.k8s.io'],
  ValidatingAdmissionPolicyBinding: ['admissionregistration.k8s.io'],
  MutatingAdmissionPolicy: ['admissionregistration.k8s.io'],
  MutatingAdmissionPolicyBinding: ['admissionregistration.k8s.io'],
  CertificateSigningRequest: ['certificates.k8s.io'],
  ClusterTrustBundle: ['certificates.k8s.io'],
  FlowSchema: ['flowcontrol.apiserver.k8s.io'],
  PriorityLevelConfiguration: ['flowcontrol.apiserver.k8s.io'],
  PodSecurityPolicy: ['policy', 'extensions'],
  DeviceClass: ['resource.k8s.io'],
  ResourceSlice: ['resource.k8s.io'],
  StorageVersionMigration: ['storagemigration.k8s.io'],
  TokenReview: ['authentication.k8s.io'],
  SelfSubjectReview: ['authentication.k8s.io'],
  SubjectAccessReview: ['authorization.k8s.io'],
  SelfSubjectAccessReview: ['authorization.k8s.io'],
  SelfSubjectRulesReview: ['authorization.k8s.io'],
};

/** Answers "is this group/kind cluster-scoped?". */
export type ScopeResolver = (group: string, kind: string) => boolean;

function isCrd(obj: KubeObject): boolean {
  return obj.kind === 'CustomResourceDefinition' && groupOf(obj.apiVersion ?? '') === 'apiextensions.k8s.io';
}

/** Built-in kinds plus the kinds of CRDs in `objects` that declare `spec.scope: Cluster`. */
export function scopeResolver(objects: readonly KubeObject[]): ScopeResolver {
  const custom = new Set<string>();
  for (const o of objects) {
    if (!o || !isCrd(o) || o.spec?.scope !== 'Cluster') continue;
    custom.add(`${o.spec?.group ?? ''}/${o.spec?.names?.kind ?? ''}`);
  }
  return (group, kind) => (BUILTIN_CLUSTER_SCOPED[kind]?.includes(group) ?? false) || custom.has(`${group}/${kind}`);
}

/**
 * Returns a function giving `obj` with `metadata.namespace = defaultNamespace` when the object is
 * namespaced (per `clusterScoped`: by default built-in kinds and CRDs in `objects`) and has none (a shallow copy; the input is never modified). Identity without a default.
 */
export function namespaceDefaulter(
  objects: readonly KubeObject[],
  defaultNamespace: string | undefined,
  clusterScoped: ScopeResolver = scopeResolver(objects),
): (obj: KubeObject) => KubeObject {
  if (!defaultNamespace) return (obj) => obj;
  return (obj) => {
    if (!obj || typeof obj.kind !== 'string' || obj.metadata?.namespace) return obj;
    if (clusterScoped(groupOf(obj.apiVersion ?? ''), obj.kind)) return obj;
    return { ...obj, metadata: { ...(obj.metadata ?? {}), namespace: defaultNamespace } };
  };
}
