/**
 * `runSync`: executes a SyncPlan against a cluster the way Argo CD does (spec §1–§5), with the
 * improvements of design.md: validation before any write, watch-driven gating with no delay
 * between waves, per-hook and per-operation deadlines, and SyncFail on every failure after the
 * operation started (hook failure, apply/prune error, Degraded resource, timeout, cancel).
 *
 * Failure path, in order: running hooks are terminated (timeout/cancel only; otherwise they are
 * left to finish, as Argo CD waits for them), finished hooks with HookFailed are deleted, SyncFail
 * hooks run, hooks that finished meanwhile (SyncFail's included) with HookFailed are deleted, then
 * the typed error is thrown. HookSucceeded hooks are deleted only when the whole sync succeeds.
 */
import { SyncPlan, formatKey } from '../model';
import { KubeClient } from './client';
import { DEFAULT_SYNC_FAIL_TIMEOUT_MS } from './constants';
import {
  ClusterValidationError,
  FailureInfo,
  SyncCancelledError,
  SyncFailedError,
  SyncTimeoutError,
} from './errors';
import { HookOutcome, applyDeletePolicies, noteStepIntent, terminateRunningHooks } from './hooks';
import { Operation, planHash } from './operation';
import { endRecord, releaseDeadOperation, startRecord, stoppedByLockLoss } from './record-ops';
import { runStep } from './step';
import { toFailure } from './step-failure';
import { runSyncFail } from './syncfail';
import { SyncOptions, SyncResult } from './types';
import { retryable, retryDelayMs } from './retry';
import { validateTasks } from './validate';
import { WaitAborted } from './wait';

function syncResult(op: Operation): SyncResult {
  return {
    operationId: op.id,
    ...(op.resumed ? { resumed: true } : {}),
    startedAt: new Date(op.startedAtMs).toISOString(),
    finishedAt: new Date().toISOString(),
    applied: [...op.applied],
    pruned: [...op.pruned],
    hooks: op.hookResults(),
    warnings: [...op.warnings],
  };
}

async function failSync(op: Operation, plan: SyncPlan, opts: SyncOptions, failure: FailureInfo, pending: Promise<HookOutcome>[]): Promise<SyncFailedError> {
  await op.settleReleases();
  const aborted = failure.reason === 'Cancelled' || failure.reason === 'Timeout';
  if (aborted) await terminateRunningHooks(op, failure.reason === 'Timeout' ? 'terminated: operation deadline passed' : 'terminated: operation cancelled');
  await applyDeletePolicies(op, 'sync-failed');
  // Hooks of the failed wave still running finish (bounded by their deadlines) while SyncFail runs.
  const settled = Promise.allSettled(pending);
  const syncFail = await runSyncFail(op, plan.syncFail, failure, opts.syncFailTimeoutMs ?? DEFAULT_SYNC_FAIL_TIMEOUT_MS);
  await settled;
  await op.settleReleases();
  await terminateRunningHooks(op, 'terminated: operation failed');
  await applyDeletePolicies(op, 'sync-failed');
  const result = syncResult(op);
  op.emit({ type: 'operation.failed', operation: 'sync', reason: failure.reason, message: failure.detail, durationMs: op.elapsed() });
  if (failure.reason === 'Cancelled') return new SyncCancelledError(failure, syncFail, result);
  if (failure.reason === 'Timeout') return new SyncTimeoutError(failure, syncFail, result, op.o.timeoutMs);
  if (failure.reason === 'HookTimeout') {
    const run = op.hooks.find((h) => h.key === failure.key && h.timedOut);
    return new SyncTimeoutError(failure, syncFail, result, run ? run.deadlineAt - run.startedAtMs : op.o.hookTimeoutMs);
  }
  return new SyncFailedError(failure, syncFail, result);
}

/** One attempt at the steps of the plan: undefined when they all succeeded, else the failure. */
async function runAttempt(op: Operation, plan: SyncPlan, opts: SyncOptions, pending: Promise<HookOutcome>[]): Promise<FailureInfo | undefined> {
  let phaseStart = Date.now();
  try {
    for (const [i, step] of plan.steps.entries()) {
      if (step.phase !== op.phase) {
        if (op.phase) op.emit({ type: 'phase.finished', phase: op.phase, durationMs: Date.now() - phaseStart });
        phaseStart = Date.now();
        op.emit({ type: 'phase.started', phase: step.phase });
      }
      op.phase = step.phase;
      op.wave = step.wave;
      await runStep(op, step, {
        multiStep: plan.steps.length > 1,
        isFinal: i === plan.steps.length - 1,
        waitForFinalWave: opts.waitForFinalWave ?? false,
        pendingHookWaits: pending,
      });
    }
    if (op.phase) op.emit({ type: 'phase.finished', phase: op.phase, durationMs: Date.now() - phaseStart });
    return undefined;
  } catch (err) {
    return toFailure(op, err);
  }
}

/** Resolves after `ms`; rejects with WaitAborted when `signal` fires first. */
function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new WaitAborted('aborted'));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new WaitAborted('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `plan` against the cluster. Resolves with what was applied and what the hooks did; throws
 * ClusterValidationError (nothing written), or SyncFailedError / SyncTimeoutError /
 * SyncCancelledError after SyncFail has run.
 */
export async function runSync(client: KubeClient, plan: SyncPlan, opts: SyncOptions = {}): Promise<SyncResult> {
  const tasks = [...plan.steps.flatMap((s) => s.tasks), ...plan.syncFail];
  const op = new Operation(client, 'sync', planHash(tasks.map((t) => [t.id, t.action, t.object])), opts);
  try {
    await releaseDeadOperation(op);
    try {
      await validateTasks(op, tasks, { dryRun: opts.dryRun ?? true });
    } catch (err) {
      if (err instanceof ClusterValidationError) op.emit({ type: 'operation.failed', operation: 'sync', reason: 'Invalid', message: err.message, durationMs: op.elapsed() });
      throw err;
    }
    if (opts.signal?.aborted) {
      // Cancelled before anything was written: nothing to undo, nothing to notify.
      const failure: FailureInfo = { reason: 'Cancelled', phase: plan.steps[0]?.phase ?? 'Sync', detail: 'the operation was cancelled before it started' };
      op.emit({ type: 'operation.failed', operation: 'sync', reason: 'Cancelled', message: failure.detail, durationMs: op.elapsed() });
      throw new SyncCancelledError(failure, { ran: false, status: 'NotRun', hooks: [] }, syncResult(op));
    }
    for (const w of plan.warnings) op.warn(w.message, w.key && formatKey(w.key));
    // The record says Running before the first write, with the first step's intent already in it
    // (so that step's own flush has nothing new to store when it has no hooks).
    const first = plan.steps[0];
    if (first) noteStepIntent(op, first.phase, first.wave, first.tasks.filter((t) => t.action === 'apply' && !t.isHook).map((t) => op.objectOf(t)));
    await startRecord(op);
    op.start();
    op.emit({ type: 'operation.started', operation: 'sync', steps: plan.steps.length, ...(op.resumed ? { resumed: op.resumeReason } : {}) });

    const pending: Promise<HookOutcome>[] = [];
    let failure: FailureInfo | undefined;
    const retry = opts.retry ?? { limit: 0 };
    for (let attempt = 0; ; attempt++) {
      failure = await runAttempt(op, plan, opts, pending);
      if (op.lockLost) throw op.lockLostError();
      if (!failure || !retryable(failure) || attempt >= retry.limit) break;
      // Argo CD restarts the whole operation (PreSync hooks included); SyncFail waits for the last attempt.
      const delayMs = retryDelayMs(retry, attempt);
      op.warn(`attempt ${attempt + 1} of ${retry.limit + 1} failed: ${failure.reason}: ${failure.detail}; retrying in ${Math.round(delayMs / 100) / 10}s`, failure.key);
      await op.settleReleases();
      await terminateRunningHooks(op, 'terminated: the attempt failed; the operation is retried');
      await Promise.allSettled(pending);
      pending.length = 0;
      await applyDeletePolicies(op, 'sync-failed');
      op.phase = undefined;
      op.resumeHooks = false; // a retry attempt runs every hook again, as Argo CD
      try {
        await abortableDelay(delayMs, op.signal);
      } catch (err) {
        failure = toFailure(op, err);
        break;
      }
    }

    if (failure) {
      const err = await failSync(op, plan, opts, failure, pending);
      await endRecord(op, 'Failed', err.message);
      throw err;
    }
    await op.settleReleases();
    await applyDeletePolicies(op, 'sync-succeeded');
    await endRecord(op, 'Succeeded');
    op.emit({ type: 'operation.succeeded', operation: 'sync', durationMs: op.elapsed() });
    return syncResult(op);
  } catch (err) {
    throw op.lockLost ? stoppedByLockLoss(op) : err;
  } finally {
    await op.settleReleases();
    op.dispose();
  }
}
