/**
 * Internal: validation of `HookJobProps`.
 * @internal
 */
import { DELETE_POLICIES, HOOK_PHASES, HOOK_TYPES, HookPhase, isDeletePhase, isDeletePolicy, isHookPhase } from '../model';
import type { HookJobProps } from './hook-job';
import { checkEnv, checkEnvFrom, checkNoArgoKeys, checkTolerations, checkVolumes } from './_render';
import {
  asList,
  checkDnsLabel,
  checkDnsName,
  checkGenerateName,
  checkInteger,
  checkNonEmpty,
  MAX_JOB_NAME,
  Problems,
  quote,
} from './_validate';

function checkStrings(p: Problems, prop: string, v: unknown): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) p.add(prop, 'must be a list of strings');
}

export function checkPhases(p: Problems, phases: unknown[]): void {
  if (phases.length === 0) {
    p.add('phase', `must list at least one hook phase (${HOOK_PHASES.join(', ')})`);
    return;
  }
  const seen = new Set<unknown>();
  for (const ph of phases) {
    if (!(HOOK_TYPES as readonly unknown[]).includes(ph)) {
      p.add('phase', `unknown hook phase ${quote(ph)} (expected one of ${HOOK_TYPES.join(', ')})`);
    } else if (seen.has(ph)) p.add('phase', `lists "${String(ph)}" twice`);
    seen.add(ph);
  }
  if (phases.includes('Skip') && phases.length > 1) {
    p.add('phase', `'Skip' cannot be combined with another phase (got ${phases.join(',')}); Skip means the object is never applied`);
  }
}

export function checkPolicies(p: Problems, policies: unknown[]): void {
  const seen = new Set<unknown>();
  for (const dp of policies) {
    if (typeof dp !== 'string' || !isDeletePolicy(dp)) {
      p.add('deletePolicy', `unknown delete policy ${quote(dp)} (expected ${DELETE_POLICIES.join(', ')})`);
    } else if (seen.has(dp)) p.add('deletePolicy', `lists "${dp}" twice`);
    seen.add(dp);
  }
}

function checkNaming(p: Problems, props: HookJobProps, phases: unknown[]): void {
  if (props.name !== undefined) checkDnsName(p, 'name', props.name, MAX_JOB_NAME);
  if (props.generateName === undefined) return;
  checkGenerateName(p, 'generateName', props.generateName);
  if (props.name !== undefined) p.add('generateName', "cannot be combined with 'name'; set one of them");
  const del = phases.filter((ph): ph is HookPhase => typeof ph === 'string' && isHookPhase(ph) && isDeletePhase(ph));
  if (del.length > 0) {
    p.add(
      'generateName',
      `is not supported on ${del.join('/')} hooks (Argo CD creates delete hooks by name); set 'name' or leave both unset`,
    );
  }
}

/** All problems in a `HookJobProps`, in prop order. */
export function hookJobProblems(props: HookJobProps): Problems {
  const p = new Problems();
  const phases = asList<unknown>(props.phase);
  checkPhases(p, phases);
  checkPolicies(p, asList<unknown>(props.deletePolicy));
  checkInteger(p, 'wave', props.wave);
  checkNaming(p, props, phases);
  if (props.namespace !== undefined) checkDnsLabel(p, 'namespace', props.namespace);
  checkNoArgoKeys(p, 'annotations', props.annotations, 'use the phase, wave and deletePolicy props or setSyncOptions()');
  checkNoArgoKeys(p, 'labels', props.labels, 'Argo CD reads hook settings from annotations only');
  checkNonEmpty(p, 'image', props.image);
  checkStrings(p, 'command', props.command);
  checkStrings(p, 'args', props.args);
  checkEnv(p, 'env', props.env);
  checkEnvFrom(p, 'envFrom', props.envFrom);
  if (props.serviceAccountName !== undefined) checkDnsName(p, 'serviceAccountName', props.serviceAccountName);
  checkInteger(p, 'backoffLimit', props.backoffLimit, 0);
  checkInteger(p, 'activeDeadlineSeconds', props.activeDeadlineSeconds, 1);
  checkInteger(p, 'ttlSecondsAfterFinished', props.ttlSecondsAfterFinished, 0);
  checkVolumes(p, props.volumes, props.volumeMounts);
  checkTolerations(p, props.tolerations);
  if (props.restartPolicy !== undefined && props.restartPolicy !== 'Never' && props.restartPolicy !== 'OnFailure') {
    p.add('restartPolicy', `must be Never or OnFailure, got ${quote(props.restartPolicy)}`);
  }
  if (props.containerName !== undefined) checkDnsLabel(p, 'containerName', props.containerName);
  return p;
}
