/** SyncedChart `timelineFile`: the provider runtime draws each sync and teardown into the file. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { create, remove } from '../../../src/pulumi/runtime';
import { ChartInputs } from '../../../src/pulumi/inputs';
import { failJob } from '../../support';
import { configMap, fakeCluster, job, NS } from '../engine/_helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-timeline-file-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const hookBars = (html: string) => [...html.matchAll(/<rect class="bar hook (\w+)"[^>]*data-object="([^"]+)"/g)].map((m) => `${m[2]} ${m[1]}`);

function inputs(file: string): ChartInputs {
  return {
    appName: 'shop',
    manifests: [job('migrate', { phase: 'PreSync' }), configMap('settings'), job('smoke', { phase: 'PostSync' })],
    namespace: NS,
    prune: true,
    runHooks: 'on-change',
    timelineFile: file,
  };
}

test('a sync, a failed sync and a teardown each write the page; the log names the file', async () => {
  const fake = fakeCluster();
  const lines: string[] = [];
  const ctx = { createClient: () => fake, log: (l: string) => lines.push(l) };
  const file = path.join(tmp, 'shop.html');
  const { id, outs } = await create(inputs(file), ctx);
  expect(hookBars(fs.readFileSync(file, 'utf8'))).toEqual([`Job ${NS}/migrate ok`, `Job ${NS}/smoke ok`]);
  expect(lines).toContain(`timeline: ${file}`);

  fake.react({ name: 'smoke' }, failJob({ afterMs: 5, message: 'smoke failed' }));
  const failed = path.join(tmp, 'failed.html');
  await expect(create(inputs(failed), ctx)).rejects.toBeDefined();
  expect(hookBars(fs.readFileSync(failed, 'utf8'))).toContain(`Job ${NS}/smoke failed`);

  const teardown = path.join(tmp, 'teardown.html');
  await remove(id, { ...outs, timelineFile: teardown }, ctx);
  expect(fs.readFileSync(teardown, 'utf8')).toContain('<title>shop: teardown timeline</title>');
});
