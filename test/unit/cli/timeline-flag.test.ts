/** `sync|delete --timeline FILE.html` against FakeKubeClient: the page is written whatever the outcome. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deleteCommand } from '../../../src/cli/delete-cmd';
import { syncCommand } from '../../../src/cli/sync-cmd';
import { failJob } from '../../support';
import { args, Captured, fakeSetup, fixture } from './_helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-timeline-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const hookBars = (html: string) => [...html.matchAll(/<rect class="bar hook (\w+)"[^>]*data-object="([^"]+)"/g)].map((m) => `${m[2]} ${m[1]}`);

test('sync --timeline draws the run; a failed sync too (the failed hook red); delete --timeline draws the teardown', async () => {
  const f = fakeSetup();
  const page = path.join(tmp, 'sync.html');
  let io = new Captured();
  expect(await syncCommand(args(['sync', '-f', fixture('shop'), '--timeline', page]), io, f.deps)).toBe(0);
  expect(io.stderr).toContain(`[sync-hooks] timeline: ${page}`);
  let html = fs.readFileSync(page, 'utf8');
  expect(html).toContain('<title>shop: sync timeline</title>');
  expect(hookBars(html)).toEqual(['Job shop/migrate ok', 'Job shop/smoke ok']);

  f.fake.react({ kind: 'Job', name: 'smoke' }, failJob({ afterMs: 5, message: 'smoke failed' }));
  const failed = path.join(tmp, 'failed.html');
  io = new Captured();
  expect(await syncCommand(args(['sync', '-f', fixture('shop'), '--timeline', failed]), io, f.deps)).toBe(1);
  html = fs.readFileSync(failed, 'utf8');
  expect(hookBars(html)).toContain('Job shop/smoke failed');
  expect(html).toContain('FAILED');

  const teardown = path.join(tmp, 'delete.html');
  io = new Captured();
  expect(await deleteCommand(args(['delete', '-f', fixture('shop'), '--timeline', teardown]), io, f.deps)).toBe(0);
  html = fs.readFileSync(teardown, 'utf8');
  expect(html).toContain('<title>shop: teardown timeline</title>');
  expect(html).toMatch(/<rect class="bar delete ok"[^>]*data-object="Deployment shop\/web"/);
});

test('--timeline into a missing directory is a usage error before the cluster is contacted', async () => {
  const f = fakeSetup();
  await expect(syncCommand(args(['sync', '-f', fixture('shop'), '--timeline', path.join(tmp, 'nope', 'x.html')]), new Captured(), f.deps)).rejects.toThrow(
    `--timeline: directory ${path.join(tmp, 'nope')} does not exist`,
  );
  expect(f.fake.log.filter((l) => l.verb !== 'removed')).toEqual([]);
});
