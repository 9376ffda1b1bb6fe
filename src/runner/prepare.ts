/**
 * Manifests as the cluster will see them: `metadata.namespace` removed from cluster-scoped objects
 * (cdk8s charts with a namespace set it on every object; kubectl ignores it, so do we).
 */
import { groupOf, KubeObject } from '../model';
import { scopeResolver } from '../plan';

export function prepareManifests(manifests: readonly KubeObject[]): KubeObject[] {
  const clusterScoped = scopeResolver(manifests);
  return manifests.map((m) => {
    if (!m || typeof m !== 'object' || !m.metadata?.namespace || typeof m.kind !== 'string') return m;
    if (!clusterScoped(groupOf(m.apiVersion), m.kind)) return m;
    const metadata = { ...m.metadata };
    delete metadata.namespace;
    return { ...m, metadata };
  });
}
