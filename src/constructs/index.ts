/**
 * Typed cdk8s constructs that synthesize Argo CD-compatible hook Jobs, and helpers that put
 * Argo CD sync annotations on any cdk8s ApiObject.
 */

// Errors
export { HookValidationError } from './errors';
export type { HookProblem } from './errors';

// Pod field types
export type {
  ConfigMapKeyRef,
  EnvFromSource,
  EnvValue,
  HookVolume,
  JobRestartPolicy,
  ResourceQuantities,
  ResourceRequirements,
  SecretKeyRef,
  Toleration,
  VolumeMount,
} from './pod';

// Hook Jobs
export { HOOK_JOB_DEFAULTS, HookJob } from './hook-job';
export type { HookJobOptions, HookJobProps, PhaseJobProps } from './hook-job';
export { PostDeleteJob, PostSyncJob, PreSyncJob, SyncJob } from './phase-jobs';

// Notifications
export { DEFAULT_NOTIFIER_IMAGE, DEFAULT_NOTIFIER_RESOURCES } from './notification';
export type {
  EmailNotification,
  NotificationProps,
  PagerDutyNotification,
  SlackNotification,
  TeamsNotification,
  WebhookNotification,
} from './notification';
export { NOTIFIER_DEFAULTS, PostSyncNotifier } from './post-sync-notifier';
export type { PostSyncNotifierProps } from './post-sync-notifier';

// SyncFail (the engine imports the env var names)
export {
  SYNC_FAIL_ENV_VARS,
  SYNC_HOOKS_FAILED_OBJECT,
  SYNC_HOOKS_FAILED_PHASE,
  SYNC_HOOKS_FAILURE_MESSAGE,
  SyncFailHook,
} from './sync-fail-hook';
export type { SyncFailHookProps } from './sync-fail-hook';

// Backups before teardown
export { BACKUP_DEFAULTS, PostgresBackup, PreDeleteBackup } from './pre-delete-backup';
export type { BackupTarget, PostgresBackupProps, PostgresConnection, PreDeleteBackupProps } from './pre-delete-backup';

// Annotations for any ApiObject
export { markSkip, setSyncOptions, setSyncWave } from './sync-options';
export type { SyncOptionsProps } from './sync-options';
export { setHook } from './set-hook';
export type { SetHookOptions } from './set-hook';
