/** A small argument parser: positional words, `--flag`, `--key value`, `--key=value`, `-f value` (repeatable). */

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[]>;
}

const SHORT: Record<string, string> = { f: 'file', h: 'help', n: 'namespace' };
const BOOLEAN = new Set(['json', 'help', 'teardown', 'no-prune', 'create-namespace', 'quiet', 'keep-data', 'version', 'status']);

export function parseArgs(argv: string[]): ParsedArgs {
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
