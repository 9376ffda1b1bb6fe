/** Renders the demo's timeline: engine event lines as Pulumi reports them, and a hook table. */
import type { HookSummary } from '../pulumi/inputs';

const ENGINE_LINE = /^\[([a-z0-9-]+)\] (\+\d+\.\d+s .*)$/;

/** Engine lines out of a Pulumi diagnostic message (the provider prints `[app] +1.2s ...`). */
export function engineLines(message: string): string[] {
  return message
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => ENGINE_LINE.test(l) && !/: waiting for /.test(l));
}

export function hookTable(hooks: HookSummary[]): string {
  const rows = hooks.map((h) => [h.phase, String(h.wave), h.object, h.status, h.durationMs === undefined ? '-' : `${(h.durationMs / 1000).toFixed(1)}s`]);
  const head = ['PHASE', 'WAVE', 'HOOK', 'STATUS', 'DURATION'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n');
}
