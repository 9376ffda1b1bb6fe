/**
 * One Kubernetes watch: `GET <path>?watch=true&...`, one JSON event per line. This is
 * what client-node's `Watch` does (same timeouts: 30 s to connect, then 30 s without data), without
 * loading client-node: `done` is called once, with an error (a non-200 answer carries
 * `statusCode`) or without one when the server ends the stream.
 */
import { STATUS_CODES } from 'node:http';

export const WATCH_INACTIVITY_MS = 30_000;

export interface WatchStreamInit {
  /** The full URL of the collection (query included, `watch=true` is added). */
  url: URL;
  /** Sends the authenticated GET; aborting `signal` ends the request and its body. */
  open: (url: URL, signal: AbortSignal) => Promise<{ status: number; statusText?: string; body: AsyncIterable<Uint8Array> | null }>;
  timeoutMs?: number;
}

/** Splits a byte stream into lines (UTF-8 safe across chunk boundaries); pure. */
export class LineSplitter {
  private readonly decoder = new TextDecoder();
  private rest = '';
  push(chunk: Uint8Array, onLine: (line: string) => void): void {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) onLine(l);
  }
  end(onLine: (line: string) => void): void {
    const last = this.rest + this.decoder.decode();
    this.rest = '';
    if (last.trim()) onLine(last);
  }
}

/** Starts the watch; resolves with its AbortController once the answer's headers arrived (or it failed). */
export async function watchStream(init: WatchStreamInit, onEvent: (type: string, obj: any) => void, done: (err?: unknown) => void): Promise<AbortController> {
  const timeoutMs = init.timeoutMs ?? WATCH_INACTIVITY_MS;
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const clearTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const timeoutError = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  let reading = false;
  let finished = false;
  const finish = (err?: unknown) => {
    if (finished) return;
    finished = true;
    clearTimer();
    controller.abort();
    done(err && timedOut ? timeoutError() : err ?? undefined);
  };
  const resetTimer = () => {
    clearTimer();
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(timeoutError());
      if (reading) finish(timeoutError()); // the body ends too; do not wait for it to say so
    }, timeoutMs);
    timer.unref();
  };
  const url = new URL(init.url);
  url.searchParams.set('watch', 'true');
  try {
    resetTimer();
    const response = await init.open(url, controller.signal);
    if (response.status !== 200 || !response.body) {
      const error = new Error(response.statusText || STATUS_CODES[response.status] || 'Internal Server Error') as Error & { statusCode?: number };
      error.statusCode = response.status;
      throw error;
    }
    resetTimer(); // from here on, an inactivity timeout
    const lines = new LineSplitter();
    const onLine = (line: string) => {
      let data: any;
      try {
        data = JSON.parse(line);
      } catch {
        return; // as client-node: a line that is no JSON is skipped
      }
      try {
        onEvent(data?.type, data?.object);
      } catch {
        // as client-node: the callback's own failure does not end the watch
      }
    };
    const body = response.body;
    reading = true;
    void (async () => {
      try {
        for await (const chunk of body) {
          if (finished) return;
          resetTimer();
          lines.push(chunk, onLine);
          if (finished) return;
        }
        lines.end(onLine);
        finish();
      } catch (err) {
        finish(err);
      }
    })();
  } catch (err) {
    finish(err);
  }
  return controller;
}
