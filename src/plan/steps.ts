/** Grouping of ordered tasks into (phase, wave) steps, and back. */
import { PlanStep, PlanTask } from '../model';

/** Groups consecutive tasks that share (phase, wave) into steps, keeping their order. */
export function groupSteps(tasks: readonly PlanTask[]): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const t of tasks) {
    const last = steps[steps.length - 1];
    if (last && last.phase === t.phase && last.wave === t.wave) last.tasks.push(t);
    else steps.push({ phase: t.phase, wave: t.wave, tasks: [t] });
  }
  return steps;
}

/** All tasks of the steps, in execution order. */
export function flattenSteps(steps: readonly PlanStep[]): PlanTask[] {
  return steps.flatMap((s) => s.tasks);
}
