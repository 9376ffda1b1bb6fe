/** Writes a timeline page (the only I/O of this module). */
import { writeFileSync } from 'node:fs';
import type { EngineEvent } from '../engine/events';
import { renderTimeline } from './render';

/** Renders `events` into `file`. Returns an error message instead of throwing: a picture must never fail an operation. */
export function writeTimelineFile(file: string, events: readonly EngineEvent[], title: string): string | undefined {
  if (events.length === 0) return undefined;
  try {
    writeFileSync(file, renderTimeline(events, { title }));
    return undefined;
  } catch (e) {
    return `could not write the timeline ${file}: ${(e as Error).message}`;
  }
}
