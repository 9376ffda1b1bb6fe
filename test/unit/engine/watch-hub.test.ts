import { KubeObject } from '../../../src/model';
import { WatchHub } from '../../../src/engine/watch-hub';
import { configMap, fakeCluster } from './_helpers';

const REF = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'app', name: 'cm' };

/** Resolves when `cond` holds, checking after each macrotask; rejects after `ms`. */
async function until(cond: () => boolean, what: string, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

test('a watch whose retry fires while nobody subscribes is re-opened for the next subscriber', async () => {
  const fake = fakeCluster();
  const hub = new WatchHub(fake, 20);
  try {
    const first: Array<KubeObject | undefined> = [];
    const unsubscribe = hub.subscribe(REF, { onObject: (o) => first.push(o), onResync: () => undefined });
    await until(() => fake.openWatchCount() === 1 && !hub.isBroken(REF), 'the first watch to open');

    // The watch drops with an error (retry scheduled after 20 ms); its only waiter leaves before the retry fires.
    fake.breakWatches();
    expect(hub.isBroken(REF)).toBe(true);
    unsubscribe();
    let retried = false;
    setTimeout(() => (retried = true), 60);
    await until(() => retried, 'the retry delay to pass');
    expect(fake.openWatchCount()).toBe(0);

    // The next waiter must get a live watch again, not a channel that stays closed (polling only).
    const seen: string[] = [];
    hub.subscribe(REF, { onObject: (o) => o && seen.push(String((o.data as Record<string, string>).k)), onResync: () => undefined });
    await until(() => fake.openWatchCount() === 1, 'the watch to be re-opened');
    await until(() => !hub.isBroken(REF), 'the channel to be healthy');
    await fake.apply(configMap('cm', { data: { k: 'changed' } }));
    await until(() => seen.includes('changed'), 'the change to be delivered by the watch');
  } finally {
    hub.close();
    fake.dispose();
  }
});
