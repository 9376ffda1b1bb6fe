/**
 * The flags each command takes, as plain lists without imports, so that `sync-hooks --help` and
 * the parser can read them without loading the command modules (and the engine behind them).
 */

/** Flags `sync` and `delete` share (session.ts). */
export const COMMON_FLAGS = ['file', 'namespace', 'name', 'inventory-namespace', 'kubeconfig', 'context', 'timeout', 'hook-timeout', 'json', 'restart', 'lock-ttl', 'timeline', 'history-limit'];

/** Argo CD's Application-level sync policy (sync-flags.ts). */
export const SYNC_POLICY_FLAGS = ['create-namespace', 'retry-limit', 'retry-backoff-duration', 'retry-backoff-factor', 'retry-backoff-max-duration'];

/** Flags of `sync` beyond those it shares with `delete`. */
export const SYNC_FLAGS = ['no-prune', ...SYNC_POLICY_FLAGS];

/** Flags of `delete` beyond those it shares with `sync`. */
export const DELETE_FLAGS: readonly string[] = [];

export const PLAN_FLAGS = ['file', 'teardown', 'namespace', 'json'];

/** Flags `status`, `history` and `timeline` share (app-session.ts). */
export const APP_FLAGS = ['name', 'inventory-namespace', 'kubeconfig', 'context'];
export const HISTORY_FLAGS = ['limit', 'json'];
export const STATUS_FLAGS = ['json'];
export const TIMELINE_FLAGS = ['output', 'operation'];
