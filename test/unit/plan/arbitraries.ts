/** fast-check generators of small, key-unique manifest sets. */
import fc from 'fast-check';
import { KubeObject } from '../../../src/model';

const NAMESPACED = ['ConfigMap', 'Secret', 'Deployment', 'Job', 'Service', 'Widget', 'Gadget'] as const;
const CLUSTER = ['Namespace', 'ClusterRole', 'CustomResourceDefinition'] as const;
const API: Record<string, string> = {
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Namespace: 'v1',
  Deployment: 'apps/v1',
  Job: 'batch/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  Widget: 'example.com/v1',
  Gadget: 'example.com/v1',
};
export const NAMES = ['a', 'b', 'c'] as const;
const HOOK_TYPES = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PreDelete', 'PostDelete'] as const;

export interface Spec {
  kind: string;
  name: string;
  ns: string;
  hook?: string;
  wave?: number;
  pruneLast?: boolean;
}

const hookArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.subarray([...HOOK_TYPES], { minLength: 1, maxLength: 2 }).map((h) => h.join(',')) },
  { weight: 1, arbitrary: fc.constant('Skip') },
);

const waveArb = fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined });

const namespacedSpec = fc.record({
  kind: fc.constantFrom(...NAMESPACED),
  name: fc.constantFrom(...NAMES),
  ns: fc.constantFrom(...NAMES),
  hook: hookArb,
  wave: waveArb,
});

const clusterSpec = fc.record({
  kind: fc.constantFrom(...CLUSTER),
  name: fc.constantFrom(...NAMES),
  ns: fc.constant(''),
  hook: hookArb,
  wave: waveArb,
});

export function build(s: Spec): KubeObject {
  const annotations: Record<string, string> = {};
  if (s.hook) annotations['argocd.argoproj.io/hook'] = s.hook;
  if (s.wave !== undefined) annotations['argocd.argoproj.io/sync-wave'] = String(s.wave);
  if (s.pruneLast) annotations['argocd.argoproj.io/sync-options'] = 'PruneLast=true';
  const o: KubeObject = { apiVersion: API[s.kind], kind: s.kind, metadata: { name: s.name, annotations } };
  if (s.ns) o.metadata.namespace = s.ns;
  if (s.kind === 'CustomResourceDefinition') {
    // name a → Widget, otherwise Gadget: at most one CRD per (kind, name), possibly two for Gadget.
    const kind = s.name === 'a' ? 'Widget' : 'Gadget';
    o.spec = { group: 'example.com', scope: 'Namespaced', names: { kind } };
  }
  return o;
}

const keyOfSpec = (s: Spec) => `${s.kind}/${s.ns}/${s.name}`;

/** Key-unique specs (namespaced and cluster-scoped objects mixed). */
export const specsArb = fc.uniqueArray(fc.oneof({ weight: 3, arbitrary: namespacedSpec }, { weight: 1, arbitrary: clusterSpec }), {
  selector: keyOfSpec,
  maxLength: 14,
});

/** Managed (non-hook) objects for `previous`, optionally PruneLast. */
export const previousArb = fc.uniqueArray(
  fc.record({
    kind: fc.constantFrom('ConfigMap', 'Secret', 'Deployment', 'Widget'),
    name: fc.constantFrom('a', 'b', 'c', 'old1', 'old2'),
    ns: fc.constantFrom(...NAMES),
    wave: waveArb,
    pruneLast: fc.boolean(),
  }),
  { selector: keyOfSpec, maxLength: 10 },
);

/** The sync phases an object is expected in, computed independently of the planner. */
export function expectedSyncPhases(s: Spec): string[] {
  if (!s.hook) return ['Sync'];
  if (s.hook === 'Skip') return [];
  return s.hook.split(',').filter((h) => ['PreSync', 'Sync', 'PostSync', 'SyncFail'].includes(h));
}
