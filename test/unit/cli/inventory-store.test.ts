import { FakeKubeClient } from '../../support';
import { InventoryEntry } from '../../../src/runner';
import {
  deleteInventory,
  inventoryConfigMap,
  InventoryError,
  inventoryRef,
  isValidAppName,
  readInventory,
  sanitizeAppName,
  serializeEntries,
  writeInventory,
} from '../../../src/runner/inventory-store';

const entries: InventoryEntry[] = [
  { apiVersion: 'v1', kind: 'Namespace', name: 'shop' },
  { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', annotations: { 'argocd.argoproj.io/sync-wave': '1' } },
];

function cluster(): FakeKubeClient {
  const fake = new FakeKubeClient();
  fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops' } });
  return fake;
}

describe('inventory ConfigMap', () => {
  test('shape: name, namespace, managed-by label, inventory.json, last sync time and status', () => {
    const cm = inventoryConfigMap({ app: 'shop', entries, status: 'Succeeded', time: new Date('2025-01-02T03:04:05Z'), operationId: 'abc1234' });
    expect(cm).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'sync-hooks-inventory-shop',
        namespace: 'default',
        labels: { 'app.kubernetes.io/managed-by': 'sync-hooks', 'app.kubernetes.io/instance': 'shop' },
      },
      data: {
        format: 'v1',
        'inventory.json':
          '[\n  {"apiVersion":"v1","kind":"Namespace","name":"shop"},\n  {"apiVersion":"apps/v1","kind":"Deployment","namespace":"shop","name":"web","annotations":{"argocd.argoproj.io/sync-wave":"1"}}\n]',
        lastSyncTime: '2025-01-02T03:04:05.000Z',
        lastSyncStatus: 'Succeeded',
        lastOperationId: 'abc1234',
      },
    });
    expect(JSON.parse((cm.data as Record<string, string>)['inventory.json'])).toEqual(entries);
    expect(serializeEntries([])).toBe('[]');
  });

  test('a long failure message is truncated', () => {
    const cm = inventoryConfigMap({ app: 'shop', entries, status: 'Failed', message: 'x'.repeat(5000) });
    expect((cm.data as Record<string, string>).lastSyncMessage.length).toBe(2001);
  });

  test('an invalid application name is refused', () => {
    expect(() => inventoryConfigMap({ app: 'Shop!', entries, status: 'Succeeded' })).toThrow(InventoryError);
  });
});

describe('inventory store over KubeClient', () => {
  test('none yet → undefined; write → read round trip; delete removes it', async () => {
    const fake = cluster();
    expect(await readInventory(fake, 'shop')).toBeUndefined();
    await writeInventory(fake, { app: 'shop', entries, status: 'Failed', operationId: 'op1', message: 'Sync failed: boom' });
    const read = await readInventory(fake, 'shop');
    expect(read).toMatchObject({ app: 'shop', namespace: 'default', entries, lastSyncStatus: 'Failed', lastOperationId: 'op1', lastSyncMessage: 'Sync failed: boom' });
    expect(Date.parse(read!.lastSyncTime!)).not.toBeNaN();
    expect(fake.entries('apply').map((e) => e.id)).toEqual(['/ConfigMap/default/sync-hooks-inventory-shop']);

    // A second write replaces the entries (and drops the message of the failed sync).
    await writeInventory(fake, { app: 'shop', entries: entries.slice(0, 1), status: 'Succeeded' });
    const again = await readInventory(fake, 'shop');
    expect(again?.entries).toEqual(entries.slice(0, 1));
    expect(again?.lastSyncStatus).toBe('Succeeded');

    expect(await deleteInventory(fake, 'shop')).toBe(true);
    expect(fake.peek(inventoryRef('shop'))).toBeUndefined();
    expect(await deleteInventory(fake, 'shop')).toBe(false);
  });

  test('another namespace', async () => {
    const fake = cluster();
    await writeInventory(fake, { app: 'shop', namespace: 'ops', entries, status: 'Succeeded' });
    expect(fake.peek(inventoryRef('shop', 'ops'))).toBeDefined();
    expect(await readInventory(fake, 'shop')).toBeUndefined();
    expect((await readInventory(fake, 'shop', 'ops'))?.entries).toEqual(entries);
  });

  test('a ConfigMap of that name not managed by sync-hooks is not taken over', async () => {
    const fake = cluster();
    fake.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sync-hooks-inventory-shop', namespace: 'default' }, data: { x: '1' } });
    await expect(readInventory(fake, 'shop')).rejects.toThrow(
      'ConfigMap default/sync-hooks-inventory-shop exists but is not managed by sync-hooks (label app.kubernetes.io/managed-by=<none>); choose another --name',
    );
  });

  const broken: Array<[string, Record<string, string>, string]> = [
    ['no data key', {}, 'has no data key inventory.json'],
    ['not JSON', { 'inventory.json': '[{' }, 'inventory.json is not valid JSON'],
    ['not an array', { 'inventory.json': '{}' }, 'inventory.json must be a JSON array of objects'],
    ['an entry without kind', { 'inventory.json': '[{"apiVersion":"v1","name":"x"}]' }, 'inventory.json[0] has no kind'],
    ['bad annotations', { 'inventory.json': '[{"apiVersion":"v1","kind":"ConfigMap","name":"x","annotations":{"a":1}}]' }, 'inventory.json[0] has annotations that are not a map of strings'],
    ['an unknown format', { format: 'v9', 'inventory.json': '[]' }, 'unknown inventory format "v9"'],
  ];
  test.each(broken)('a corrupt inventory (%s) is an InventoryError naming the ConfigMap', async (_what, data, message) => {
    const fake = cluster();
    fake.seed({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'sync-hooks-inventory-shop', namespace: 'default', labels: { 'app.kubernetes.io/managed-by': 'sync-hooks' } },
      data,
    });
    const err = await readInventory(fake, 'shop').catch((e) => e);
    expect(err).toBeInstanceOf(InventoryError);
    expect(err.message).toContain('ConfigMap default/sync-hooks-inventory-shop');
    expect(err.message).toContain(message);
  });
});

describe('application names', () => {
  test.each([
    ['My_App.v2', 'my-app-v2'],
    ['--shop--', 'shop'],
    ['dist', 'dist'],
    ['ÄÖÜ', ''],
    [`${'a'.repeat(62)}-b`, 'a'.repeat(62)],
  ])('sanitize %j → %j', (raw, want) => {
    expect(sanitizeAppName(raw)).toBe(want);
    if (want) expect(isValidAppName(want)).toBe(true);
  });
  test('validity', () => {
    expect(isValidAppName('shop-1')).toBe(true);
    expect(isValidAppName('Shop')).toBe(false);
    expect(isValidAppName('-shop')).toBe(false);
    expect(isValidAppName('a'.repeat(64))).toBe(false);
  });
});
