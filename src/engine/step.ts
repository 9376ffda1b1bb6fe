/**
 * One (phase, wave) step of a sync, in Argo CD's order (spec §2.4 `runTasks`): prunes (waiting
 * until gone), BeforeHookCreation deletes (waiting until gone), then applies, consecutive tasks of
 * one kind in parallel and kinds in plan order; then the health gate.
 */
import { PlanStep, PlanTask, keyOf } from '../model';
import { mapLimit } from './concurrency';
import { FailureInfo } from './errors';
import { HookOutcome, awaitHook, createHook, prepareHooks, recordStepIntent } from './hooks';
import { HookRun, Operation } from './operation';
import { Applied, applyResource, awaitCrdEstablished, awaitResource, deleteAndWait } from './resources';
import { StepFailure } from './step-failure';
import { WaitAborted } from './wait';

export interface StepContext {
  multiStep: boolean;
  isFinal: boolean;
  waitForFinalWave: boolean;
  /** Hook waits still running when a step fails; the failure handler lets them settle. */
  pendingHookWaits: Promise<HookOutcome>[];
}

/** Consecutive tasks of the same group/kind. */
export function groupByKind(tasks: PlanTask[]): PlanTask[][] {
  const groups: PlanTask[][] = [];
  for (const t of tasks) {
    const last = groups[groups.length - 1];
    if (last && last[0].key.kind === t.key.kind && last[0].key.group === t.key.group) last.push(t);
    else groups.push([t]);
  }
  return groups;
}

export function hookFailure(run: HookRun): FailureInfo {
  return {
    reason: run.timedOut ? 'HookTimeout' : 'HookFailed',
    phase: run.phase,
    wave: run.wave,
    key: run.key,
    object: run.object,
    detail: run.message ?? 'failed',
    ...(run.failure ? { failure: run.failure } : {}),
  };
}

async function gateHook(run: HookRun, wait: Promise<HookOutcome>): Promise<void> {
  const outcome = await wait;
  if (outcome === 'Aborted') throw new WaitAborted('aborted');
  if (outcome === 'Failed') throw new StepFailure(hookFailure(run));
}

export async function runStep(op: Operation, step: PlanStep, ctx: StepContext): Promise<void> {
  const t0 = Date.now();
  const where = { phase: step.phase, wave: step.wave };
  op.emit({ type: 'wave.started', ...where, objects: step.tasks.length });
  const prunes = step.tasks.filter((t) => t.action === 'prune');
  const applies = step.tasks.filter((t) => t.action === 'apply');
  const hooks = applies.filter((t) => t.isHook);

  await mapLimit(
    prunes,
    op.o.concurrency,
    async (t) => {
      await deleteAndWait(op, op.objectOf(t), where, 'prune', 'PruneFailed');
      op.pruned.push(keyOf(op.objectOf(t)));
    },
    op.signal,
  );

  const prepared = new Map((await prepareHooks(op, hooks, op.signal)).map((p) => [p.task, p]));
  await recordStepIntent(op, step.phase, step.wave, applies.filter((t) => !t.isHook).map((t) => op.objectOf(t)), [...prepared.values()]);

  const applied: Applied[] = [];
  const hookGates: Promise<void>[] = [];
  for (const group of groupByKind(applies)) {
    const appliedNow = await mapLimit(
      group,
      op.o.concurrency,
      async (t) => {
        if (!t.isHook) return applyResource(op, t);
        const run = await createHook(op, prepared.get(t)!);
        const wait = awaitHook(op, run, op.signal, { releaseInBackground: true });
        ctx.pendingHookWaits.push(wait);
        const gate = gateHook(run, wait);
        gate.catch(() => undefined); // observed below via Promise.all
        hookGates.push(gate);
        return undefined;
      },
      op.signal,
    );
    const resources = appliedNow.filter((a): a is Applied => a !== undefined);
    applied.push(...resources);
    const crds = resources.filter((a) => a.ref.kind === 'CustomResourceDefinition');
    await Promise.all(crds.map((a) => awaitCrdEstablished(op, a)));
  }

  // Argo CD: the final wave is not gated unless it has hooks; non-hooks are gated only when the
  // sync has several steps or the wave has a hook.
  const gate = ctx.waitForFinalWave || !(ctx.isFinal && hooks.length === 0);
  if (gate) {
    const waveCtl = new AbortController();
    const signal = AbortSignal.any([op.signal, waveCtl.signal]);
    const gateResources = ctx.multiStep || hooks.length > 0 || ctx.waitForFinalWave;
    const resourceWaits = gateResources ? applied.map((a) => awaitResource(op, a, signal)) : [];
    try {
      await Promise.all([...hookGates, ...resourceWaits]);
    } finally {
      waveCtl.abort();
    }
  }
  op.emit({ type: 'wave.finished', ...where, durationMs: Date.now() - t0 });
}
