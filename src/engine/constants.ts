/** Engine constants and defaults. Every default is overridable through the options of runSync/runTeardown. */

/** Env vars injected into every container of every SyncFail Job/Pod (same names as src/constructs). */
export { SYNC_HOOKS_FAILED_OBJECT, SYNC_HOOKS_FAILED_PHASE, SYNC_HOOKS_FAILURE_MESSAGE } from '../model/annotations';

/** A hook without `activeDeadlineSeconds` must complete within this (Pulumi's Job await default). */
export const DEFAULT_HOOK_TIMEOUT_MS = 10 * 60_000;
/** Added to a hook's own `activeDeadlineSeconds`, for the Job controller to report the failure. */
export const DEFAULT_HOOK_DEADLINE_GRACE_MS = 30_000;
/** Whole operation (sync or teardown), SyncFail excluded. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 30 * 60_000;
/** SyncFail phase budget, started after the failure (also after a timeout or a cancel). */
export const DEFAULT_SYNC_FAIL_TIMEOUT_MS = 10 * 60_000;
/** Objects applied / deleted at once within a wave. */
export const DEFAULT_CONCURRENCY = 16;
/**
 * The up-front server dry runs are sent this many times more at once than the applies
 * (`concurrency`): they write nothing, and before the first write nothing else competes with them.
 * Measured on the embedded cluster (`npm run bench`, docs/bench.md): a dry run costs the API
 * server about as much as the apply, so at equal concurrency validation doubled a bulk sync.
 */
export const DRY_RUN_CONCURRENCY_FACTOR = 4;

/**
 * From this many ConfigMaps and Secrets in one validation, those the API server surely accepts
 * (engine/local-check.ts) are not each dry-run on the server, when no admission webhook or policy
 * can see them: one per kind and namespace still is. Below it, every object is dry-run.
 */
export const LOCAL_CHECK_MIN = 32;

/**
 * Siblings (engine/siblings.ts: Deployments or Jobs of one shape) are each dry-run on the server
 * unless judging them by shape spares at least this many dry runs (one per shape still is): below
 * it, the lists it needs cost about what they spare.
 */
export const SIBLING_MIN = 8;
/** Re-read interval of an awaited object while its watch is broken. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Safety re-read of awaited objects even while their watch is healthy. */
export const DEFAULT_RESYNC_INTERVAL_MS = 15_000;
/** Lines of a failed hook's pod logs kept in the error (0: do not read logs). */
export const DEFAULT_LOG_TAIL_LINES = 50;
/** How long to wait for a CustomResourceDefinition to become Established before going on. */
export const CRD_ESTABLISHED_TIMEOUT_MS = 30_000;
/** Cleanup deletions (delete policies, termination) must finish within this. */
export const CLEANUP_TIMEOUT_MS = 2 * 60_000;
/** Longest failure message put into the SyncFail env var. */
export const MAX_ENV_MESSAGE_LENGTH = 4_000;
/** A heartbeat at least this often while the engine waits (per phase and wave). */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 15_000;
