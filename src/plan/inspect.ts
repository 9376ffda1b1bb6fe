/**
 * Per-object analysis shared by the sync and teardown planners: annotation parsing (problems become
 * warnings, never dropped), the object's key, and which phases it takes part in.
 */
import {
  describe,
  formatKey,
  HELM_HOOK,
  HELM_HOOK_MAP,
  HookInfo,
  HookPhase,
  isSyncPhase,
  keyOf,
  KubeObject,
  parseHookInfo,
  PlanWarning,
  ResourceKey,
  SyncPhase,
} from '../model';

export interface Inspected {
  /** The object as planned (namespace defaulted, non-string annotation values stringified). */
  object: KubeObject;
  info: HookInfo;
  key: ResourceKey;
  /** Annotation problems, as warnings. */
  warnings: PlanWarning[];
}

/** Key of an object that may lack apiVersion/metadata (unvalidated input). */
export function safeKey(obj: KubeObject): ResourceKey {
  return keyOf({ ...obj, apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '', metadata: obj.metadata ?? {} });
}

/** `Kind namespace/name` for messages, with placeholders for missing parts. */
export function label(key: ResourceKey): string {
  return describe({ ...key, kind: key.kind || '(no kind)', name: key.name || '(no name)' });
}

/** Argo CD parses annotations as strings; a YAML number (`sync-wave: 1`) is read as its text. */
function stringifyAnnotations(obj: KubeObject, warnings: PlanWarning[], key: ResourceKey): KubeObject {
  const ann = obj.metadata?.annotations;
  if (!ann || Object.values(ann).every((v) => typeof v === 'string')) return obj;
  const fixed: Record<string, string> = {};
  for (const [k, v] of Object.entries(ann)) {
    if (typeof v !== 'string') {
      warnings.push({
        key,
        message: `${label(key)}: metadata.annotations["${k}"]: must be a string, got ${JSON.stringify(v)}; read as "${String(v)}"`,
      });
    }
    fixed[k] = String(v);
  }
  return { ...obj, metadata: { ...obj.metadata, annotations: fixed } };
}

function unsupportedHelmHooks(obj: KubeObject): string[] {
  const raw = obj.metadata?.annotations?.[HELM_HOOK] ?? '';
  const values = raw.split(',').map((v) => v.trim());
  return [...new Set(values.filter((v) => v in HELM_HOOK_MAP && HELM_HOOK_MAP[v] === undefined))];
}

/** Parses one object (already namespace-defaulted). */
export function inspect(obj: KubeObject): Inspected {
  const key = safeKey(obj);
  const warnings: PlanWarning[] = [];
  const missing = [!obj.apiVersion && 'apiVersion', !obj.kind && 'kind', !obj.metadata?.name && !obj.metadata?.generateName && 'metadata.name'];
  for (const field of missing.filter((f): f is string => typeof f === 'string')) {
    warnings.push({ key, message: `${label(key)}: ${field}: is required` });
  }
  const object = stringifyAnnotations(obj, warnings, key);
  const info = parseHookInfo(object);
  for (const p of info.problems) warnings.push({ key, message: `${label(key)}: ${p.field}: ${p.message}` });
  const unsupported = info.source === 'helm' && info.isHook ? unsupportedHelmHooks(object) : [];
  if (unsupported.length > 0) {
    warnings.push({ key, message: `${label(key)}: Helm hook ${unsupported.join(',')} is not supported by Argo CD and is ignored` });
  }
  return { object, info, key, warnings };
}

/**
 * The sync phases an object is planned in, or a reason it is left out of the sync plan.
 * Non-hooks run in Sync; hooks in each of their sync phases (one task per phase).
 */
export function syncPhasesOf(info: HookInfo): { phases: SyncPhase[]; leftOut?: string } {
  if (info.skip) return { phases: [], leftOut: 'not applied: annotated Skip' };
  if (info.ignored) return { phases: [], leftOut: `not applied: ${info.ignoreReason ?? 'unsupported hook type'}` };
  if (!info.isHook) {
    if (info.source !== 'none') return { phases: [], leftOut: 'not applied: the hook annotation names no supported hook type' };
    return { phases: ['Sync'] };
  }
  const phases = info.phases.filter(isSyncPhase);
  if (phases.length === 0) {
    return { phases: [], leftOut: `runs only on teardown (${info.phases.join(',')}); not part of the sync plan` };
  }
  return { phases };
}

/** Task id: `<phase>:<group/kind/namespace/name>`. */
export function taskId(phase: SyncPhase | HookPhase, key: ResourceKey): string {
  return `${phase}:${formatKey(key)}`;
}

/** Identity of an object for duplicate detection (generateName objects are distinct from named ones). */
export function identity(obj: KubeObject, key: ResourceKey): string {
  return obj.metadata?.name ? formatKey(key) : `${formatKey(key)}*`;
}
