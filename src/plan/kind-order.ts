/**
 * Argo CD's kind order inside one (phase, wave) (gitops-engine `sync_tasks.go` `kindOrder`, copied
 * from Helm's old kind sorter; spec §2.2). Each listed kind ranks `index - length` (negative);
 * unknown kinds, custom resources among them, rank 0 and so sort last.
 */
export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

const RANK = new Map<string, number>(KIND_ORDER.map((k, i) => [k, i - KIND_ORDER.length]));

/** Sort rank of a kind: negative for listed kinds (earlier = smaller), 0 for anything else. */
export function kindRank(kind: string): number {
  return RANK.get(kind) ?? 0;
}
