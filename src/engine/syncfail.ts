/**
 * The SyncFail phase: all SyncFail hooks started together (Argo CD: no wave gating among them),
 * each container given SYNC_HOOKS_FAILED_PHASE / SYNC_HOOKS_FAILED_OBJECT /
 * SYNC_HOOKS_FAILURE_MESSAGE, and awaited under a budget of its own, so it also runs after a
 * timeout or a cancel.
 */
import { PlanTask } from '../model';
import {
  DEFAULT_SYNC_FAIL_TIMEOUT_MS,
  MAX_ENV_MESSAGE_LENGTH,
  SYNC_HOOKS_FAILED_OBJECT,
  SYNC_HOOKS_FAILED_PHASE,
  SYNC_HOOKS_FAILURE_MESSAGE,
} from './constants';
import { FailureInfo, describeFailure } from './errors';
import { awaitHook, createHook, prepareHooks, recordStepIntent, terminateRunningHooks } from './hooks';
import { HookRun, Operation } from './operation';
import { StepFailure } from './step-failure';
import { SyncFailOutcome } from './types';

export function syncFailEnv(failure: FailureInfo): Record<string, string> {
  const message = describeFailure(failure);
  return {
    [SYNC_HOOKS_FAILED_PHASE]: failure.phase,
    [SYNC_HOOKS_FAILED_OBJECT]: failure.object ?? '',
    [SYNC_HOOKS_FAILURE_MESSAGE]: message.length > MAX_ENV_MESSAGE_LENGTH ? `${message.slice(0, MAX_ENV_MESSAGE_LENGTH - 3)}...` : message,
  };
}

export async function runSyncFail(op: Operation, tasks: PlanTask[], failure: FailureInfo, timeoutMs = DEFAULT_SYNC_FAIL_TIMEOUT_MS): Promise<SyncFailOutcome> {
  if (!tasks.length) return { ran: false, status: 'NotRun', hooks: [] };
  const t0 = Date.now();
  const first = op.hooks.length;
  op.emit({
    type: 'syncfail.started',
    reason: failure.reason,
    failedPhase: failure.phase,
    ...(failure.object ? { failedObject: failure.object } : {}),
    message: failure.detail,
    hooks: tasks.length,
  });
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  const errors: string[] = [];
  const runs: HookRun[] = [];
  try {
    const env = syncFailEnv(failure);
    const prepared = await prepareHooks(op, tasks, ctl.signal, 'SyncFail');
    await recordStepIntent(op, 'SyncFail', undefined, [], prepared);
    await Promise.all(
      prepared.map(async (p) => {
        try {
          runs.push(await createHook(op, p, env));
        } catch (err) {
          errors.push(err instanceof StepFailure ? `${err.info.object}: ${err.info.detail}` : (err as Error).message);
        }
      }),
    );
    const outcomes = await Promise.all(runs.map((r) => awaitHook(op, r, ctl.signal)));
    if (outcomes.includes('Aborted')) await terminateRunningHooks(op, `SyncFail did not finish within ${Math.round(timeoutMs / 1000)}s`, runs);
  } catch (err) {
    errors.push(err instanceof StepFailure ? `${err.info.object}: ${err.info.detail}` : ctl.signal.aborted ? `SyncFail did not finish within ${Math.round(timeoutMs / 1000)}s` : (err as Error).message);
  } finally {
    clearTimeout(timer);
  }
  for (const r of runs) if (r.status !== 'Succeeded') errors.push(`${r.object}: ${r.message ?? r.status}`);
  const status = errors.length ? 'Failed' : 'Succeeded';
  const message = errors.length ? errors.join('; ') : undefined;
  op.emit({ type: 'syncfail.finished', status, durationMs: Date.now() - t0, ...(message ? { message } : {}) });
  const hooks = op.hookResults().slice(first);
  return { ran: true, status, hooks, ...(message ? { message } : {}) };
}
