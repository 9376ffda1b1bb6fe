/** How `history` and `status` show recorded operations: JSON without the event stream, and text. */
import type { HistoryEntry, HistoryHook } from '../history';
import { formatMs, table } from './report';

/** An entry for `-o json`: everything but the timeline events (counted; `timeline` draws them). */
export function entryJson(e: HistoryEntry): Record<string, unknown> {
  const { events, ...rest } = e;
  return { ...rest, timelineEvents: events?.length ?? 0 };
}

const short = (id: string) => id.slice(0, 7);

function hooksSummary(e: HistoryEntry): string {
  if (!e.hooks.length) return '0';
  const bad = e.hooks.filter((h) => h.status !== 'Succeeded').length;
  return bad ? `${e.hooks.length} (${bad} not succeeded)` : String(e.hooks.length);
}

/** #, OPERATION, KIND, STATUS, STARTED, DURATION, HOOKS: one row per operation, newest first. */
export function historyTable(entries: readonly HistoryEntry[]): string {
  return table(
    ['#', 'OPERATION', 'KIND', 'STATUS', 'STARTED', 'DURATION', 'HOOKS'],
    entries.map((e) => [String(e.seq ?? '-'), short(e.id), e.kind, e.status, e.startedAt.replace(/\.\d+Z$/, 'Z'), formatMs(e.durationMs), hooksSummary(e)]),
    [0, 5],
  );
}

/** HOOK, PHASE, WAVE, STATUS, DURATION of one recorded operation. */
export function recordedHookTable(hooks: readonly HistoryHook[]): string {
  if (!hooks.length) return 'No hooks ran.';
  return table(
    ['HOOK', 'PHASE', 'WAVE', 'STATUS', 'DURATION'],
    hooks.map((h) => [h.object, h.phase, String(h.wave), h.status, h.durationMs !== undefined ? formatMs(h.durationMs) : '-']),
    [2],
  );
}

/** What a hook that did not succeed left behind: its message, containers, and log tail. */
export function hookOutput(h: HistoryHook): string[] {
  const lines = [`${h.object} (${h.phase} wave ${h.wave}) ${h.status}${h.durationMs !== undefined ? ` after ${formatMs(h.durationMs)}` : ''}${h.message ? `: ${h.message}` : ''}`];
  for (const c of h.containers ?? []) {
    const exit = [c.exitCode !== undefined ? `exit code ${c.exitCode}` : '', c.reason ?? ''].filter(Boolean).join(', ');
    lines.push(`  container ${c.container} of pod ${c.pod}${exit ? `: ${exit}` : ''}`);
    if (c.message) lines.push(`    termination message: ${c.message.split('\n').join('\n      ')}`);
    if (c.logTail) lines.push('    last log lines:', ...c.logTail.split('\n').map((l) => `    | ${l}`));
  }
  return lines;
}

/** One operation in text: a headline, the hook table, what failed hooks left, warnings. */
export function entryText(e: HistoryEntry): string[] {
  const head = `${e.seq !== undefined ? `#${e.seq} ` : ''}${e.kind} ${short(e.id)} ${e.status}${e.resumed ? ' (resumed)' : ''}, started ${e.startedAt}, took ${formatMs(e.durationMs)}`;
  const lines = [head];
  // The containers' lines of the message come in full with the hooks below.
  if (e.message) lines.push(...e.message.split('\n').filter((l) => !/^ {2}container |^ {4}\| /.test(l)).map((l) => `  ${l}`));
  lines.push('', recordedHookTable(e.hooks));
  const failed = e.hooks.filter((h) => h.status === 'Failed' || h.status === 'Terminated');
  if (failed.length) lines.push('', ...failed.flatMap(hookOutput));
  if (e.warnings.length) lines.push('', 'Warnings:', ...e.warnings.map((w) => `  ${w}`));
  return lines;
}
