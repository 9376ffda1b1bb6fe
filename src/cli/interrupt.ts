/**
 * Ctrl-C while `sync` or `delete` runs: the first SIGINT (or SIGTERM, as CI runners send) cancels
 * through the engine's AbortSignal, so running hooks are terminated and, for a sync, SyncFail runs;
 * the second one calls `onForce` (record what is known, then exit).
 */

export interface InterruptOptions {
  /** Where the signals come from (default: process). */
  source?: NodeJS.EventEmitter;
  signals?: readonly NodeJS.Signals[];
  /** Told once, at the first signal. */
  onCancel: (signal: NodeJS.Signals) => void;
  /** The second signal: must end the process (or, in tests, the operation). */
  onForce: (signal: NodeJS.Signals) => void;
}

export interface Interrupts {
  signal: AbortSignal;
  /** Removes the handlers (the default signal behaviour comes back). Idempotent. */
  dispose(): void;
}

export function handleInterrupts(opts: InterruptOptions): Interrupts {
  const source = opts.source ?? process;
  const signals = opts.signals ?? ['SIGINT', 'SIGTERM'];
  const ctl = new AbortController();
  let count = 0;
  const handler = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      ctl.abort(new Error(`cancelled by ${sig}`));
      opts.onCancel(sig);
    } else if (count === 2) opts.onForce(sig);
  };
  for (const s of signals) source.on(s, handler);
  let disposed = false;
  return {
    signal: ctl.signal,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const s of signals) source.removeListener(s, handler);
    },
  };
}
