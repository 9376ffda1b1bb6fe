/**
 * Name lengths, checked before anything is written: a name the API server would refuse at apply
 * time (after earlier waves were written) is reported now, naming the object and the field.
 *
 * - most kinds: a DNS-1123 subdomain, at most 253 characters;
 * - Namespace, Service: a DNS label, at most 63;
 * - Job: at most 63 (the name becomes the value of the `job-name` label of its Pods);
 * - CronJob: at most 52 (its Jobs' names add an 11-character suffix).
 *
 * A `generateName` hook is created as `<generateName><operation id, 7>-<phase>-<unix seconds, 10>`
 * (engine/hooks.ts `generatedHookName`), so the limit applies to that whole name, per phase.
 */
import { groupOf, KubeObject } from '../model';
import { ManifestProblem } from './errors';

const DEFAULT_MAX = 253;
const MAX_BY_KIND: Readonly<Record<string, number>> = {
  '/Namespace': 63,
  '/Service': 63,
  'batch/Job': 63,
  'batch/CronJob': 52,
};

/** Longest name the API server accepts for this kind. */
export function maxNameLength(obj: KubeObject): number {
  return MAX_BY_KIND[`${groupOf(typeof obj.apiVersion === 'string' ? obj.apiVersion : '')}/${obj.kind}`] ?? DEFAULT_MAX;
}

/** Length of the suffix the engine appends to `generateName` in `phase`: `<id7>-<phase>-<unix10>`. */
export function generatedSuffixLength(phase: string): number {
  return 7 + 1 + phase.length + 1 + 10;
}

type Report = (field: string, message: string) => void;

/** An empty chart: syncing it would only prune what the last sync applied. */
export function emptyChartProblem(object: string, field: string): ManifestProblem {
  return {
    object,
    field,
    message: 'contains no objects; an empty chart would only prune what the last sync applied (to remove everything, delete or destroy instead)',
  };
}

/** Reports names (or generated hook names, per phase) longer than the kind allows. */
export function checkNameLength(obj: KubeObject, phases: readonly string[], report: Report): void {
  const m = obj.metadata;
  const max = maxNameLength(obj);
  if (typeof m.name === 'string' && m.name.length > 0) {
    if (m.name.length > max) report('metadata.name', `is ${m.name.length} characters; a ${obj.kind} name may have at most ${max}`);
    return;
  }
  if (typeof m.generateName !== 'string' || m.generateName.length === 0) return;
  const longest = phases.reduce((a, p) => (generatedSuffixLength(p) > generatedSuffixLength(a) ? p : a), phases[0] ?? '');
  if (!longest) return;
  const total = m.generateName.length + generatedSuffixLength(longest);
  if (total > max) {
    report(
      'metadata.generateName',
      `"${m.generateName}" (${m.generateName.length} characters) gives ${obj.kind} names of ${total} characters in ${longest} ` +
        `(suffix <operation id>-${longest.toLowerCase()}-<unix time>, ${generatedSuffixLength(longest)} characters); ` +
        `a ${obj.kind} name may have at most ${max}: shorten generateName to at most ${max - generatedSuffixLength(longest)} characters`,
    );
  }
}
