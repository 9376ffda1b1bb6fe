/**
 * The resource names and scopes of Kubernetes' own GA kinds, which every API server since 1.22
 * serves the same way: the client needs no discovery request for them (client-go's static
 * REST mappings do the same; kubectl keeps a discovery cache on disk instead). Any other
 * apiVersion/kind (custom resources, aggregated APIs, beta versions) is looked up in discovery.
 */
export interface BuiltinResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

type Table = Record<string, Record<string, [name: string, namespaced: boolean]>>;

const TABLE: Table = {
  v1: {
    ConfigMap: ['configmaps', true],
    Endpoints: ['endpoints', true],
    Event: ['events', true],
    LimitRange: ['limitranges', true],
    Namespace: ['namespaces', false],
    Node: ['nodes', false],
    PersistentVolume: ['persistentvolumes', false],
    PersistentVolumeClaim: ['persistentvolumeclaims', true],
    Pod: ['pods', true],
    PodTemplate: ['podtemplates', true],
    ReplicationController: ['replicationcontrollers', true],
    ResourceQuota: ['resourcequotas', true],
    Secret: ['secrets', true],
    Service: ['services', true],
    ServiceAccount: ['serviceaccounts', true],
  },
  'apps/v1': {
    ControllerRevision: ['controllerrevisions', true],
    DaemonSet: ['daemonsets', true],
    Deployment: ['deployments', true],
    ReplicaSet: ['replicasets', true],
    StatefulSet: ['statefulsets', true],
  },
  'batch/v1': { CronJob: ['cronjobs', true], Job: ['jobs', true] },
  'coordination.k8s.io/v1': { Lease: ['leases', true] },
  'networking.k8s.io/v1': { Ingress: ['ingresses', true], IngressClass: ['ingressclasses', false], NetworkPolicy: ['networkpolicies', true] },
  'policy/v1': { PodDisruptionBudget: ['poddisruptionbudgets', true] },
  'rbac.authorization.k8s.io/v1': {
    ClusterRole: ['clusterroles', false],
    ClusterRoleBinding: ['clusterrolebindings', false],
    Role: ['roles', true],
    RoleBinding: ['rolebindings', true],
  },
  'apiextensions.k8s.io/v1': { CustomResourceDefinition: ['customresourcedefinitions', false] },
  'autoscaling/v2': { HorizontalPodAutoscaler: ['horizontalpodautoscalers', true] },
  'storage.k8s.io/v1': { StorageClass: ['storageclasses', false] },
  'scheduling.k8s.io/v1': { PriorityClass: ['priorityclasses', false] },
};

/** Every entry of the table, as `[apiVersion, resource]` (tests compare it with a live discovery). */
export function builtinResources(): Array<[apiVersion: string, resource: BuiltinResource]> {
  return Object.entries(TABLE).flatMap(([apiVersion, kinds]) => Object.entries(kinds).map(([kind, [name, namespaced]]) => [apiVersion, { name, kind, namespaced }] as [string, BuiltinResource]));
}

/** The resource of a built-in GA kind, or undefined (then discovery decides). */
export function builtinResource(apiVersion: string, kind: string): BuiltinResource | undefined {
  const hit = TABLE[apiVersion]?.[kind];
  return hit ? { name: hit[0], kind, namespaced: hit[1] } : undefined;
}
