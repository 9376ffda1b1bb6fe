/** Flag handling shared by `plan`, `sync` and `delete`: allowed flags, durations, the application name. */
import * as path from 'node:path';
import { isValidAppName, sanitizeAppName } from '../runner/inventory-store';
import { bool, flag, flagAll, ParsedArgs, UsageError } from './args';

/** Taken by every command that prints structured output (main handles them). */
const UNIVERSAL = ['help', 'output'];

/** Rejects flags the command does not know and positional words after the command. */
export function checkFlags(cmd: string, args: ParsedArgs, allowed: readonly string[]): void {
  const unknown = [...args.flags.keys()].filter((k) => !allowed.includes(k) && !UNIVERSAL.includes(k));
  if (unknown.length) {
    throw new UsageError(`${cmd}: unknown flag${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `--${k}`).join(', ')} (allowed: ${allowed.map((k) => `--${k}`).join(', ')})`);
  }
  const extra = args.positional.slice(1);
  if (extra.length) throw new UsageError(`${cmd}: unexpected argument${extra.length === 1 ? '' : 's'} ${extra.map((a) => `"${a}"`).join(' ')} (give manifests with -f <file|dir>)`);
  for (const k of ['json', 'teardown', 'no-prune', 'restart', 'create-namespace']) {
    const v = flag(args, k);
    if (v !== undefined && v !== 'true' && v !== 'false') throw new UsageError(`--${k} takes no value (got "${v}")`);
  }
}

/** The `-f` paths; at least one unless `optional`. */
export function files(cmd: string, args: ParsedArgs, optional = false): string[] {
  const f = flagAll(args, 'file').filter((p) => p !== '');
  if (!f.length && !optional) throw new UsageError(`${cmd}: give the manifests with -f <file|dir> (repeatable)`);
  return f;
}

/** A single-valued flag that must not be empty when given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = flag(args, name);
  if (v === undefined) return undefined;
  if (v === '' || v === 'true') throw new UsageError(`--${name} needs a value`);
  return v;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Go-style durations as Argo CD and kubectl take them: `30m`, `90s`, `1h30m`, `500ms`, `1.5h`;
 * a bare number is seconds. Must be positive.
 */
export function parseDuration(text: string, name = 'duration'): number {
  const s = text.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(s)) ms = Number(s) * 1000;
  else {
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
    ms = 0;
    let consumed = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      ms += Number(m[1]) * UNITS[m[2]];
      consumed = re.lastIndex;
    }
    if (consumed === 0 || consumed !== s.length) throw new UsageError(`--${name}: invalid duration "${text}" (examples: 30m, 90s, 1h30m)`);
  }
  if (!(ms > 0) || !Number.isFinite(ms)) throw new UsageError(`--${name}: must be more than zero (got "${text}")`);
  return Math.round(ms);
}

export function durationFlag(args: ParsedArgs, name: string): number | undefined {
  const v = stringFlag(args, name);
  return v === undefined ? undefined : parseDuration(v, name);
}

export interface AppName {
  name: string;
  /** Where it came from, for messages: `--name` or `-f <path>`. */
  from: string;
}

/**
 * The application name that keys the inventory: `--name` (must already be a DNS-1123 label), else
 * the basename of the first `-f` path without its extension, sanitized.
 */
export function appName(args: ParsedArgs, paths: readonly string[]): AppName {
  const given = stringFlag(args, 'name');
  if (given !== undefined) {
    if (!isValidAppName(given)) {
      const hint = sanitizeAppName(given);
      throw new UsageError(`--name "${given}" is not a DNS-1123 label (a-z, 0-9, '-', at most 63 characters)${hint ? `; try --name ${hint}` : ''}`);
    }
    return { name: given, from: '--name' };
  }
  if (!paths.length) throw new UsageError('give --name <app> (the inventory to use) when no -f is given');
  const base = path.basename(path.resolve(paths[0])).replace(/\.(ya?ml|json)$/i, '');
  const name = sanitizeAppName(base);
  if (!name) throw new UsageError(`cannot derive an application name from "${paths[0]}"; give --name <app>`);
  return { name, from: `-f ${paths[0]}` };
}

/** JSON output: `--json`, `-o json`, or `-o yaml` (main re-renders the JSON). */
export function jsonFlag(args: ParsedArgs): boolean {
  const o = flag(args, 'output');
  return bool(args, 'json') || o === 'json' || o === 'yaml';
}
