/**
 * `sync-hooks timeline --name APP -o FILE.html [--operation ID]`: draws an operation the cluster
 * recorded (the last one by default) with the same renderer as `sync --timeline`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { eventsOf, findEntry, readHistory } from '../history';
import { renderTimeline } from '../timeline';
import { flag, ParsedArgs, UsageError } from './args';
import { TIMELINE_FLAGS } from './flag-lists';
import { noRecordMessage, openAppSession } from './app-session';
import { EXIT_FAILED, EXIT_OK } from './input';
import { stringFlag } from './options';
import { CliIO } from './report';
import type { EngineCmdDeps } from './session';

export { TIMELINE_FLAGS };

/** `-o FILE.html`: required, its directory must exist. */
function outputFile(args: ParsedArgs): string {
  const given = flag(args, 'output');
  if (given === undefined || given === '' || given === 'true') throw new UsageError('timeline: give the page to write with -o <file.html>');
  const file = path.resolve(given);
  if (!existsSync(path.dirname(file))) throw new UsageError(`-o: directory ${path.dirname(file)} does not exist`);
  return file;
}

export async function timelineCommand(args: ParsedArgs, io: CliIO, deps: EngineCmdDeps = {}): Promise<number> {
  let file = '';
  const s = await openAppSession('timeline', args, io, deps, TIMELINE_FLAGS, () => (file = outputFile(args)));
  try {
    const wanted = stringFlag(args, 'operation');
    const history = await readHistory(s.client, s.app, s.namespace);
    if (!history?.length) {
      io.err(`sync-hooks: ${noRecordMessage(s, 'recorded operation')}`);
      return EXIT_FAILED;
    }
    const entry = wanted === undefined ? history[0] : findEntry(history, wanted);
    if (!entry) {
      io.err(`sync-hooks: application "${s.app}" has no recorded operation ${wanted} (recorded: ${history.map((e) => `#${e.seq ?? '?'} ${e.id.slice(0, 7)}`).join(', ')}; see \`sync-hooks history --name ${s.app}\`)`);
      return EXIT_FAILED;
    }
    if (!entry.events?.length) {
      io.err(`sync-hooks: operation ${entry.id.slice(0, 7)} of application "${s.app}" has no timeline events recorded${entry.eventsDropped ? ' (dropped to keep the history under its size limit)' : ''}`);
      return EXIT_FAILED;
    }
    writeFileSync(file, renderTimeline(eventsOf(entry), { title: s.app }));
    io.err(`[sync-hooks] timeline of ${entry.kind} #${entry.seq ?? '?'} ${entry.id.slice(0, 7)} (${entry.status}, started ${entry.startedAt}): ${file}`);
    return EXIT_OK;
  } finally {
    s.client.close?.();
  }
}
