/** The history entry (pure) and its Secret (on the fake cluster): contents, limit, size bound, corrupt data. */
import { gzipSync } from 'node:zlib';
import type { EngineEvent, HookResult } from '../../../src/engine';
import {
  addEntry,
  appendHistory,
  decodeHistory,
  encodeHistory,
  eventsOf,
  fitEntries,
  historyEntry,
  HistoryEntry,
  historyRef,
  MAX_OUTPUT_CHARS,
  readHistory,
} from '../../../src/history';
import { FakeKubeClient } from '../../support';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const ev = (elapsedMs: number, body: Record<string, unknown>): EngineEvent => ({ ...body, elapsedMs, time: new Date(T0 + elapsedMs).toISOString(), operationId: 'abc1234567' }) as EngineEvent;

const events: EngineEvent[] = [
  ev(0, { type: 'operation.started', operation: 'sync', steps: 1 }),
  ev(1, { type: 'phase.started', phase: 'PreSync' }),
  ev(2, { type: 'wave.started', phase: 'PreSync', wave: 0, objects: 1 }),
  ev(3, { type: 'hook.created', phase: 'PreSync', wave: 0, key: 'batch/Job/shop/migrate', object: 'Job shop/migrate' }),
  ev(500, { type: 'heartbeat', waitedMs: 497, waitingFor: [] }),
  ev(600, { type: 'object.waiting', phase: 'PreSync', wave: 0, key: 'batch/Job/shop/migrate', object: 'Job shop/migrate', message: 'running' }),
  ev(1000, { type: 'hook.failed', phase: 'PreSync', wave: 0, key: 'batch/Job/shop/migrate', object: 'Job shop/migrate', durationMs: 997, message: 'BackoffLimitExceeded' }),
  ev(1100, { type: 'operation.failed', operation: 'sync', reason: 'HookFailed', message: 'Sync failed', durationMs: 1100 }),
];

const failedHook: HookResult = {
  name: 'migrate',
  key: 'batch/Job/shop/migrate',
  object: 'Job shop/migrate',
  phase: 'PreSync',
  wave: 0,
  status: 'Failed',
  startedAt: new Date(T0 + 3).toISOString(),
  finishedAt: new Date(T0 + 1000).toISOString(),
  message: 'BackoffLimitExceeded',
  failure: { containers: [{ pod: 'migrate-x1', container: 'migrate', exitCode: 3, reason: 'Error', message: 'boom', logTail: `${'x'.repeat(MAX_OUTPUT_CHARS)}\nmigration 42 failed: password=hunter2` }] },
};

function failedEntry(id = 'abc1234567'): HistoryEntry {
  return historyEntry({
    kind: 'sync',
    result: { operationId: id, startedAt: new Date(T0).toISOString(), finishedAt: new Date(T0 + 1100).toISOString(), hooks: [failedHook], warnings: [], applied: [], pruned: [] },
    error: { name: 'SyncFailedError', message: 'Sync failed: HookFailed in PreSync wave 0', reason: 'HookFailed' },
    events,
    revision: 'rev1',
    startedAt: new Date(T0),
  });
}

test('an entry keeps the result, each hook with its failure output (tail-capped), and only the events the timeline draws', () => {
  const e = failedEntry();
  expect(e).toMatchObject({ id: 'abc1234567', kind: 'sync', status: 'Failed', reason: 'HookFailed', durationMs: 1100, revision: 'rev1', applied: 0, pruned: 0 });
  expect(e.hooks).toHaveLength(1);
  expect(e.hooks[0]).toMatchObject({ object: 'Job shop/migrate', status: 'Failed', durationMs: 997 });
  const c = e.hooks[0].containers![0];
  expect(c).toMatchObject({ exitCode: 3, message: 'boom' });
  expect(c.logTail!.endsWith('migration 42 failed: password=hunter2')).toBe(true);
  expect(c.logTail!.length).toBe(MAX_OUTPUT_CHARS + 1);
  expect(e.events!.map((x) => x.type)).toEqual(['operation.started', 'phase.started', 'wave.started', 'hook.created', 'hook.failed', 'operation.failed']);
  expect(JSON.stringify(e.events)).not.toContain('"time"');
  // The timeline gets the same events back, times and operation id restored.
  const back = eventsOf(e);
  expect(back.map((x) => x.time)).toEqual(events.filter((x) => !['heartbeat', 'object.waiting'].includes(x.type)).map((x) => x.time));
  expect(back.every((x) => x.operationId === 'abc1234567')).toBe(true);
});

test('a cancelled sync is Cancelled; a success has no reason', () => {
  const base = { kind: 'sync' as const, events: [], startedAt: new Date(T0) };
  expect(historyEntry({ ...base, error: { name: 'SyncCancelledError', message: 'cancelled', reason: 'Cancelled' } }).status).toBe('Cancelled');
  const ok = historyEntry(base);
  expect(ok.status).toBe('Succeeded');
  expect(ok.reason).toBeUndefined();
});

test('addEntry keeps the newest first and at most `limit`; fitEntries drops the oldest, then the events of a lone oversized entry', () => {
  let list: HistoryEntry[] = [];
  for (let i = 0; i < 5; i++) list = addEntry(list, failedEntry(`op${i}`), 3);
  expect(list.map((e) => e.id)).toEqual(['op4', 'op3', 'op2']);
  const size = (es: HistoryEntry[]) => JSON.stringify(es).length;
  const one = size([list[0]]);
  expect(fitEntries(list, one * 2 + 10, size).map((e) => e.id)).toEqual(['op4', 'op3']);
  const lone = fitEntries(list, one - 100, size);
  expect(lone).toHaveLength(1);
  expect(lone[0].events).toBeUndefined();
  expect(lone[0].eventsDropped).toBe(6);
  expect(lone[0].hooks[0].containers![0].logTail).toBeDefined();
  const bare = fitEntries(list, 400, size);
  expect(bare[0].hooks[0].containers![0]).toEqual({ pod: 'migrate-x1', container: 'migrate', exitCode: 3, reason: 'Error' });
  expect(bare[0].warnings.join()).toContain('hook output dropped');
});

test('the Secret: gzipped JSON, labelled, newest first, bounded in count and bytes; another tool’s Secret is refused', async () => {
  const fake = new FakeKubeClient();
  fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  for (let i = 0; i < 12; i++) await appendHistory(fake, 'shop', 'default', failedEntry(`op${i}`));
  const secret = fake.peek(historyRef('shop'))!;
  expect(secret.kind).toBe('Secret');
  expect(secret.type).toBe('sync-hooks.dev/history');
  expect(secret.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'sync-hooks', 'app.kubernetes.io/instance': 'shop' });
  const stored = await readHistory(fake, 'shop', 'default');
  expect(stored!.map((e) => e.id)).toEqual(['op11', 'op10', 'op9', 'op8', 'op7', 'op6', 'op5', 'op4', 'op3', 'op2']);
  expect(stored![0].hooks[0].containers![0].logTail).toContain('password=hunter2');

  await appendHistory(fake, 'shop', 'default', failedEntry('small'), { limit: 3, maxBytes: encodeHistory([failedEntry('x'), failedEntry('y')]).length + 20 });
  expect((await readHistory(fake, 'shop', 'default'))!.map((e) => e.id)).toEqual(['small', 'op11']);

  fake.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sync-hooks-history-other', namespace: 'default' }, data: {} });
  await expect(readHistory(fake, 'other', 'default')).rejects.toThrow('Secret default/sync-hooks-history-other exists but was not written by sync-hooks');
  await expect(appendHistory(fake, 'other', 'default', failedEntry())).rejects.toThrow('not written by sync-hooks');
  expect(() => decodeHistory(gzipSync('{"format":"v0"}'), 'Secret x')).toThrow('Secret x: not a history of format v1');
  expect(() => decodeHistory(Buffer.from('nope'), 'Secret x')).toThrow('Secret x: history.json.gz is not gzipped JSON');
});
