import { LineSplitter, watchStream, WatchStreamInit } from '../../../src/engine/rest/watch-stream';

function lines(chunks: Uint8Array[]): string[] {
  const out: string[] = [];
  const s = new LineSplitter();
  for (const c of chunks) s.push(c, (l) => out.push(l));
  s.end((l) => out.push(l));
  return out;
}

describe('LineSplitter', () => {
  test('lines across chunks, a multi-byte character split between chunks, a last line without newline', () => {
    const bytes = new TextEncoder().encode('{"a":1}\n{"b":"é"}\n\n{"c":3}');
    const at = bytes.indexOf(0xc3) + 1; // inside the two bytes of é
    expect(lines([bytes.slice(0, 3), bytes.slice(3, at), bytes.slice(at)])).toEqual(['{"a":1}', '{"b":"é"}', '{"c":3}']);
  });
});

/** An `open` answering with `status` and a body the test feeds. */
function fakeOpen(status: number) {
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) });
  const calls: { url: URL; signal: AbortSignal }[] = [];
  const open: WatchStreamInit['open'] = async (url, signal) => {
    calls.push({ url, signal });
    return { status, body };
  };
  const send = (text: string) => ctl.enqueue(new TextEncoder().encode(text));
  return { open, calls, send, end: () => ctl.close() };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setImmediate(r));
  if (!check()) throw new Error('condition not reached');
};

describe('watchStream', () => {
  test('events in order, a non-JSON line skipped, done once without error when the server ends the stream', async () => {
    const f = fakeOpen(200);
    const events: string[] = [];
    const done: unknown[] = [];
    const url = new URL('https://h:1/api/v1/namespaces/ns/configmaps?labelSelector=a%3Db');
    await watchStream({ url, open: f.open }, (t, o) => events.push(`${t} ${o.metadata.name}`), (e) => done.push(e));
    expect(f.calls[0].url.searchParams.get('watch')).toBe('true');
    expect(f.calls[0].url.searchParams.get('labelSelector')).toBe('a=b');
    f.send('{"type":"ADDED","object":{"metadata":{"name":"one"}}}\nnot json\n{"type":"MODI');
    f.send('FIED","object":{"metadata":{"name":"two"}}}\n');
    await until(() => events.length === 2);
    f.end();
    await until(() => done.length === 1);
    expect(events).toEqual(['ADDED one', 'MODIFIED two']);
    expect(done).toEqual([undefined]);
  });

  test('a non-200 answer: done with an error carrying statusCode', async () => {
    const f = fakeOpen(403);
    const done: any[] = [];
    await watchStream({ url: new URL('https://h:1/x'), open: f.open }, () => undefined, (e) => done.push(e));
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ statusCode: 403, message: 'Forbidden' });
  });

  test('no data for the inactivity timeout: done with a TimeoutError', async () => {
    const f = fakeOpen(200);
    const done: any[] = [];
    await watchStream({ url: new URL('https://h:1/x'), open: f.open, timeoutMs: 30 }, () => undefined, (e) => done.push(e));
    // The fake body does not react to the abort signal: the timer's abort is what ends it here.
    const t0 = Date.now();
    while (!done.length && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(done).toHaveLength(1);
    expect(done[0]?.name).toBe('TimeoutError');
  });

  test('aborting the returned controller aborts the request (how KubeClient stops a watch)', async () => {
    const f = fakeOpen(200);
    const ctl = await watchStream({ url: new URL('https://h:1/x'), open: f.open }, () => undefined, () => undefined);
    const signal = f.calls[0].signal;
    expect(signal.aborted).toBe(false);
    ctl.abort();
    expect(signal.aborted).toBe(true);
  });
});
