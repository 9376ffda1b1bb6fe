/** SyncedChart keeps the same history as the CLI: its syncs are readable with `sync-hooks history --name <app>`. */
import { historyCommand } from '../../../src/cli/history-cmd';
import { readHistory } from '../../../src/history';
import { ChartInputs } from '../../../src/pulumi/inputs';
import { create, remove } from '../../../src/pulumi/runtime';
import { failJob } from '../../support';
import { Captured, args } from '../cli/_helpers';
import { configMap, fakeCluster, job, NS } from '../engine/_helpers';

const inputs = (): ChartInputs => ({
  appName: 'shop',
  recordApp: 'shop-dev',
  manifests: [job('migrate', { phase: 'PreSync' }), configMap('settings'), job('smoke', { phase: 'PostSync' })],
  namespace: NS,
  prune: true,
  runHooks: 'on-change',
});

test('a SyncedChart sync and a failed one land in the history of its record app; a destroy removes it', async () => {
  const fake = fakeCluster();
  fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const ctx = { createClient: () => fake, log: () => undefined };
  const { id, outs } = await create(inputs(), ctx);
  fake.react({ name: 'smoke' }, failJob({ afterMs: 5, message: 'smoke failed', logs: 'GET /healthz 503' }));
  await expect(create(inputs(), ctx)).rejects.toBeDefined();

  const stored = await readHistory(fake, 'shop-dev', 'default');
  expect(stored!.map((e) => `#${e.seq} ${e.kind} ${e.status}`)).toEqual(['#2 sync Failed', '#1 sync Succeeded']);
  expect(stored![0].hooks.find((h) => h.object === `Job ${NS}/smoke`)!.containers![0].logTail).toBe('GET /healthz 503');

  const io = new Captured();
  expect(await historyCommand(args(['history', '--name', 'shop-dev']), io, { resolveCluster: async () => ({ source: 'flag', description: 'fake' }), createClient: () => fake })).toBe(0);
  expect(io.outText).toContain('    | GET /healthz 503');

  await remove(id, outs, ctx);
  expect(await readHistory(fake, 'shop-dev', 'default')).toBeUndefined();
});
