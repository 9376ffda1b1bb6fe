/**
 * `sync-hooks history --name APP [--limit n] [-o json|yaml|table]`: the application's last
 * operations as the cluster recorded them (Secret `sync-hooks-history-<app>`): result, start,
 * duration, each hook's outcome and, for failed hooks, the termination message and log tail.
 */
import { readHistory } from '../history';
import { ParsedArgs, UsageError } from './args';
import { HISTORY_FLAGS } from './flag-lists';
import { openAppSession, noRecordMessage } from './app-session';
import { entryJson, entryText, historyTable } from './history-view';
import { EXIT_FAILED, EXIT_OK } from './input';
import { jsonFlag, stringFlag } from './options';
import { CliIO } from './report';
import type { EngineCmdDeps } from './session';

export { HISTORY_FLAGS };

function limitFlag(args: ParsedArgs): number | undefined {
  const v = stringFlag(args, 'limit');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit: must be a whole number of at least 1 (got "${v}")`);
  return n;
}

export async function historyCommand(args: ParsedArgs, io: CliIO, deps: EngineCmdDeps = {}): Promise<number> {
  let limit: number | undefined;
  const s = await openAppSession('history', args, io, deps, HISTORY_FLAGS, () => (limit = limitFlag(args)));
  try {
    const all = await readHistory(s.client, s.app, s.namespace);
    if (!all?.length) {
      io.err(`sync-hooks: ${noRecordMessage(s, 'history')}`);
      return EXIT_FAILED;
    }
    const entries = limit === undefined ? all : all.slice(0, limit);
    if (jsonFlag(args)) {
      io.out(JSON.stringify({ app: s.app, namespace: s.namespace, operations: entries.map(entryJson) }, null, 2));
      return EXIT_OK;
    }
    io.out(historyTable(entries));
    for (const e of entries.filter((x) => x.status !== 'Succeeded' || x.hooks.some((h) => h.status !== 'Succeeded'))) io.out(['', ...entryText(e)].join('\n'));
    return EXIT_OK;
  } finally {
    s.client.close?.();
  }
}
