/**
 * The sync engine: executes a SyncPlan / TeardownPlan against a cluster through one narrow
 * `KubeClient` interface (real: createKubeClient; in memory: FakeKubeClient, in test/support).
 */
export * from './client';
export { createKubeClient } from './kube-client';
export * from './constants';
export * from './events';
export * from './errors';
export * from './types';
export { runSync } from './sync';
export { runTeardown } from './teardown';
export { generatedHookName, injectEnv } from './hooks';
export { syncFailEnv } from './syncfail';
export type { KubeClientOptions } from './kube-client';
export * from './rest/errors';
export { DEFAULT_RETRY_POLICY } from './rest/policy';
export type { RetryPolicy } from './rest/policy';
export type { RequestStats, RetryEvent } from './rest/transport';
export { describeRetries } from './rest/transport';
export { APP_LABEL, OPERATION_ANNOTATION, ownedBy } from './ownership';
export { LockHeldError, LockLostError, OperationLock, DEFAULT_LOCK_TTL_MS, LOCK_NAME_PREFIX, lockRef } from './lock';
export type { LockOptions } from './lock';
export {
  OperationRecorder,
  RecordError,
  RECORD_NAME_PREFIX,
  DEFAULT_RECORD_NAMESPACE,
  decide,
  describeRecord,
  parseRecord,
  recordName,
  recordRef,
} from './record';
export type { OperationRecord, RecordedHook, RecordedObject, RecorderOptions, ResumeDecision, OperationKind, RecordStatus } from './record';
export { DEFAULT_RETRY_BACKOFF, operationRetryProblems, retryDelayMs } from './retry';
export type { OperationRetry, RetryBackoff } from './retry';
export { KubeconfigError, loadKubeConfig, parseKubeconfig } from './kubeconfig';
export type { KubeconfigForm, ParsedKubeconfig } from './kubeconfig';
