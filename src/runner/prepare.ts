/**
 * Manifests as the cluster will see them, normalized once: `metadata.namespace` removed from
 * cluster-scoped objects (cdk8s charts with a namespace set it on every object; kubectl ignores
 * it, so do we). Which kinds are cluster-scoped comes from the cluster's discovery
 * (`discoverScope`): a kind whose CRD was installed separately (a cert-manager ClusterIssuer) is
 * known only there. Without a cluster (preview), built-in kinds and CRDs in the set are used.
 */
import type { KubeClient } from '../engine';
import { groupOf, KubeObject } from '../model';
import { ScopeResolver, scopeResolver } from '../plan';
import { fromEntries, InventoryEntry } from './inventory';

export function prepareManifests(manifests: readonly KubeObject[], clusterScoped: ScopeResolver = scopeResolver(manifests)): KubeObject[] {
  return manifests.map((m) => {
    if (!m || typeof m !== 'object' || !m.metadata?.namespace || typeof m.kind !== 'string') return m;
    if (!clusterScoped(groupOf(m.apiVersion ?? ''), m.kind)) return m;
    const metadata = { ...m.metadata };
    delete metadata.namespace;
    return { ...m, metadata };
  });
}

/**
 * The scope of every kind among `objects` as the cluster serves it; kinds it does not serve (yet)
 * fall back to built-in kinds and CRDs in the set.
 */
export async function discoverScope(client: KubeClient, objects: readonly KubeObject[]): Promise<ScopeResolver> {
  const guess = scopeResolver(objects);
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const o of objects) {
    if (o && typeof o.apiVersion === 'string' && typeof o.kind === 'string' && o.apiVersion && o.kind) kinds.set(`${o.apiVersion}|${o.kind}`, { apiVersion: o.apiVersion, kind: o.kind });
  }
  const discovered = new Map<string, boolean>();
  await Promise.all(
    [...kinds.values()].map(async ({ apiVersion, kind }) => {
      const namespaced = await client.isNamespaced(apiVersion, kind);
      if (namespaced !== undefined) discovered.set(`${groupOf(apiVersion)}/${kind}`, !namespaced);
    }),
  );
  return (group, kind) => discovered.get(`${group}/${kind}`) ?? guess(group, kind);
}

/**
 * Scope as recorded by the last sync (for the drift check, which has no cluster): a kind with an
 * inventory entry without a namespace was discovered cluster-scoped; others fall back to the guess.
 */
export function inventoryScope(entries: readonly InventoryEntry[], objects: readonly KubeObject[]): ScopeResolver {
  const guess = scopeResolver(objects);
  const known = new Map<string, boolean>();
  for (const o of fromEntries(entries)) known.set(`${groupOf(o.apiVersion)}/${o.kind}`, !o.metadata.namespace);
  return (group, kind) => known.get(`${group}/${kind}`) ?? guess(group, kind);
}
