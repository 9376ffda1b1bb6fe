/**
 * Static validation of manifests before anything is written to a cluster: every problem is
 * collected and reported in one ManifestValidationError. Checks: apiVersion, kind and
 * metadata.name (generateName only for sync-phase hooks); string annotation and label values;
 * the hook annotations (unknown types, Skip combined, delete policies, non-integer waves); name
 * lengths (generated hook names included, names.ts);
 * duplicate objects (same group/kind/namespace/name once the default namespace is applied).
 */
import { formatKey, groupOf, isSyncPhase, KubeObject, parseHookInfo } from '../model';
import { namespaceDefaulter } from '../plan/scope';
import { ManifestProblem, throwIfProblems } from './errors';
import { checkNameLength } from './names';
import { sourceOf } from './source';

export interface ValidateOptions {
  /** The namespace the sync will give to namespaced objects without one (affects duplicates). */
  defaultNamespace?: string;
}

type Report = (field: string, message: string) => void;

const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** `Kind namespace/name` for messages, tolerant of missing fields. */
export function objectLabel(obj: KubeObject): string {
  const m = (obj.metadata ?? {}) as KubeObject['metadata'];
  const kind = isNonEmptyString(obj.kind) ? obj.kind : '(no kind)';
  const name = isNonEmptyString(m.name) ? m.name : isNonEmptyString(m.generateName) ? `${m.generateName}*` : '(no name)';
  return isNonEmptyString(m.namespace) ? `${kind} ${m.namespace}/${name}` : `${kind} ${name}`;
}

function checkStringMap(obj: KubeObject, field: 'labels' | 'annotations', report: Report): void {
  const map = obj.metadata?.[field];
  if (map === undefined) return;
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    report(`metadata.${field}`, 'must be a map of strings');
    return;
  }
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string') report(`metadata.${field}["${k}"]`, `must be a string, got ${JSON.stringify(v)} (quote the value)`);
  }
}

/** The object with non-string annotation values stringified, so annotation parsing can run. */
function withStringAnnotations(obj: KubeObject): KubeObject {
  const ann = obj.metadata?.annotations;
  if (!ann || typeof ann !== 'object') return { ...obj, metadata: { ...obj.metadata, annotations: {} } };
  return { ...obj, metadata: { ...obj.metadata, annotations: Object.fromEntries(Object.entries(ann).map(([k, v]) => [k, String(v)])) } };
}

function checkName(obj: KubeObject, phases: string[], report: Report): void {
  const m = obj.metadata;
  if (isNonEmptyString(m.name)) return;
  if (!isNonEmptyString(m.generateName)) {
    report('metadata.name', 'is required');
    return;
  }
  if (phases.length === 0 || !phases.every(isSyncPhase)) {
    report('metadata.generateName', 'is only supported for sync-phase hooks (PreSync, Sync, PostSync, SyncFail); set metadata.name');
  }
}

/** Problems of one object on its own (no cross-object checks). */
function objectProblems(obj: KubeObject, report: Report): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    report('', 'is not a Kubernetes object');
    return [];
  }
  if (!isNonEmptyString(obj.apiVersion)) report('apiVersion', 'is required');
  if (!isNonEmptyString(obj.kind)) report('kind', 'is required');
  if (obj.metadata === null || typeof obj.metadata !== 'object') {
    report('metadata.name', 'is required');
    return [];
  }
  checkStringMap(obj, 'labels', report);
  checkStringMap(obj, 'annotations', report);
  const info = parseHookInfo(withStringAnnotations(obj));
  for (const p of info.problems) report(p.field, p.message);
  checkName(obj, info.phases, report);
  checkNameLength(obj, info.phases, report);
  return info.phases;
}

/** Identities an object occupies: its key, or for generateName hooks its key in each phase. */
function identities(obj: KubeObject, phases: string[]): string[] {
  if (!isNonEmptyString(obj.kind) || !obj.metadata) return [];
  const m = obj.metadata;
  const key = formatKey({ group: groupOf(obj.apiVersion ?? ''), kind: obj.kind, namespace: m.namespace ?? '', name: m.name || m.generateName || '' });
  if (isNonEmptyString(m.name)) return [key];
  return isNonEmptyString(m.generateName) ? phases.map((p) => `${p}:${key}*`) : [];
}

/** Every problem in `objs`; empty when they are valid. */
export function manifestProblems(objs: readonly KubeObject[], opts: ValidateOptions = {}): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const withNamespace = namespaceDefaulter(objs.filter((o) => o && typeof o === 'object'), opts.defaultNamespace);
  const seen = new Map<string, KubeObject>();
  for (const obj of objs) {
    const source = obj && typeof obj === 'object' ? sourceOf(obj) : undefined;
    const object = obj && typeof obj === 'object' ? objectLabel(obj) : String(obj);
    const report: Report = (field, message) => problems.push({ ...(source ? { source } : {}), object, field, message });
    const phases = objectProblems(obj, report);
    if (!obj || typeof obj !== 'object' || !obj.metadata || typeof obj.metadata !== 'object') continue;
    for (const id of identities(withNamespace(obj), phases)) {
      const first = seen.get(id);
      if (!first) seen.set(id, obj);
      else report('metadata.name', `duplicate object: ${objectLabel(withNamespace(first))} is also defined${sourceOf(first) ? ` at ${sourceOf(first)}` : ''}`);
    }
  }
  return problems;
}

/** Throws one ManifestValidationError listing every problem in `objs`. */
export function validateManifests(objs: readonly KubeObject[], opts: ValidateOptions = {}): void {
  throwIfProblems(manifestProblems(objs, opts));
}
