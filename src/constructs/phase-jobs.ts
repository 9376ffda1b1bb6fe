/**
 * Hook Jobs with a fixed phase: thin subclasses of `HookJob`.
 */
import { Construct } from 'constructs';
import { HookJob, PhaseJobProps } from './hook-job';

/**
 * Runs before anything of the Sync phase is applied: a schema migration, cache seeding, a
 * precondition check. If it fails, nothing is applied and SyncFail hooks run.
 */
export class PreSyncJob extends HookJob {
  constructor(scope: Construct, id: string, props: PhaseJobProps) {
    super(scope, id, { ...props, phase: 'PreSync' });
  }
}

/** Runs in the Sync phase, in its wave, alongside the application's resources. */
export class SyncJob extends HookJob {
  constructor(scope: Construct, id: string, props: PhaseJobProps) {
    super(scope, id, { ...props, phase: 'Sync' });
  }
}

/** Runs after every Sync-phase resource is healthy: a smoke test, a cache warm-up. */
export class PostSyncJob extends HookJob {
  constructor(scope: Construct, id: string, props: PhaseJobProps) {
    super(scope, id, { ...props, phase: 'PostSync' });
  }
}

/**
 * Runs after the application's resources are deleted: cleanup Kubernetes cannot garbage-collect
 * (deregistering from an external system, deleting cloud resources).
 *
 * Defaults `deletePolicy` to HookSucceeded: without HookSucceeded or HookFailed, Argo CD leaves a
 * PostDelete hook behind once the application is gone. `generateName` is not supported.
 */
export class PostDeleteJob extends HookJob {
  constructor(scope: Construct, id: string, props: PhaseJobProps) {
    super(scope, id, { ...props, deletePolicy: props.deletePolicy ?? 'HookSucceeded', phase: 'PostDelete' });
  }
}
