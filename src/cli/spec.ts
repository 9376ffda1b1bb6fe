/**
 * What each `sync-hooks` command accepts: the one place flags are declared (type, short form,
 * value name, help). The parser (args.ts) rejects anything else, and `sync-hooks <cmd> --help`
 * is rendered from here. Which flags a command takes comes from the command modules' own lists
 * (read when asked, not at load time, so no import cycle forms).
 */
export interface FlagSpec {
  type: 'boolean' | 'string';
  short?: string;
  /** Repeatable (`-f a -f b`). */
  multiple?: boolean;
  /** Value placeholder in help, e.g. `<file|dir>`. */
  arg?: string;
  help: string;
}

export const FLAGS: Record<string, FlagSpec> = {
  file: { type: 'string', short: 'f', multiple: true, arg: '<file|dir>', help: 'manifests (YAML or JSON; a directory is read recursively); repeatable' },
  namespace: { type: 'string', short: 'n', arg: '<ns>', help: "namespace for objects without one (default: the kubeconfig context's, else default)" },
  name: { type: 'string', arg: '<app>', help: 'application name keying the inventory, record and lock (default: from the first -f)' },
  'inventory-namespace': { type: 'string', arg: '<ns>', help: 'namespace of the inventory, record and lock (default "default")' },
  kubeconfig: { type: 'string', arg: '<file>', help: 'kubeconfig file (default $KUBECONFIG, else the embedded cluster when it is up)' },
  context: { type: 'string', arg: '<name>', help: 'kubeconfig context to use (default: its current-context)' },
  timeout: { type: 'string', arg: '<duration>', help: 'deadline of the whole operation, e.g. 30m (default 30m)' },
  'hook-timeout': { type: 'string', arg: '<duration>', help: 'deadline of a hook without activeDeadlineSeconds (default 10m)' },
  restart: { type: 'boolean', help: 'start over instead of resuming an interrupted operation of the same manifests' },
  'lock-ttl': { type: 'string', arg: '<duration>', help: 'a lock holder silent this long is taken over (default 60s)' },
  'no-prune': { type: 'boolean', help: 'keep objects the last sync applied that are no longer in the manifests' },
  'create-namespace': { type: 'boolean', help: "create the namespace of the manifests when missing (Argo CD's CreateNamespace=true)" },
  'retry-limit': { type: 'string', arg: '<n>', help: 'retry a failed sync up to n times (SyncFail runs once, after the last attempt)' },
  'retry-backoff-duration': { type: 'string', arg: '<duration>', help: 'first retry delay (default 5s)' },
  'retry-backoff-factor': { type: 'string', arg: '<n>', help: 'delay multiplier between retries (default 2)' },
  'retry-backoff-max-duration': { type: 'string', arg: '<duration>', help: 'longest retry delay (default 3m)' },
  timeline: { type: 'string', arg: '<file.html>', help: 'write a self-contained HTML timeline of the operation' },
  teardown: { type: 'boolean', help: 'plan a delete instead of a sync' },
  output: { type: 'string', short: 'o', arg: 'json|yaml|table', help: 'output format (default table)' },
  json: { type: 'boolean', help: 'same as -o json' },
  'keep-data': { type: 'boolean', help: "keep the cluster's data directory" },
  status: { type: 'boolean', help: 'only report what is built, build nothing' },
  yaml: { type: 'boolean', help: 'also build pulumi-language-yaml' },
  limit: { type: 'string', arg: '<n>', help: 'how many to show' },
  operation: { type: 'string', arg: '<id>', help: 'the operation to draw: its number in `history` (#), or a prefix of its id (default: the last one)' },
  'history-limit': { type: 'string', arg: '<n>', help: 'operations kept in the history Secret sync-hooks-history-<app> (default 10; 0 keeps none)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

export interface CommandSpec {
  summary: string;
  /** Usage lines after `sync-hooks `. */
  usage: string[];
  /** Flags the command takes (names in FLAGS; a name missing there is a string flag). */
  flags: () => readonly string[];
  /** Sub-commands (`cluster up|down|status`). */
  subcommands?: readonly string[];
  /** Whether the command prints structured output (`-o json|yaml|table`). */
  structured?: boolean;
  details?: string;
  /** What a shared flag means for this command, where it differs (e.g. `timeline -o <file.html>`). */
  flagHelp?: Record<string, { arg?: string; help: string }>;
}

const specs = new Map<string, CommandSpec>();

/** Declares (or replaces) a command's spec. */
export function defineCommand(name: string, spec: CommandSpec): void {
  specs.set(name, spec);
}

export function commandSpec(name: string): CommandSpec | undefined {
  return specs.get(name);
}

export function commandNames(): string[] {
  return [...specs.keys()];
}

/** The flags of a command, `help` always included; `output` and `json` where output is structured. */
export function flagsOf(spec: CommandSpec): string[] {
  const names = new Set(spec.flags());
  if (spec.structured) {
    names.add('output');
    names.add('json');
  }
  names.add('help');
  return [...names];
}

export function flagSpec(name: string): FlagSpec {
  return FLAGS[name] ?? { type: 'string', arg: '<value>', help: '' };
}

function flagLine(name: string, spec?: CommandSpec): [string, string] {
  const f = { ...flagSpec(name), ...spec?.flagHelp?.[name] };
  const head = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.type === 'string' ? ` ${f.arg ?? '<value>'}` : ''}`;
  return [head, f.help];
}

/** `sync-hooks <cmd> --help`. */
export function commandHelp(name: string, spec: CommandSpec): string {
  const lines = flagsOf(spec).map((n) => flagLine(n, spec));
  const width = Math.max(...lines.map(([h]) => h.length));
  return [
    `sync-hooks ${name}: ${spec.summary}`,
    '',
    'usage:',
    ...spec.usage.map((u) => `  sync-hooks ${u}`),
    '',
    'flags:',
    ...lines.map(([h, d]) => `  ${h.padEnd(width)}  ${d}`.trimEnd()),
    ...(spec.details ? ['', spec.details] : []),
  ].join('\n');
}
