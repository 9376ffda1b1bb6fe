/**
 * The runner's hook: at the end of every operation that keeps a record (success, failure,
 * cancel), its history entry is appended, best effort. A failure to write the history never
 * fails the operation; it comes back as a warning (in the result's warnings and as an event).
 */
import type { EngineEvent, EventListener, KubeClient, OperationKind } from '../engine';
import { EndedOperation, HistoryEntry, historyEntry } from './entry';
import { appendHistory, AppendOptions, describeHistory, readHistory, removeHistory } from './store';

export interface HistoryTarget extends AppendOptions {
  app: string;
  namespace?: string;
}

/** Collects an operation's events for its history entry, passing each on to `inner`. */
export class HistoryCollector {
  readonly events: EngineEvent[] = [];
  readonly startedAt = new Date();
  /** The history as read while the operation ran (see `prefetch`). */
  prior?: Promise<HistoryEntry[] | undefined>;
  constructor(private readonly inner?: EventListener) {}

  /**
   * Reads the application's history now, while the operation runs (the caller holds the app's
   * lock, so nobody else writes it), instead of at the end: one round trip fewer after the last write.
   */
  prefetch(client: KubeClient, target: HistoryTarget): void {
    if (target.limit === 0) return;
    this.prior = readHistory(client, target.app, target.namespace ?? 'default');
    this.prior.catch(() => undefined); // its failure is handled when it is used
  }

  readonly onEvent: EventListener = (e) => {
    this.events.push(e);
    this.inner?.(e);
  };
}

/** Errors that mean the operation never started: no history entry (nothing was done). */
const NOT_STARTED = new Set(['ClusterValidationError', 'LockHeldError', 'ManifestValidationError']);

interface Outcome {
  result?: EndedOperation['result'];
  error?: unknown;
}

/**
 * Appends the entry of the operation that just ended (a succeeded teardown removes the history:
 * the application is gone, as its record and inventory). Returns the warning when the write
 * failed, after adding it to the result's warnings and emitting it as a `warning` event.
 */
export async function recordHistory(
  client: KubeClient,
  target: HistoryTarget,
  kind: OperationKind,
  collector: HistoryCollector,
  outcome: Outcome,
  revision?: string,
): Promise<string | undefined> {
  if (target.limit === 0) return undefined;
  const err = outcome.error as (Error & { reason?: string; details?: string; result?: EndedOperation['result'] }) | undefined;
  if (err && NOT_STARTED.has(err.name)) return undefined;
  const result = outcome.result ?? err?.result;
  const namespace = target.namespace ?? 'default';
  try {
    if (kind === 'teardown' && !err) await removeHistory(client, target.app, namespace);
    else {
      const entry = historyEntry({
        kind,
        result,
        // The history is a Secret: the message with the failed hook's output (`details`), not the one that withholds it.
        ...(err ? { error: { name: err.name, message: typeof err.details === 'string' ? err.details : err.message, reason: err.reason as never } } : {}),
        events: collector.events,
        revision,
        startedAt: collector.startedAt,
      });
      await appendHistory(client, target.app, namespace, entry, target, collector.prior);
    }
    return undefined;
  } catch (e) {
    const warning = `could not ${kind === 'teardown' && !err ? 'remove' : 'write'} the operation history ${describeHistory(target.app, namespace)}: ${(e as Error).message} (the ${kind} itself is not affected)`;
    result?.warnings.push(warning);
    const last = collector.events[collector.events.length - 1];
    const t0 = last ? Date.parse(last.time) - last.elapsedMs : collector.startedAt.getTime();
    collector.onEvent({ type: 'warning', message: warning, time: new Date().toISOString(), elapsedMs: Date.now() - t0, operationId: result?.operationId ?? last?.operationId ?? 'unknown' });
    return warning;
  }
}
