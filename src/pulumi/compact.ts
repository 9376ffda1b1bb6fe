/**
 * Compact rendering of engine events for `pulumi up`: what a user wants to read afterwards stays
 * (failures, prunes, SyncFail, new warnings, heartbeats, one summary naming each hook with its
 * time); what is happening now is a status update (`ephemeral`) that a UI shows while it is
 * current and then drops: each hook as it starts, each wave without hooks as it starts, an
 * object's wait once it lasts, deletions. Pulumi's non-interactive mode prints every status update
 * as a line, so events that only say a step went as planned are not rendered at all: an object
 * applied or ready, a wave or phase finished, a hook succeeded or deleted by its policy (the
 * summary counts and names them), a wave with hooks started (its hooks say it), and an object's
 * wait in its first second (most end by then; a long one shows in the heartbeats, which are
 * lasting). Hosts that cannot show status updates (the dynamic provider prints to stdout) leave
 * ephemeral lines out.
 */
import { EngineEvent, formatEvent } from '../engine';
import type { PlanStep, PlanTask } from '../model';

export interface RenderedLine {
  line: string;
  ephemeral?: boolean;
}

export interface CompactOptions {
  /** The plan being run, once known: its waves that have hooks get no "started" line (the hooks say it). */
  plan?: () => { steps: readonly PlanStep[]; syncFail?: readonly PlanTask[] } | undefined;
  /** Warnings printed before in this `pulumi up` (with the plan, in preview): not again. */
  alreadyShown?: (warning: string) => boolean;
}

/** An object's wait is not shown in its first second: most waits end by then. */
const QUIET_WAIT_MS = 1000;

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `phase|wave` of every step of the plan that runs a hook. */
function hookWaves(plan: ReturnType<NonNullable<CompactOptions['plan']>>): Set<string> {
  const tasks = [...(plan?.steps ?? []).flatMap((s) => s.tasks), ...(plan?.syncFail ?? [])];
  return new Set(tasks.filter((t) => t.isHook).map((t) => `${t.phase}|${t.wave}`));
}

/** A stateful renderer for one operation: counts what happened for the closing summary. */
export function compactRenderer(opts: CompactOptions = {}): (e: EngineEvent) => RenderedLine | undefined {
  let applied = 0;
  let pruned = 0;
  let deleted = 0;
  const hooks = { succeeded: 0, failed: 0, terminated: 0 };
  /** Each hook that ran, in order: `PreSync db-migrate 3.1s` (`FAILED`/`terminated` when so). */
  const ran: string[] = [];
  const hookRan = (e: { phase: string; key: string; durationMs: number }, status = '') => ran.push(`${e.phase} ${e.key.split('/').pop()}${status} ${secs(e.durationMs)}`);
  let withHooks: Set<string> | undefined;
  const summary = (): string => {
    const parts: string[] = [];
    if (applied) parts.push(`${plural(applied, 'object')} applied`);
    if (pruned) parts.push(`${pruned} pruned`);
    if (deleted) parts.push(`${plural(deleted, 'object')} deleted`);
    const total = hooks.succeeded + hooks.failed + hooks.terminated;
    if (total) {
      const bad = [hooks.failed ? `${hooks.failed} failed` : '', hooks.terminated ? `${hooks.terminated} terminated` : ''].filter(Boolean);
      parts.push(`${plural(total, 'hook')}${bad.length ? ` (${bad.join(', ')})` : ''}: ${ran.join(', ')}`);
    }
    return parts.join(', ');
  };
  /** Last waiting message per object: a status update only when it changes. */
  const waiting = new Map<string, string>();
  /** When each object's wait began (operation time). */
  const waitSince = new Map<string, number>();
  const hookKeys = new Set<string>();
  return (e) => {
    if (e.type === 'hook.created' || e.type === 'hook.resumed') hookKeys.add(e.key);
    switch (e.type) {
      case 'object.applied':
        applied++;
        return undefined;
      case 'wave.started':
        withHooks ??= opts.plan?.() ? hookWaves(opts.plan()) : undefined;
        return withHooks?.has(`${e.phase}|${e.wave}`) ? undefined : { line: formatEvent(e), ephemeral: true };
      case 'object.ready':
      case 'wave.finished':
      case 'phase.started':
      case 'phase.finished':
      case 'operation.started':
        return undefined;
      case 'object.waiting': {
        // A hook's own wait ("Waiting for Job to complete (active: 1 …)") adds nothing to "hook … started".
        if (hookKeys.has(e.key) || waiting.get(e.key) === e.message) return undefined;
        if (!waitSince.has(e.key)) waitSince.set(e.key, e.elapsedMs);
        if (e.elapsedMs - waitSince.get(e.key)! < QUIET_WAIT_MS) return undefined;
        waiting.set(e.key, e.message);
        return { line: formatEvent(e), ephemeral: true };
      }
      case 'object.pruned':
        pruned++;
        return { line: formatEvent(e) };
      case 'object.deleted':
        // A hook deleted by its policy is part of the hook's life, not news.
        if (e.reason === 'HookSucceeded' || e.reason === 'HookFailed') return undefined;
        if (e.reason === 'teardown') deleted++;
        return { line: formatEvent(e), ephemeral: true };
      case 'hook.succeeded':
        hooks.succeeded++;
        hookRan(e);
        return undefined;
      case 'hook.failed':
        hooks.failed++;
        hookRan(e, ' FAILED');
        return { line: formatEvent(e) };
      case 'hook.terminated':
        hooks.terminated++;
        hookRan(e, ' terminated');
        return { line: formatEvent(e) };
      case 'warning':
        return opts.alreadyShown?.(e.message) ? undefined : { line: formatEvent(e) };
      // Heartbeats are lasting lines, so CI logs are never silent for long while a hook or a gate waits.
      // A hook not run again (or awaited) after a crash is said for good, too.
      case 'hook.resumed':
      case 'syncfail.started':
      case 'syncfail.finished':
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
