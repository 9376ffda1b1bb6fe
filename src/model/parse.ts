/**
 * Parsing of the Argo CD / Helm annotations of one manifest into typed hook information.
 * Pure: no I/O, never throws on bad values; problems are returned so callers can report them
 * all at once (bad input is rejected before anything is written to a cluster).
 */
import {
  ANNOTATION_HOOK,
  ANNOTATION_HOOK_DELETE_POLICY,
  ANNOTATION_SYNC_OPTIONS,
  ANNOTATION_SYNC_WAVE,
  DeletePolicy,
  HELM_DELETE_POLICY_MAP,
  HELM_HOOK,
  HELM_HOOK_DELETE_POLICY,
  HELM_HOOK_MAP,
  HELM_HOOK_WEIGHT,
  HELM_RESOURCE_POLICY,
  HookPhase,
  isDeletePolicy,
  isHookPhase,
} from './annotations';
import { KubeObject } from './resource';

/** A problem found in a manifest's annotations, with the field it concerns. */
export interface AnnotationProblem {
  field: string;
  message: string;
}

export interface HookInfo {
  /** True when the object is a hook (has a supported hook phase), false for a managed resource. */
  isHook: boolean;
  /** The phases the object runs in, deduplicated, in the order written. Empty for managed resources. */
  phases: HookPhase[];
  /** `Skip` alone: never applied. */
  skip: boolean;
  /** Carries a hook annotation without any supported type (e.g. Helm `test`): never applied. */
  ignored: boolean;
  /** Why it is ignored/skipped, for warnings. */
  ignoreReason?: string;
  /** sync-wave, else helm hook-weight, else 0. */
  wave: number;
  /** Policies as written (Argo + Helm merged), deduplicated. */
  explicitDeletePolicies: DeletePolicy[];
  /** Effective policies: BeforeHookCreation when none are written (Argo's default). */
  deletePolicies: DeletePolicy[];
  /** Parsed `argocd.argoproj.io/sync-options`. */
  syncOptions: Record<string, string>;
  /** `Delete=false` or `helm.sh/resource-policy: keep`. */
  keepOnDelete: boolean;
  pruneDisabled: boolean;
  pruneLast: boolean;
  /** Where the phases came from. */
  source: 'argocd' | 'helm' | 'none';
  problems: AnnotationProblem[];
}

const INT_RE = /^[+-]?\d+$/;

function csv(v: string | undefined): string[] {
  if (v === undefined) return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Parses a wave value; returns undefined (and a problem) for a non-integer. */
export function parseWave(raw: string | undefined, field: string, problems: AnnotationProblem[]): number | undefined {
  if (raw === undefined) return undefined;
  const t = raw.trim();
  if (!INT_RE.test(t)) {
    problems.push({ field, message: `must be an integer, got "${raw}"` });
    return undefined;
  }
  return Number.parseInt(t, 10);
}

export function parseSyncOptions(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of csv(raw)) {
    const i = item.indexOf('=');
    if (i > 0) out[item.slice(0, i).trim()] = item.slice(i + 1).trim();
  }
  return out;
}

/** Annotation values as strings (YAML may give `sync-wave: 1` as a number). */
function stringAnnotations(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (v !== undefined && v !== null) out[k] = typeof v === 'string' ? v : String(v);
    }
  }
  return out;
}

export function parseHookInfo(obj: KubeObject): HookInfo {
  const ann = stringAnnotations(obj.metadata?.annotations);
  const problems: AnnotationProblem[] = [];
  const annField = (k: string) => `metadata.annotations["${k}"]`;

  // Phases: an Argo CD hook annotation wins over Helm's, per object (spec §6.2).
  let phases: HookPhase[] = [];
  let skip = false;
  let ignored = false;
  let ignoreReason: string | undefined;
  let source: HookInfo['source'] = 'none';
  if (ann[ANNOTATION_HOOK] !== undefined) {
    source = 'argocd';
    const values = uniq(csv(ann[ANNOTATION_HOOK]));
    for (const v of values) {
      if (v === 'Skip' || isHookPhase(v)) continue;
      problems.push({
        field: annField(ANNOTATION_HOOK),
        message: `unknown hook type "${v}" (expected one of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip)`,
      });
    }
    phases = values.filter(isHookPhase);
    if (values.length === 1 && values[0] === 'Skip') {
      skip = true;
      ignoreReason = 'annotated Skip';
    } else if (values.includes('Skip')) {
      problems.push({ field: annField(ANNOTATION_HOOK), message: 'Skip cannot be combined with another hook type' });
    }
    if (values.length === 0) {
      problems.push({ field: annField(ANNOTATION_HOOK), message: 'is empty' });
    }
  } else if (ann[HELM_HOOK] !== undefined) {
    source = 'helm';
    const values = uniq(csv(ann[HELM_HOOK]));
    const unsupported: string[] = [];
    for (const v of values) {
      if (!(v in HELM_HOOK_MAP)) {
        problems.push({ field: annField(HELM_HOOK), message: `unknown Helm hook "${v}"` });
        continue;
      }
      const mapped = HELM_HOOK_MAP[v];
      if (mapped) phases.push(mapped);
      else unsupported.push(v);
    }
    phases = uniq(phases);
    if (phases.length === 0 && unsupported.length > 0) {
      ignored = true;
      ignoreReason = `Helm hook ${unsupported.join(',')} is not supported by Argo CD; the object is never applied`;
    }
  }

  // Wave: sync-wave, else hook-weight (for any object), else 0.
  let wave = parseWave(ann[ANNOTATION_SYNC_WAVE], annField(ANNOTATION_SYNC_WAVE), problems);
  if (wave === undefined) wave = parseWave(ann[HELM_HOOK_WEIGHT], annField(HELM_HOOK_WEIGHT), problems);
  if (wave === undefined) wave = 0;

  // Delete policies: Argo's and Helm's merged.
  const policies: DeletePolicy[] = [];
  for (const v of csv(ann[ANNOTATION_HOOK_DELETE_POLICY])) {
    if (isDeletePolicy(v)) policies.push(v);
    else
      problems.push({
        field: annField(ANNOTATION_HOOK_DELETE_POLICY),
        message: `unknown delete policy "${v}" (expected BeforeHookCreation, HookSucceeded or HookFailed)`,
      });
  }
  for (const v of csv(ann[HELM_HOOK_DELETE_POLICY])) {
    const mapped = HELM_DELETE_POLICY_MAP[v];
    if (mapped) policies.push(mapped);
    else problems.push({ field: annField(HELM_HOOK_DELETE_POLICY), message: `unknown Helm delete policy "${v}"` });
  }
  const explicitDeletePolicies = uniq(policies);
  const deletePolicies: DeletePolicy[] = explicitDeletePolicies.length ? explicitDeletePolicies : ['BeforeHookCreation'];

  const syncOptions = parseSyncOptions(ann[ANNOTATION_SYNC_OPTIONS]);
  return {
    isHook: phases.length > 0,
    phases,
    skip,
    ignored,
    ignoreReason,
    wave,
    explicitDeletePolicies,
    deletePolicies,
    syncOptions,
    keepOnDelete: syncOptions['Delete'] === 'false' || ann[HELM_RESOURCE_POLICY] === 'keep',
    pruneDisabled: syncOptions['Prune'] === 'false',
    pruneLast: syncOptions['PruneLast'] === 'true',
    source,
    problems,
  };
}
