/** Command-line parsing: positional words and the flags each command declares in spec.ts. */
import { parseArgs as utilParseArgs } from 'node:util';
import { commandSpec, flagSpec, flagsOf } from './spec';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[]>;
}

const SHORT: Record<string, string> = { f: 'file', h: 'help', n: 'namespace', o: 'output' };
const BOOLEAN = new Set(['json', 'help', 'teardown', 'no-prune', 'create-namespace', 'restart', 'quiet', 'keep-data', 'version', 'status', 'yaml']);

/**
 * Parses a command line. For a known command (spec.ts) this is Node's `util.parseArgs`, strict:
 * a flag the command does not take, a value given to a boolean or a missing value is a
 * `UsageError` naming the flag. Flags come back as strings (`'true'` for booleans), last one wins
 * except for repeatable flags.
 */
export function parseArgs(argv: string[]): ParsedArgs {
  const at = argv.findIndex((a) => !a.startsWith('-'));
  const cmd = at >= 0 ? argv[at] : undefined;
  const spec = cmd ? commandSpec(cmd) : undefined;
  if (!spec || at < 0) return looseParse(argv);
  const names = flagsOf(spec);
  const options: Record<string, { type: 'boolean' | 'string'; short?: string; multiple: boolean }> = {};
  for (const n of names) {
    const f = flagSpec(n);
    options[n] = { type: f.type, ...(f.short ? { short: f.short } : {}), multiple: true };
  }
  const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  let parsed: ReturnType<typeof utilParseArgs>;
  try {
    parsed = utilParseArgs({ args: rest, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${cmd}: ${describeParseError(e as Error & { code?: string }, options)} (see \`sync-hooks ${cmd} --help\`)`);
  }
  const flags = new Map<string, string[]>();
  for (const [k, v] of Object.entries(parsed.values)) {
    const values = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'boolean' ? String(x) : (x as string)));
    flags.set(k, flagSpec(k).multiple ? values : values.slice(-1));
  }
  return { positional: [cmd as string, ...parsed.positionals], flags };
}

function describeParseError(e: Error & { code?: string }, options: Record<string, { type: string; short?: string }>): string {
  const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? '';
  const long = (q: string): string => {
    const m = /--([\w-]+)/.exec(q);
    if (m) return `--${m[1]}`;
    const short = q.replace(/^-/, '');
    const name = Object.entries(options).find(([, o]) => o.short === short)?.[0];
    return name ? `--${name}` : q;
  };
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${quoted.split('=')[0]}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(e.message) ? `${long(quoted)} takes no value` : `${long(quoted)} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted}`;
    default:
      return e.message;
  }
}

/** The permissive parser for words that are no known command (main reports them). */
function looseParse(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2)) {
      let key = a.startsWith('--') ? a.slice(2) : (SHORT[a.slice(1)] ?? a.slice(1));
      let value: string | undefined;
      const eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.slice(eq + 1);
        key = key.slice(0, eq);
      }
      if (value === undefined) {
        if (BOOLEAN.has(key)) value = 'true';
        else if (i + 1 < argv.length) value = argv[++i];
        else throw new UsageError(`--${key} needs a value`);
      }
      add(key, value);
    } else positional.push(a);
  }
  return { positional, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

export function flagAll(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? [];
}

export function bool(args: ParsedArgs, name: string): boolean {
  const v = flag(args, name);
  return v !== undefined && v !== 'false';
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
