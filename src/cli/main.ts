/** The `sync-hooks` command line. */
import { parseArgs, UsageError } from './args';
import { clusterCommand, toolchainCommand } from './cluster-cmd';
import { engineCommands } from './engine-cmd';

export const USAGE = `sync-hooks — Argo CD sync hooks for Pulumi and any Kubernetes cluster

usage:
  sync-hooks plan   -f <file|dir> [-f ...] [--teardown] [--namespace ns] [--json]
      show the phase/wave plan of a sync (--teardown: of a delete); no cluster needed
  sync-hooks sync   -f <file|dir> [-f ...] [--namespace ns] [--name app] [--no-prune]
                    [--timeout 30m] [--hook-timeout 10m] [--restart] [--lock-ttl 60s] [--json]
                    [--create-namespace]
                    [--retry-limit n [--retry-backoff-duration 5s] [--retry-backoff-factor 2]
                     [--retry-backoff-max-duration 3m]]
      run PreSync → Sync (waves) → PostSync, SyncFail on failure; prune what the last sync applied;
      without --namespace, objects without one go to the kubeconfig context's namespace, else default
  sync-hooks delete -f <file|dir> [-f ...] [--namespace ns] [--name app] [--json]
      run PreDelete → delete (reverse waves) → PostDelete; also deletes what the inventory lists
  sync-hooks cluster up|down|status [--json]    the embedded local control plane
  sync-hooks toolchain [--status] [--yaml] [--json]
      build/check the cached binaries (pulumi, kube-*, etcd, kwok; --yaml: pulumi-language-yaml) and
      the bin dir holding pulumi, its language hosts and pulumi-resource-sync-hooks

sync and delete also take --kubeconfig <file> (default $KUBECONFIG, else the embedded cluster
when it is up) and --inventory-namespace <ns> (default "default"): the inventory is the ConfigMap
sync-hooks-inventory-<app>, <app> from --name or the first -f path. Ctrl-C cancels (SyncFail
runs); a second Ctrl-C exits. Exit codes: 0 ok, 1 failed, 2 bad flags or input, 130 cancelled.

One operation per app at a time (Lease sync-hooks-lock-<app>; --lock-ttl 60s: a holder silent
that long is taken over). The operation record (ConfigMap sync-hooks-op-<app>) lets a re-run after
a crash continue: the same manifests resume the interrupted sync or delete (completed hooks are
not re-run); --restart starts over instead.`;

type Out = (s: string) => void;
type Command = (sub: string | undefined, args: ReturnType<typeof parseArgs>, out: Out) => Promise<number>;

const commands: Record<string, Command> = {
  ...engineCommands(),
  cluster: clusterCommand,
  toolchain: (_sub, args, out) => toolchainCommand(args, out),
};

/** Registers (or replaces) a command. */
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

