/** The `sync-hooks` command line. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flag, ParsedArgs, parseArgs, UsageError } from './args';
import { appCommands, defineAppCommands } from './app-cmds';
import { COMMON_FLAGS, DELETE_FLAGS, PLAN_FLAGS, SYNC_FLAGS } from './flag-lists';
import { CommandSpec, commandHelp, commandSpec, defineCommand } from './spec';

export const USAGE = `sync-hooks — Argo CD sync hooks for Pulumi and any Kubernetes cluster

usage: sync-hooks <command> [flags]      (sync-hooks <command> --help for its flags)

commands:
  plan        show the phase/wave plan of a sync (--teardown: of a delete); no cluster needed
  sync        PreSync → Sync (waves) → PostSync, SyncFail on failure; prune what the last sync applied
  delete      PreDelete → delete (reverse waves) → PostDelete; also deletes what the inventory lists
  status      live health of an app's objects and its last operation, from the cluster
  history     an app's last operations: result, duration, hooks, failed hooks' log tails
  timeline    draw an operation the cluster recorded as an HTML page (-o page.html)
  cluster     up|down|status: the embedded local control plane
  toolchain   build (once) or check the cached binaries (pulumi, kube-*, etcd, kwok)

global flags: -h, --help; -V, --version
Structured output: -o json|yaml|table (--json = -o json). No colour codes are ever written.
Exit codes: 0 ok, 1 failed, 2 bad flags or input (nothing written), 130 cancelled.`;

/** What `sync --help` and `delete --help` add below the flags. */
const ENGINE_DETAILS = `The cluster: --kubeconfig, else $KUBECONFIG, else the embedded cluster when it is up (never a
silent ~/.kube/config); --context picks a context of that kubeconfig. Without --namespace, objects
without one go to the context's namespace, else default (as kubectl).

The inventory (ConfigMap sync-hooks-inventory-<app>), the operation record (ConfigMap
sync-hooks-op-<app>) and the lock (Lease sync-hooks-lock-<app>) live in --inventory-namespace;
<app> is --name or the first -f path. One operation per app at a time: a second one fails at once
naming the holder; a holder silent for --lock-ttl is taken over. A re-run after a crash with the
same manifests resumes (completed hooks are not re-run); --restart starts over.
Ctrl-C cancels (running hooks terminated, SyncFail runs); a second Ctrl-C exits.`;

type Out = (s: string) => void;
type Command = (sub: string | undefined, args: ReturnType<typeof parseArgs>, out: Out) => Promise<number>;

/*
 * Each command's module (and what it needs: the engine, client-node, the local cluster) is loaded
 * only when that command runs, so `--help`, `--version` and `plan` start fast.
 */
const engineCommand =
  (name: 'plan' | 'sync' | 'delete'): Command =>
  async (sub, args, out) =>
    (await import('./engine-cmd')).engineCommands()[name](sub, args, out);

const commands: Record<string, Command> = {
  plan: engineCommand('plan'),
  sync: engineCommand('sync'),
  delete: engineCommand('delete'),
  ...appCommands(),
  cluster: async (sub, args, out) => (await import('./cluster-cmd')).clusterCommand(sub, args, out),
  toolchain: async (_sub, args, out) => (await import('./cluster-cmd')).toolchainCommand(args, out),
};

defineCommand('plan', {
  summary: 'show the phase/wave plan of a sync (--teardown: of a delete); no cluster needed',
  usage: ['plan -f <file|dir> [-f ...] [--teardown] [--namespace ns] [-o json|yaml|table]'],
  flags: () => PLAN_FLAGS,
  structured: true,
});
defineCommand('sync', {
  summary: 'PreSync → Sync (waves) → PostSync, SyncFail on failure; prune what the last sync applied',
  usage: ['sync -f <file|dir> [-f ...] [--name app] [--namespace ns] [flags]'],
  flags: () => [...COMMON_FLAGS, ...SYNC_FLAGS],
  structured: true,
  details: ENGINE_DETAILS,
});
defineCommand('delete', {
  summary: 'PreDelete → delete (reverse waves) → PostDelete; also deletes what the inventory lists',
  usage: ['delete -f <file|dir> [-f ...] [--name app] [--namespace ns] [flags]'],
  flags: () => [...COMMON_FLAGS, ...DELETE_FLAGS],
  structured: true,
  details: ENGINE_DETAILS,
});
defineAppCommands();
defineCommand('cluster', {
  summary: 'the embedded local control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)',
  usage: ['cluster up [-o json]', 'cluster status [-o json]', 'cluster down [--keep-data] [-o json]'],
  flags: () => ['keep-data'],
  subcommands: ['up', 'down', 'status'],
  structured: true,
});
defineCommand('toolchain', {
  summary: 'build (once) or check the cached binaries: pulumi and its language hosts, kube-*, etcd, kwok',
  usage: ['toolchain [--status] [--yaml] [-o json]'],
  flags: () => ['status', 'yaml'],
  structured: true,
});

/** Registers (or replaces) a command, with its spec for parsing and help. */
export function registerCommand(name: string, fn: Command, spec?: CommandSpec): void {
  commands[name] = fn;
  if (spec) defineCommand(name, spec);
}

/** The package version (`sync-hooks --version`). */
export function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

const OUTPUTS = ['json', 'yaml', 'table'];

/** `-o yaml`: the command prints JSON (as for -o json); it is re-rendered as YAML at the end. */
function outputFor(args: ParsedArgs, out: Out): { out: Out; flush: () => void } {
  const o = flag(args, 'output');
  if (o !== undefined && !OUTPUTS.includes(o)) throw new UsageError(`-o/--output must be one of ${OUTPUTS.join(', ')} (got "${o}")`);
  if (o === 'json' || o === 'yaml') args.flags.set('json', ['true']);
  if (o === 'table') args.flags.delete('json');
  if (o !== 'yaml') return { out, flush: () => undefined };
  const lines: string[] = [];
  return {
    out: (s) => lines.push(s),
    flush: () => {
      const text = lines.join('\n');
      if (!text) return;
      try {
        out((require('yaml') as typeof import('yaml')).stringify(JSON.parse(text)).trimEnd());
      } catch {
        out(text);
      }
    },
  };
}

export async function main(argv: string[], out: Out = (s) => process.stdout.write(s + '\n')): Promise<number> {
  try {
    if (argv[0] === '--version' || argv[0] === '-V') {
      out(`sync-hooks ${version()}`);
      return 0;
    }
    if (argv.length === 0) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      const topic = argv[1] && commandSpec(argv[1]);
      out(topic ? commandHelp(argv[1], topic) : USAGE);
      return 0;
    }
    const args = parseArgs(argv);
    const [cmd, sub] = args.positional;
    const fn = commands[cmd];
    if (!fn) throw new UsageError(`unknown command "${cmd}" (commands: ${Object.keys(commands).join(', ')}; see \`sync-hooks --help\`)`);
    const spec = commandSpec(cmd);
    if (args.flags.has('help')) {
      out(spec ? commandHelp(cmd, spec) : USAGE);
      return 0;
    }
    if (spec?.subcommands && (!sub || !spec.subcommands.includes(sub))) {
      throw new UsageError(`${cmd}: ${sub ? `unknown subcommand "${sub}"` : 'give a subcommand'} (${spec.subcommands.join(', ')}; see \`sync-hooks ${cmd} --help\`)`);
    }
    if (spec?.subcommands && args.positional.length > 2) throw new UsageError(`${cmd} ${sub}: unexpected argument "${args.positional[2]}"`);
    // A command without structured output may give -o another meaning (`timeline -o page.html`).
    const o = spec?.structured ? outputFor(args, out) : { out, flush: () => undefined };
    const code = await fn(sub, args, o.out);
    o.flush();
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sync-hooks: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`sync-hooks: ${(e as Error).message}\n`);
    return 1;
  }
}
