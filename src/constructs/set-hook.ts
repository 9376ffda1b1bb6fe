/**
 * `setHook`: makes any cdk8s `ApiObject` (an imported `KubeJob`, a cdk8s-plus `Job`, a Pod, an Argo
 * Workflow, ...) an Argo CD hook, validated like the hook constructs.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  ANNOTATION_HOOK,
  ANNOTATION_HOOK_DELETE_POLICY,
  ANNOTATION_SYNC_WAVE,
  DeletePolicy,
  HookType,
  isDeletePhase,
  isHookPhase,
} from '../model';
import { HookValidationError } from './errors';
import { HookJob } from './hook-job';
import { checkPhases, checkPolicies } from './_hook-job-validate';
import { asList, checkDnsName, checkInteger, MAX_JOB_NAME, Problems, quote } from './_validate';

export interface SetHookOptions {
  /** One or more hook phases, or `Skip` alone. */
  readonly phase: HookType | readonly HookType[];
  /** Sync wave (integer, may be negative). @default - the object's existing wave annotation, if any */
  readonly wave?: number;
  /** When the hook is deleted. @default - the object's existing policy annotation, if any (else Argo CD's BeforeHookCreation) */
  readonly deletePolicy?: DeletePolicy | readonly DeletePolicy[];
}

const KNOWN = ['phase', 'wave', 'deletePolicy'];

function checkObject(p: Problems, manifest: Record<string, any>, phases: unknown[]): void {
  const kind = manifest.kind;
  const name = manifest.metadata?.name;
  if (kind === 'Job' && typeof name === 'string') checkDnsName(p, 'metadata.name', name, MAX_JOB_NAME);
  const del = phases.filter((ph) => typeof ph === 'string' && isHookPhase(ph) && isDeletePhase(ph));
  if (manifest.metadata?.generateName !== undefined && manifest.metadata?.name === undefined && del.length > 0) {
    p.add('phase', `${del.join('/')} hooks must have a name, not generateName (Argo CD creates delete hooks by name)`);
  }
  if (kind === 'Pod' && phases.some((ph) => ph !== 'Skip')) {
    const rp = manifest.spec?.restartPolicy;
    if (rp !== 'Never' && rp !== 'OnFailure') {
      p.add(
        'spec.restartPolicy',
        `a Pod hook must set restartPolicy Never or OnFailure (got ${rp === undefined ? 'none, i.e. Always' : quote(rp)}): with Always it never completes`,
      );
    }
  }
}

/**
 * Writes `argocd.argoproj.io/hook`, `hook-delete-policy` and `sync-wave` on `target` (an
 * `ApiObject` or a construct whose default child is one). Everything is checked before anything is
 * written; problems throw one `HookValidationError` naming the object's path and the option.
 *
 * For the hook constructs of this package (`HookJob`, `PreSyncJob`, ...) set their props instead.
 */
export function setHook(target: IConstruct, options: SetHookOptions): void {
  if (target instanceof HookJob) {
    throw new HookValidationError(target.node.path, [{ prop: 'phase', message: 'set the phase, wave and deletePolicy props of the hook construct instead of setHook()' }]);
  }
  const obj = ApiObject.of(target);
  const p = new Problems();
  const opts = (options ?? {}) as SetHookOptions;
  for (const k of Object.keys(opts)) if (!KNOWN.includes(k)) p.add(k, `unknown option (expected ${KNOWN.join(', ')})`);
  const phases = asList<unknown>(opts.phase);
  checkPhases(p, phases);
  const policies = asList<unknown>(opts.deletePolicy);
  checkPolicies(p, policies);
  checkInteger(p, 'wave', opts.wave);
  checkObject(p, obj.toJson() as Record<string, any>, phases);
  p.throwIfAny(obj.node.path);

  obj.metadata.addAnnotation(ANNOTATION_HOOK, phases.join(','));
  if (policies.length > 0) obj.metadata.addAnnotation(ANNOTATION_HOOK_DELETE_POLICY, policies.join(','));
  if (opts.wave !== undefined) obj.metadata.addAnnotation(ANNOTATION_SYNC_WAVE, String(opts.wave));
}
