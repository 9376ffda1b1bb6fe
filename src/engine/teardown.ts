/**
 * `runTeardown`: PreDelete hooks (by wave, gated) → deletion of managed objects one wave at a time,
 * highest wave first, each wave gone before the next → PostDelete hooks (by wave, gated) → cleanup
 * of delete hooks by policy.
 *
 * Where we differ from Argo CD (documented in design.md): delete hooks are ordered and gated by
 * wave; a failed PreDelete hook stops the teardown before anything is deleted, and the failed hook
 * is LEFT in the cluster for inspection unless it has HookFailed (Argo CD deletes it to retry; a
 * re-run retries here too, since BeforeHookCreation recreates it). Cleanup is per hook type and
 * operation-level, like Argo CD: a type whose hooks all succeeded deletes its HookSucceeded hooks
 * once the whole teardown succeeded; a type with a failed hook deletes its HookFailed hooks.
 */
import { KubeObject, PlanStep, keyOf } from '../model';
import { KubeClient } from './client';
import { mapLimit } from './concurrency';
import { ClusterValidationError, FailureInfo, TeardownFailedError } from './errors';
import { EnginePhase } from './events';
import { applyDeletePolicies, awaitHook, createHook, prepareHooks, recordStepIntent, terminateRunningHooks } from './hooks';
import { Operation, planHash } from './operation';
import { deleteLeftoverHooks, endRecord, releaseDeadOperation, startRecord, stoppedByLockLoss } from './record-ops';
import { deleteAndWait } from './resources';
import { hookFailure } from './step';
import { StepFailure, toFailure } from './step-failure';
import { TeardownOptions, TeardownResult } from './types';
import { validateTasks } from './validate';
import { WaitAborted } from './wait';
import type { TeardownPlan } from '../model';

function teardownResult(op: Operation): TeardownResult {
  return {
    operationId: op.id,
    ...(op.resumed ? { resumed: true } : {}),
    startedAt: new Date(op.startedAtMs).toISOString(),
    finishedAt: new Date().toISOString(),
    deleted: [...op.deleted],
    hooks: op.hookResults(),
    warnings: [...op.warnings],
  };
}

async function runHookSteps(op: Operation, phase: EnginePhase, steps: PlanStep[]): Promise<void> {
  if (!steps.length) return;
  const t0 = Date.now();
  op.phase = phase;
  op.emit({ type: 'phase.started', phase });
  for (const step of steps) {
    const w0 = Date.now();
    op.wave = step.wave;
    op.emit({ type: 'wave.started', phase, wave: step.wave, objects: step.tasks.length });
    const prepared = await prepareHooks(op, step.tasks, op.signal, phase);
    await recordStepIntent(op, phase, step.wave, [], prepared);
    const runs = await mapLimit(prepared, op.o.concurrency, (p) => createHook(op, p), op.signal);
    // Every hook of the wave finishes (or hits its deadline) before the wave is judged.
    const outcomes = await Promise.all(runs.map((r) => awaitHook(op, r, op.signal)));
    if (outcomes.includes('Aborted')) throw new WaitAborted('aborted');
    const failed = runs.find((r) => r.status === 'Failed');
    if (failed) throw new StepFailure(hookFailure(failed));
    op.emit({ type: 'wave.finished', phase, wave: step.wave, durationMs: Date.now() - w0 });
  }
  op.emit({ type: 'phase.finished', phase, durationMs: Date.now() - t0 });
}

const isNamespace = (o: KubeObject) => o.kind === 'Namespace' && o.apiVersion === 'v1';

/** The objects of a delete wave in two parts: everything else, then its Namespaces. */
export function namespacesLast(objects: readonly KubeObject[]): KubeObject[][] {
  return [objects.filter((o) => !isNamespace(o)), objects.filter(isNamespace)].filter((p) => p.length > 0);
}

async function deleteWaves(op: Operation, waves: TeardownPlan['deleteWaves']): Promise<void> {
  if (!waves.length) return;
  const t0 = Date.now();
  op.phase = 'Delete';
  op.emit({ type: 'phase.started', phase: 'Delete' });
  for (const wave of waves) {
    const w0 = Date.now();
    op.wave = wave.wave;
    const where = { phase: 'Delete' as const, wave: wave.wave };
    op.emit({ type: 'wave.started', ...where, objects: wave.objects.length });
    await op.recordIntent('Delete', wave.wave, []);
    // As the plan lists them: a Namespace only once the rest of its wave is gone (deleting it
    // first would let the namespace controller remove its contents behind our back).
    for (const part of namespacesLast(wave.objects)) {
      await mapLimit(
        part,
        op.o.concurrency,
        async (obj) => {
          await deleteAndWait(op, obj, where, 'teardown', 'DeleteFailed');
          op.deleted.push(keyOf(obj));
        },
        op.signal,
      );
    }
    op.emit({ type: 'wave.finished', ...where, durationMs: Date.now() - w0 });
  }
  op.emit({ type: 'phase.finished', phase: 'Delete', durationMs: Date.now() - t0 });
}

/** Cluster-scoped objects lose metadata.namespace (as they are addressed without one). */
async function normalizeForDelete(client: KubeClient, waves: TeardownPlan['deleteWaves']): Promise<TeardownPlan['deleteWaves']> {
  const scope = new Map<string, boolean | undefined>();
  for (const o of waves.flatMap((w) => w.objects)) {
    const id = `${o.apiVersion}|${o.kind}`;
    if (!scope.has(id)) scope.set(id, await client.isNamespaced(o.apiVersion, o.kind));
  }
  return waves.map((w) => ({
    wave: w.wave,
    objects: w.objects.map((o): KubeObject => {
      if (scope.get(`${o.apiVersion}|${o.kind}`) !== false || !o.metadata.namespace) return o;
      const metadata = { ...o.metadata };
      delete metadata.namespace;
      return { ...o, metadata };
    }),
  }));
}

/**
 * Runs `plan` (from planTeardown). Resolves with what was deleted and what the hooks did; throws
 * ClusterValidationError (nothing done) or TeardownFailedError.
 */
export async function runTeardown(client: KubeClient, plan: TeardownPlan, opts: TeardownOptions = {}): Promise<TeardownResult> {
  const hookTasks = [...plan.preDelete, ...plan.postDelete].flatMap((s) => s.tasks);
  const op = new Operation(
    client,
    'teardown',
    planHash([hookTasks.map((t) => [t.id, t.object]), plan.deleteWaves.map((w) => w.objects.map((o) => keyOf(o)))]),
    opts,
  );
  try {
    await releaseDeadOperation(op);
    try {
      await validateTasks(op, hookTasks, { dryRun: true });
    } catch (err) {
      if (err instanceof ClusterValidationError) op.emit({ type: 'operation.failed', operation: 'teardown', reason: 'Invalid', message: err.message, durationMs: op.elapsed() });
      throw err;
    }
    const waves = await normalizeForDelete(client, plan.deleteWaves);
    for (const w of plan.warnings) op.warn(w.message);
    await startRecord(op);
    op.start();
    op.emit({ type: 'operation.started', operation: 'teardown', steps: plan.preDelete.length + waves.length + plan.postDelete.length, ...(op.resumed ? { resumed: op.resumeReason } : {}) });

    let failure: FailureInfo | undefined;
    try {
      await runHookSteps(op, 'PreDelete', plan.preDelete);
      await deleteLeftoverHooks(op);
      await deleteWaves(op, waves);
      await runHookSteps(op, 'PostDelete', plan.postDelete);
    } catch (err) {
      failure = toFailure(op, err);
    }
    if (op.lockLost) throw op.lockLostError();

    if (failure) {
      if (failure.reason === 'Cancelled' || failure.reason === 'Timeout') await terminateRunningHooks(op, `terminated: ${failure.detail}`);
      await applyDeletePolicies(op, 'teardown-failed');
      op.emit({ type: 'operation.failed', operation: 'teardown', reason: failure.reason, message: failure.detail, durationMs: op.elapsed() });
      const err = new TeardownFailedError(failure, teardownResult(op));
      await endRecord(op, 'Failed', err.message);
      throw err;
    }
    await applyDeletePolicies(op, 'teardown-succeeded');
    await endRecord(op, 'Succeeded');
    op.emit({ type: 'operation.succeeded', operation: 'teardown', durationMs: op.elapsed() });
    return teardownResult(op);
  } catch (err) {
    throw op.lockLost ? stoppedByLockLoss(op) : err;
  } finally {
    op.dispose();
  }
}
