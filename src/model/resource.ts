/** Plain Kubernetes object shapes and identity, shared by every layer. */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  generation?: number;
  uid?: string;
  resourceVersion?: string;
  deletionTimestamp?: string;
  creationTimestamp?: string;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string }>;
  [key: string]: unknown;
}

/** A Kubernetes manifest or live object. Only the envelope is typed; spec/status stay open. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/** Identity of an object: group/kind/namespace/name. Version is deliberately not part of it. */
export interface ResourceKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export function groupOf(apiVersion: string | undefined): string {
  if (typeof apiVersion !== 'string') return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function keyOf(obj: KubeObject): ResourceKey {
  return {
    group: groupOf(obj.apiVersion),
    kind: obj.kind ?? '',
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? obj.metadata?.generateName ?? '',
  };
}

/** `group/kind/namespace/name`, e.g. `apps/Deployment/default/web` or `/Namespace//shop`. */
export function formatKey(k: ResourceKey): string {
  return `${k.group}/${k.kind}/${k.namespace}/${k.name}`;
}

export function parseKey(s: string): ResourceKey {
  const parts = s.split('/');
  if (parts.length !== 4) throw new Error(`invalid resource key "${s}": expected group/kind/namespace/name`);
  const [group, kind, namespace, name] = parts;
  return { group, kind, namespace, name };
}

/** Human-readable name for messages: `Deployment default/web`, `Namespace shop`. */
export function describe(obj: KubeObject | ResourceKey): string {
  const k = 'apiVersion' in obj ? keyOf(obj as KubeObject) : (obj as ResourceKey);
  return k.namespace ? `${k.kind} ${k.namespace}/${k.name}` : `${k.kind} ${k.name}`;
}
