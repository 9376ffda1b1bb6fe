/**
 * The engine front end of the CLI: `plan`, `sync` and `delete` (see docs/cli.md). Exit codes:
 * 0 success, 1 the operation failed (or the inventory could not be read/written), 2 bad flags or
 * bad input (nothing was written), 130 cancelled with Ctrl-C.
 */
import { ParsedArgs } from './args';
import { deleteCommand } from './delete-cmd';
import { planCommand } from './plan-cmd';
import { CliIO, stderrLine } from './report';
import { EngineCmdDeps } from './session';
import { syncCommand } from './sync-cmd';

export type { EngineCmdDeps } from './session';
export type { CliIO } from './report';
export { planCommand, syncCommand, deleteCommand };

type Command = (sub: string | undefined, args: ParsedArgs, out: (s: string) => void) => Promise<number>;

const io = (out: (s: string) => void): CliIO => ({ out, err: stderrLine });

/** The commands for main's registry (stdout through `out`, diagnostics on stderr). */
export function engineCommands(deps: EngineCmdDeps = {}): Record<'plan' | 'sync' | 'delete', Command> {
  return {
    plan: (_sub, args, out) => planCommand(args, io(out)),
    sync: (_sub, args, out) => syncCommand(args, io(out), deps),
    delete: (_sub, args, out) => deleteCommand(args, io(out), deps),
  };
}
