/**
 * The history is read while the operation runs (under its lock), not after its last write: at the
 * end there is only the write, and it keeps the entries read earlier.
 */
import type { EngineEvent, KubeClient, ObjectRef } from '../../../src/engine';
import { encodeHistory, HistoryCollector, historyRef, readHistory, recordHistory } from '../../../src/history';
import type { KubeObject } from '../../../src/model';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const ev = (elapsedMs: number, body: Record<string, unknown>): EngineEvent => ({ ...body, elapsedMs, time: new Date(T0 + elapsedMs).toISOString(), operationId: 'op2' }) as EngineEvent;

/** A KubeClient with only get/apply, over one map, logging every call in order. */
function cluster(objects: KubeObject[]) {
  const store = new Map(objects.map((o) => [`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o]));
  const calls: string[] = [];
  const key = (r: ObjectRef) => `${r.kind}/${r.namespace}/${r.name}`;
  const client = {
    get: async (r: ObjectRef) => {
      calls.push(`get ${key(r)}`);
      return store.get(key(r));
    },
    apply: async (o: KubeObject) => {
      calls.push(`apply ${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
      store.set(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o);
      return o;
    },
  } as unknown as KubeClient;
  return { client, calls };
}

const earlier = {
  id: 'op1',
  kind: 'sync',
  status: 'Succeeded',
  startedAt: '2026-12-01T09:00:00.000Z',
  finishedAt: '2026-12-01T09:00:01.000Z',
  durationMs: 1000,
  hooks: [],
  events: [],
} as any;

function secret(): KubeObject {
  const ref = historyRef('shop', 'apps');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ref.name, namespace: ref.namespace, labels: { 'app.kubernetes.io/managed-by': 'sync-hooks' } },
    data: { 'history.json.gz': encodeHistory([earlier]).toString('base64') },
  };
}

test('prefetched: the end of the operation only writes, and the earlier entry is kept', async () => {
  const { client, calls } = cluster([secret()]);
  const collector = new HistoryCollector();
  collector.prefetch(client, { app: 'shop', namespace: 'apps' });
  expect(calls).toEqual(['get Secret/apps/sync-hooks-history-shop']);
  collector.onEvent(ev(0, { type: 'operation.started', operation: 'sync', steps: 1 }));
  collector.onEvent(ev(5, { type: 'operation.succeeded', operation: 'sync', durationMs: 5 }));
  const warning = await recordHistory(client, { app: 'shop', namespace: 'apps' }, 'sync', collector, {});
  expect(warning).toBeUndefined();
  expect(calls).toEqual(['get Secret/apps/sync-hooks-history-shop', 'apply Secret/apps/sync-hooks-history-shop']);
  const entries = await readHistory(client, 'shop', 'apps');
  expect(entries!.map((e) => e.id)).toEqual(['op2', 'op1']);
});

test('not prefetched: the history is read at the end, as before', async () => {
  const { client, calls } = cluster([secret()]);
  const collector = new HistoryCollector();
  collector.onEvent(ev(0, { type: 'operation.started', operation: 'sync', steps: 1 }));
  await recordHistory(client, { app: 'shop', namespace: 'apps' }, 'sync', collector, {});
  expect(calls).toEqual(['get Secret/apps/sync-hooks-history-shop', 'apply Secret/apps/sync-hooks-history-shop']);
});

test('a history limit of 0 reads nothing', () => {
  const { client, calls } = cluster([secret()]);
  new HistoryCollector().prefetch(client, { app: 'shop', namespace: 'apps', limit: 0 });
  expect(calls).toEqual([]);
});
