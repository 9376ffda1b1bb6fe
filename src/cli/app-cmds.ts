/**
 * The commands that read what the cluster recorded about an application: `status`, `history`
 * and `timeline` (see docs/cli.md). Exit codes: 0 shown, 1 nothing recorded for the app (or the
 * record is unreadable), 2 bad flags.
 */
import { ParsedArgs } from './args';
import { APP_FLAGS } from './app-session';
import { HISTORY_FLAGS, historyCommand } from './history-cmd';
import { CliIO, stderrLine } from './report';
import type { EngineCmdDeps } from './session';
import { defineCommand } from './spec';
import { STATUS_FLAGS, statusCommand } from './status-cmd';
import { TIMELINE_FLAGS, timelineCommand } from './timeline-cmd';

type Command = (sub: string | undefined, args: ParsedArgs, out: (s: string) => void) => Promise<number>;

const io = (out: (s: string) => void): CliIO => ({ out, err: stderrLine });

const WHERE = `The cluster: --kubeconfig, else $KUBECONFIG, else the embedded cluster when it is up; --context
picks a context. The application's inventory (ConfigMap sync-hooks-inventory-<app>), operation
record (ConfigMap sync-hooks-op-<app>) and history (Secret sync-hooks-history-<app>) are read
from --inventory-namespace (default "default"). Nothing is written.`;

export function appCommands(deps: EngineCmdDeps = {}): Record<'status' | 'history' | 'timeline', Command> {
  return {
    status: (_sub, args, out) => statusCommand(args, io(out), deps),
    history: (_sub, args, out) => historyCommand(args, io(out), deps),
    timeline: (_sub, args, out) => timelineCommand(args, io(out), deps),
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
