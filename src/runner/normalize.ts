/** Canonical JSON for manifests: sorted keys, no undefined, so equal charts compare equal. */
import { KubeObject } from '../model';

export function canonicalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonicalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = canonicalize(x);
    }
    return out;
  }
  return v;
}

export function stableStringify(v: unknown): string {
  return JSON.stringify(canonicalize(v));
}

export function normalizeManifests(objs: readonly unknown[]): KubeObject[] {
  return objs.filter((o) => o !== null && o !== undefined).map((o) => canonicalize(o) as KubeObject);
}
