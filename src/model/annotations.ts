/**
 * The Argo CD (and Helm) annotation keys, hook phases, delete policies and sync options that
 * sync-hooks reads and writes. Everything else in the project refers to these constants, so the
 * vocabulary lives in exactly one place.
 */

export const ANNOTATION_HOOK = 'argocd.argoproj.io/hook';
export const ANNOTATION_HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
export const ANNOTATION_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const ANNOTATION_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/** Finalizer put on every hook while its result has not been read (Argo CD v3 parity). */
export const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

export const HELM_HOOK = 'helm.sh/hook';
export const HELM_HOOK_WEIGHT = 'helm.sh/hook-weight';
export const HELM_HOOK_DELETE_POLICY = 'helm.sh/hook-delete-policy';
export const HELM_RESOURCE_POLICY = 'helm.sh/resource-policy';

/** Every Argo CD annotation key our constructs may emit. */
export const ARGO_ANNOTATION_KEYS = [
  ANNOTATION_HOOK,
  ANNOTATION_HOOK_DELETE_POLICY,
  ANNOTATION_SYNC_WAVE,
  ANNOTATION_SYNC_OPTIONS,
] as const;

/** Hook phases that Argo CD understands (`Skip` is a marker, not a phase that runs). */
export const HOOK_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PreDelete', 'PostDelete'] as const;
export type HookPhase = (typeof HOOK_PHASES)[number];
export type HookType = HookPhase | 'Skip';
export const HOOK_TYPES: readonly HookType[] = [...HOOK_PHASES, 'Skip'];

/** Phases of a sync operation, in execution order (gitops-engine `syncPhaseOrder`). */
export const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];
export const SYNC_PHASE_ORDER: Record<SyncPhase, number> = { PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2 };

/** Phases that only run on teardown (Argo CD application deletion). */
export const DELETE_PHASES = ['PreDelete', 'PostDelete'] as const;
export type DeletePhase = (typeof DELETE_PHASES)[number];

export const DELETE_POLICIES = ['BeforeHookCreation', 'HookSucceeded', 'HookFailed'] as const;
export type DeletePolicy = (typeof DELETE_POLICIES)[number];

/** Helm hook names and how Argo CD maps them (spec §6.2). `undefined` = unsupported, never applied. */
export const HELM_HOOK_MAP: Record<string, HookPhase | undefined> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
  'pre-delete': 'PreDelete',
  'post-delete': 'PostDelete',
  'pre-rollback': undefined,
  'post-rollback': undefined,
  test: undefined,
  'test-success': undefined,
  'test-failure': undefined,
};

export const HELM_DELETE_POLICY_MAP: Record<string, DeletePolicy> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

/** Sync options (resource annotation `argocd.argoproj.io/sync-options`) that the engine honours (see sync-options.ts). */
export const SYNC_OPTIONS = [
  'Prune=false',
  'Delete=false',
  'PruneLast=true',
  'Replace=true',
  'Force=true',
  'Validate=false',
  'SkipDryRunOnMissingResource=true',
  'ServerSideApply=true',
] as const;
export type SyncOption = (typeof SYNC_OPTIONS)[number];

export function isHookPhase(v: string): v is HookPhase {
  return (HOOK_PHASES as readonly string[]).includes(v);
}
export function isDeletePolicy(v: string): v is DeletePolicy {
  return (DELETE_POLICIES as readonly string[]).includes(v);
}
export function isSyncPhase(v: string): v is SyncPhase {
  return (SYNC_PHASES as readonly string[]).includes(v);
}
export function isDeletePhase(v: string): v is DeletePhase {
  return (DELETE_PHASES as readonly string[]).includes(v);
}

/**
 * Env vars the engine injects into every container of every SyncFail hook: the phase, the object
 * (`Kind namespace/name`) and the message of the failure. Argo CD passes none of them.
 */
export const SYNC_HOOKS_FAILED_PHASE = 'SYNC_HOOKS_FAILED_PHASE';
export const SYNC_HOOKS_FAILED_OBJECT = 'SYNC_HOOKS_FAILED_OBJECT';
export const SYNC_HOOKS_FAILURE_MESSAGE = 'SYNC_HOOKS_FAILURE_MESSAGE';

/**
 * Label on every hook the engine creates: the operation that created it (`operationLabelValue`).
 * Also how the REST layer finds a create whose outcome is unknown (connection reset after the POST).
 */
export const LABEL_OPERATION = 'sync-hooks.dev/operation';
/**
 * Annotation the REST layer puts on every object it creates (POST): a random token per create, so
 * that after an ambiguous failure it can tell its own object from one made by someone else.
 */
export const ANNOTATION_CREATE_TOKEN = 'sync-hooks.dev/create-token';

/**
 * Label on every object the engine writes for an application that keeps an operation record
 * (managed objects and hooks): the application's name. What a killed run wrote is found by it
 * (`-l sync-hooks.dev/app=<app>`) without its record.
 */
export const LABEL_APP = 'sync-hooks.dev/app';
/** Annotation beside `LABEL_APP`: the id of the operation that last wrote the object. */
export const ANNOTATION_OPERATION_ID = 'sync-hooks.dev/operation-id';
/** Annotations of the application's lock (Lease): the kind of operation holding it, and its ttl in ms. */
export const ANNOTATION_LOCK_OPERATION_KIND = 'sync-hooks.dev/operation-kind';
export const ANNOTATION_LOCK_TTL_MS = 'sync-hooks.dev/lock-ttl-ms';

/** An operation id as a label value: at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends. */
export function operationLabelValue(operationId: string): string {
  return operationId
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
