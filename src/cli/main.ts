/** The `sync-hooks` command line. */
import { parseArgs, UsageError } from './args';
import { clusterCommand, toolchainCommand } from './cluster-cmd';

export const USAGE = `sync-hooks — Argo CD sync hooks for Pulumi and any Kubernetes cluster

usage:
  sync-hooks plan   -f <file|dir> [-f ...] [--teardown] [--namespace ns]   show the phase/wave plan (no cluster needed)
  sync-hooks sync   -f <file|dir> [-f ...] [--namespace ns] [--name app]   run PreSync → Sync (waves) → PostSync, SyncFail on failure
  sync-hooks delete -f <file|dir> [-f ...] [--namespace ns] [--name app]   run PreDelete → delete (reverse waves) → PostDelete
  sync-hooks cluster up|down|status [--json]                               the embedded local control plane
  sync-hooks toolchain [--status]                                          build/check the cached binaries (pulumi, kube-*, etcd, kwok)

sync and delete use $KUBECONFIG, else the embedded cluster when it is up.`;

type Out = (s: string) => void;
type Command = (sub: string | undefined, args: ReturnType<typeof parseArgs>, out: Out) => Promise<number>;

const commands: Record<string, Command> = {
  cluster: clusterCommand,
  toolchain: (_sub, args, out) => toolchainCommand(args, out),
};

/** Registers a command (used by the engine front end to add plan/sync/delete). */
export function registerCommand(name: string, fn: Command): void {
  commands[name] = fn;
}

export async function main(argv: string[], out: Out = (s) => process.stdout.write(s + '\n')): Promise<number> {
  try {
    const args = parseArgs(argv);
    const [cmd, sub] = args.positional;
    if (!cmd || cmd === 'help' || args.flags.has('help')) {
      out(USAGE);
      return cmd ? 0 : 2;
    }
    loadOptionalCommands();
    const fn = commands[cmd];
    if (!fn) throw new UsageError(`unknown command "${cmd}"\n\n${USAGE}`);
    return await fn(sub, args, out);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sync-hooks: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`sync-hooks: ${(e as Error).message}\n`);
    return 1;
  }
}

function loadOptionalCommands(): void {
  // plan/sync/delete live in ./engine-cmd (engine front end); loaded lazily to keep `cluster` fast.
  try {
    require('./engine-cmd');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
  }
}
