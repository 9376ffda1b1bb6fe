/** Output pieces of `sync` and `delete`: the hook summary table, durations, JSON shapes. */
import type { HookResult } from '../engine';
// The error module itself, not the engine's index: `plan` must not load the whole engine.
import { SyncFailedError, TeardownFailedError } from '../engine/errors';
import { ManifestProblem } from '../manifests';
import { formatKey, ResourceKey } from '../model';

export interface CliIO {
  /** Results (stdout). */
  out: (line: string) => void;
  /** Diagnostics and, with --json, progress (stderr). */
  err: (line: string) => void;
}

export const stderrLine = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

/** `850ms`, `1.2s`, `2m05s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Aligned columns; columns listed in `right` are right-aligned; no trailing spaces. */
export function table(header: readonly string[], rows: readonly string[][], right: readonly number[] = []): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all
    .map((r) => r.map((cell, c) => (right.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

export function hookDuration(h: HookResult): string {
  if (!h.finishedAt) return '-';
  return formatMs(Date.parse(h.finishedAt) - Date.parse(h.startedAt));
}

/** HOOK, PHASE, WAVE, STATUS, DURATION: one row per hook run, in start order. */
export function hookTable(hooks: readonly HookResult[]): string {
  if (!hooks.length) return 'No hooks ran.';
  return table(
    ['HOOK', 'PHASE', 'WAVE', 'STATUS', 'DURATION'],
    hooks.map((h) => [h.object, h.phase, String(h.wave), h.status, hookDuration(h)]),
    [2],
  );
}

export const keys = (ks: readonly ResourceKey[]): string[] => ks.map(formatKey);

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function problemsJson(problems: readonly ManifestProblem[]): Array<Record<string, string>> {
  return problems.map((p) => ({ ...(p.source ? { source: p.source } : {}), object: p.object, field: p.field, message: p.message }));
}

/** The error part of `--json` results. */
export function errorJson(e: SyncFailedError | TeardownFailedError): Record<string, unknown> {
  return {
    type: e.name,
    reason: e.reason,
    phase: e.phase,
    ...(e.wave !== undefined ? { wave: e.wave } : {}),
    ...(e.object ? { object: e.object } : {}),
    detail: e.detail,
    message: e.message,
    ...(e.jobConditions ? { jobConditions: e.jobConditions } : {}),
    // A container's termination message and log tail may hold secrets: withheld, as in `message`.
    ...(e.containers.length ? { containers: e.containers.map(({ message, logTail, ...c }) => ({ ...c, ...(message || logTail ? { outputWithheld: true } : {}) })) } : {}),
    ...(e instanceof SyncFailedError ? { syncFail: { ran: e.syncFail.ran, status: e.syncFail.status, ...(e.syncFail.message ? { message: e.syncFail.message } : {}) } } : {}),
  };
}
