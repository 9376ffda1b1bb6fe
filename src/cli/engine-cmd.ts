/**
 * The engine front end of the CLI: `plan`, `sync` and `delete` (see docs/cli.md). Exit codes:
 * 0 success, 1 the operation failed (or the inventory could not be read/written), 2 bad flags or
 * bad input (nothing was written), 130 cancelled with Ctrl-C.
 */
import type { ParsedArgs } from './args';
import type { CliIO } from './report';
import type { EngineCmdDeps } from './session';

export type { EngineCmdDeps } from './session';
export type { CliIO } from './report';

type Command = (sub: string | undefined, args: ParsedArgs, out: (s: string) => void) => Promise<number>;

/** Writes a diagnostic line on stderr (as report.ts `stderrLine`, without loading that module). */
const io = (out: (s: string) => void): CliIO => ({ out, err: (s) => process.stderr.write(`${s}\n`) });

/**
 * The commands for main's registry (stdout through `out`, diagnostics on stderr). Each command's
 * module is loaded when the command runs: `plan` never loads the engine's client.
 */
export function engineCommands(deps: EngineCmdDeps = {}): Record<'plan' | 'sync' | 'delete', Command> {
  return {
    plan: async (_sub, args, out) => (await import('./plan-cmd')).planCommand(args, io(out)),
    sync: async (_sub, args, out) => (await import('./sync-cmd')).syncCommand(args, io(out), deps),
    delete: async (_sub, args, out) => (await import('./delete-cmd')).deleteCommand(args, io(out), deps),
  };
}
