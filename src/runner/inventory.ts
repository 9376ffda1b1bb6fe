/**
 * The inventory: what a sync applied, kept so the next sync can prune and a teardown knows what to
 * delete. The Pulumi provider keeps it in the resource's state; the CLI in a ConfigMap.
 * Entries keep only the annotations prune and teardown decisions depend on.
 */
import {
  ANNOTATION_SYNC_OPTIONS,
  ANNOTATION_SYNC_WAVE,
  formatKey,
  HELM_HOOK_WEIGHT,
  HELM_RESOURCE_POLICY,
  KubeObject,
  keyOf,
  ResourceKey,
} from '../model';

export interface InventoryEntry {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  annotations?: Record<string, string>;
}

const KEPT_ANNOTATIONS = [ANNOTATION_SYNC_OPTIONS, ANNOTATION_SYNC_WAVE, HELM_HOOK_WEIGHT, HELM_RESOURCE_POLICY];

export function toEntry(obj: KubeObject): InventoryEntry {
  const ann: Record<string, string> = {};
  for (const k of KEPT_ANNOTATIONS) {
    const v = obj.metadata?.annotations?.[k];
    if (v !== undefined) ann[k] = String(v);
  }
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata.name ?? '',
    ...(Object.keys(ann).length ? { annotations: ann } : {}),
  };
}

/** Minimal objects for `planSync({previous})` and teardown. */
export function fromEntries(entries: readonly InventoryEntry[]): KubeObject[] {
  return entries.map((e) => ({
    apiVersion: e.apiVersion,
    kind: e.kind,
    metadata: { name: e.name, ...(e.namespace ? { namespace: e.namespace } : {}), ...(e.annotations ? { annotations: { ...e.annotations } } : {}) },
  }));
}

/** Inventory entries for the applied keys, taking apiVersion and annotations from the manifests. */
export function entriesFor(applied: readonly ResourceKey[], manifests: readonly KubeObject[], previous: readonly InventoryEntry[] = []): InventoryEntry[] {
  const byKey = new Map<string, KubeObject>();
  for (const m of manifests) byKey.set(formatKey(keyOf(m)), m);
  for (const o of fromEntries(previous)) if (!byKey.has(formatKey(keyOf(o)))) byKey.set(formatKey(keyOf(o)), o);
  const out: InventoryEntry[] = [];
  const seen = new Set<string>();
  for (const k of applied) {
    const id = formatKey(k);
    if (seen.has(id)) continue;
    seen.add(id);
    const m = byKey.get(id);
    if (m) out.push(toEntry(m));
  }
  return out;
}

/** Union of two inventories (e.g. what survived from before a failed sync plus what it applied). */
export function mergeEntries(a: readonly InventoryEntry[], b: readonly InventoryEntry[]): InventoryEntry[] {
  const map = new Map<string, InventoryEntry>();
  for (const e of [...a, ...b]) map.set(entryId(e), e);
  return [...map.values()];
}

export function entryId(e: InventoryEntry): string {
  return formatKey(keyOf(fromEntries([e])[0]));
}
