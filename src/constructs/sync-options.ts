/**
 * Argo CD annotations for any cdk8s `ApiObject` (or a construct whose default child is one):
 * sync wave, Skip, and sync options.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ANNOTATION_HOOK, ANNOTATION_SYNC_OPTIONS, ANNOTATION_SYNC_WAVE, parseSyncOptions, SYNC_OPTIONS } from '../model';
import { HookValidationError } from './errors';
import { HookJob } from './hook-job';
import { checkInteger, Problems, quote } from './_validate';

/** Sync options settable per resource. Only settings that differ from Argo CD's defaults are written. */
export interface SyncOptionsProps {
  /** `false` writes `Prune=false`: never pruned when removed from the app. @default true */
  readonly prune?: boolean;
  /** `false` writes `Delete=false`: kept when the application is deleted. @default true */
  readonly delete?: boolean;
  /** `true` writes `PruneLast=true`: pruned after every other resource is synced and healthy. @default false */
  readonly pruneLast?: boolean;
}

function annotationsOf(obj: ApiObject): Record<string, string> {
  return (obj.metadata.toJson().annotations ?? {}) as Record<string, string>;
}

function rejectHookJob(target: IConstruct, prop: string, hint: string): void {
  if (target instanceof HookJob) throw new HookValidationError(target.node.path, [{ prop, message: hint }]);
}

/** Sets `argocd.argoproj.io/sync-wave` (an integer, may be negative). For hook constructs use their `wave` prop. */
export function setSyncWave(target: IConstruct, wave: number): void {
  rejectHookJob(target, 'wave', "set the 'wave' prop of the hook construct instead of setSyncWave()");
  const obj = ApiObject.of(target);
  const p = new Problems();
  checkInteger(p, 'wave', wave);
  p.throwIfAny(obj.node.path);
  obj.metadata.addAnnotation(ANNOTATION_SYNC_WAVE, String(wave));
}

/** Marks the object `Skip`: Argo CD (and the sync-hooks engine) never apply it. For hook constructs use `phase: 'Skip'`. */
export function markSkip(target: IConstruct): void {
  rejectHookJob(target, 'phase', "set phase: 'Skip' on the hook construct instead of markSkip()");
  const obj = ApiObject.of(target);
  const existing = annotationsOf(obj)[ANNOTATION_HOOK];
  if (existing !== undefined && existing !== 'Skip') {
    throw new HookValidationError(obj.node.path, [
      { prop: 'phase', message: `'Skip' cannot be combined with another phase (the object is already a ${existing} hook)` },
    ]);
  }
  obj.metadata.addAnnotation(ANNOTATION_HOOK, 'Skip');
}

const OPTION_OF: Record<keyof SyncOptionsProps, { name: string; argoDefault: boolean }> = {
  prune: { name: 'Prune', argoDefault: true },
  delete: { name: 'Delete', argoDefault: true },
  pruneLast: { name: 'PruneLast', argoDefault: false },
};

/**
 * Sets `argocd.argoproj.io/sync-options`, e.g. `{ prune: false, delete: false, pruneLast: true }`
 * writes `Prune=false,Delete=false,PruneLast=true`. Options already on the object are kept unless
 * overridden; an option set back to Argo CD's default is removed.
 */
export function setSyncOptions(target: IConstruct, options: SyncOptionsProps): void {
  const obj = ApiObject.of(target);
  const p = new Problems();
  for (const [k, v] of Object.entries(options)) {
    if (!(k in OPTION_OF)) p.add(k, `unknown sync option (expected ${Object.keys(OPTION_OF).join(', ')})`);
    else if (v !== undefined && typeof v !== 'boolean') p.add(k, `must be a boolean, got ${quote(v)}`);
  }
  p.throwIfAny(obj.node.path);

  const current = parseSyncOptions(annotationsOf(obj)[ANNOTATION_SYNC_OPTIONS]);
  for (const [k, { name, argoDefault }] of Object.entries(OPTION_OF)) {
    const v = options[k as keyof SyncOptionsProps];
    if (v === undefined) continue;
    if (v === argoDefault) delete current[name];
    else current[name] = String(v);
  }
  const items = Object.entries(current).map(([k, v]) => `${k}=${v}`);
  const order = (s: string) => {
    const i = (SYNC_OPTIONS as readonly string[]).indexOf(s);
    return i < 0 ? SYNC_OPTIONS.length : i;
  };
  items.sort((a, b) => order(a) - order(b));
  if (items.length > 0) obj.metadata.addAnnotation(ANNOTATION_SYNC_OPTIONS, items.join(','));
  else removeAnnotation(obj, ANNOTATION_SYNC_OPTIONS);
}

/** cdk8s has no removeAnnotation; its annotations map is a plain object held by the metadata. */
function removeAnnotation(obj: ApiObject, key: string): void {
  const annotations = (obj.metadata as unknown as { annotations?: Record<string, string> }).annotations;
  if (annotations) delete annotations[key];
}
