/**
 * Compact rendering of engine events for `pulumi up`: what a user wants to read afterwards stays
 * (hooks finishing, prunes, SyncFail, warnings, one summary line); what is happening now is a
 * status update (`ephemeral`) that a UI shows while it is current and then drops: each wave as it
 * starts, each hook as it starts, an object's wait when its message changes, deletions. Pulumi's
 * non-interactive mode prints every status update as a line, so events that only say a step went
 * as planned (an object applied or ready, a wave or phase finished, a hook still running) are not
 * rendered at all: the summary counts them. Hosts that cannot show status updates (the dynamic
 * provider prints to stdout) leave ephemeral lines out.
 */
import { EngineEvent, formatEvent } from '../engine';
import type { SyncPlan } from '../model';

export interface RenderedLine {
  line: string;
  ephemeral?: boolean;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A stateful renderer for one operation: counts what happened for the closing summary. */
export function compactRenderer(): (e: EngineEvent) => RenderedLine | undefined {
  let applied = 0;
  let pruned = 0;
  let deleted = 0;
  const hooks = { succeeded: 0, failed: 0, terminated: 0 };
  const summary = (): string => {
    const parts: string[] = [];
    if (applied) parts.push(`${plural(applied, 'object')} applied`);
    if (pruned) parts.push(`${pruned} pruned`);
    if (deleted) parts.push(`${plural(deleted, 'object')} deleted`);
    const total = hooks.succeeded + hooks.failed + hooks.terminated;
    if (total) {
      const bad = [hooks.failed ? `${hooks.failed} failed` : '', hooks.terminated ? `${hooks.terminated} terminated` : ''].filter(Boolean);
      parts.push(`${plural(total, 'hook')}${bad.length ? ` (${bad.join(', ')})` : ''}`);
    }
    return parts.join(', ');
  };
  /** Last waiting message per object: a status update only when it changes. */
  const waiting = new Map<string, string>();
  const hookKeys = new Set<string>();
  return (e) => {
    if (e.type === 'hook.created' || e.type === 'hook.resumed') hookKeys.add(e.key);
    switch (e.type) {
      case 'object.applied':
        applied++;
        return undefined;
      case 'object.ready':
      case 'wave.finished':
      case 'phase.started':
      case 'phase.finished':
      case 'operation.started':
        return undefined;
      case 'object.waiting': {
        // A hook's own wait ("Waiting for Job to complete (active: 1 …)") adds nothing to "hook … started".
        if (hookKeys.has(e.key) || waiting.get(e.key) === e.message) return undefined;
        waiting.set(e.key, e.message);
        return { line: formatEvent(e), ephemeral: true };
      }
      case 'object.pruned':
        pruned++;
        return { line: formatEvent(e) };
      case 'object.deleted':
        if (e.reason === 'teardown') deleted++;
        return { line: formatEvent(e), ephemeral: true };
      case 'hook.succeeded':
        hooks.succeeded++;
        return { line: formatEvent(e) };
      case 'hook.failed':
        hooks.failed++;
        return { line: formatEvent(e) };
      case 'hook.terminated':
        hooks.terminated++;
        return { line: formatEvent(e) };
      // Heartbeats are lasting lines, so CI logs are never silent for long while a hook or a gate waits.
      // A hook not run again (or awaited) after a crash is said for good, too.
      case 'hook.resumed':
      case 'syncfail.started':
      case 'syncfail.finished':
      case 'warning':
      case 'heartbeat':
        return { line: formatEvent(e) };
      case 'operation.succeeded':
        return { line: `${e.operation} succeeded in ${secs(e.durationMs)}${summary() ? `: ${summary()}` : ''}` };
      case 'operation.failed':
        return { line: `${e.operation} FAILED after ${secs(e.durationMs)} (${e.reason})${summary() ? `; ${summary()}` : ''}` };
      default:
        return { line: formatEvent(e), ephemeral: true };
    }
  };
}

/** One line for a sync plan (the table is shown in preview): `sync plan: 4 steps, 9 objects, 3 hooks (+1 SyncFail)`. */
export function syncPlanSummary(plan: SyncPlan): string {
  const tasks = plan.steps.flatMap((s) => s.tasks);
  const hooks = tasks.filter((t) => t.isHook).length;
  const prunes = tasks.filter((t) => t.action === 'prune').length;
  const objects = tasks.length - hooks - prunes;
  const extra = [prunes ? `${prunes} to prune` : '', plan.syncFail.length ? `+${plan.syncFail.length} SyncFail on failure` : ''].filter(Boolean);
  return `sync plan: ${plural(plan.steps.length, 'step')}, ${plural(objects, 'object')}, ${plural(hooks, 'hook')}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}
