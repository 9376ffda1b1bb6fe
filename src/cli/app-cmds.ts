/**
 * The commands that read what the cluster recorded about an application: `status`, `history`
 * and `timeline` (see docs/cli.md). Exit codes: 0 shown, 1 nothing recorded for the app (or the
 * record is unreadable), 2 bad flags.
 */
import type { ParsedArgs } from './args';
import { APP_FLAGS, HISTORY_FLAGS, STATUS_FLAGS, TIMELINE_FLAGS } from './flag-lists';
import type { CliIO } from './report';
import type { EngineCmdDeps } from './session';
import { defineCommand } from './spec';

type Command = (sub: string | undefined, args: ParsedArgs, out: (s: string) => void) => Promise<number>;

/** Diagnostics on stderr (as report.ts `stderrLine`, without loading that module). */
const io = (out: (s: string) => void): CliIO => ({ out, err: (s) => process.stderr.write(`${s}\n`) });

const WHERE = `The cluster: --kubeconfig, else $KUBECONFIG, else the embedded cluster when it is up; --context
picks a context. The application's inventory (ConfigMap sync-hooks-inventory-<app>), operation
record (ConfigMap sync-hooks-op-<app>) and history (Secret sync-hooks-history-<app>) are read
from --inventory-namespace (default "default"). Nothing is written.`;

export function appCommands(deps: EngineCmdDeps = {}): Record<'status' | 'history' | 'timeline', Command> {
  return {
    // Each module (and the engine's client behind it) is loaded when its command runs.
    status: async (_sub, args, out) => (await import('./status-cmd')).statusCommand(args, io(out), deps),
    history: async (_sub, args, out) => (await import('./history-cmd')).historyCommand(args, io(out), deps),
    timeline: async (_sub, args, out) => (await import('./timeline-cmd')).timelineCommand(args, io(out), deps),
  };
}

export function defineAppCommands(): void {
  defineCommand('status', {
    summary: "each managed object's live health and the application's last operation with its hooks",
    usage: ['status --name <app> [--inventory-namespace ns] [-o json|yaml|table]'],
    flags: () => [...APP_FLAGS, ...STATUS_FLAGS],
    structured: true,
    details: WHERE,
  });
  defineCommand('history', {
    summary: "the application's last operations: result, start, duration, each hook's outcome, failed hooks' log tails",
    usage: ['history --name <app> [--limit n] [--inventory-namespace ns] [-o json|yaml|table]'],
    flags: () => [...APP_FLAGS, ...HISTORY_FLAGS],
    structured: true,
    details: `${WHERE}\nThe history keeps the last --history-limit operations of sync/delete (default 10). Failed hooks'\ntermination messages and log tails are shown: they are the hook's own output and may hold secrets.`,
  });
  defineCommand('timeline', {
    summary: 'draw an operation the cluster recorded (the last one, or --operation) as a self-contained HTML page',
    usage: ['timeline --name <app> -o <file.html> [--operation id] [--inventory-namespace ns]'],
    flags: () => [...APP_FLAGS, ...TIMELINE_FLAGS],
    flagHelp: { output: { arg: '<file.html>', help: 'the page to write (required; its directory must exist)' } },
    details: WHERE,
  });
}
