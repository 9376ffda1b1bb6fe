/**
 * `status`, `history` and `timeline --name` against FakeKubeClient: what sync/delete recorded, read
 * back; the history write is best effort (a failure is a warning, the sync's result unchanged).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deleteCommand } from '../../../src/cli/delete-cmd';
import { historyCommand } from '../../../src/cli/history-cmd';
import { main } from '../../../src/cli/main';
import { statusCommand } from '../../../src/cli/status-cmd';
import { syncCommand } from '../../../src/cli/sync-cmd';
import { timelineCommand } from '../../../src/cli/timeline-cmd';
import { recordRef } from '../../../src/engine';
import { historyRef } from '../../../src/history';
import { failJob } from '../../support';
import { args, Captured, fakeSetup, fixture, withStderr } from './_helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-appcmds-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const hookBars = (html: string) => [...html.matchAll(/<rect class="bar hook (\w+)"[^>]*data-object="([^"]+)"/g)].map((m) => `${m[2]} ${m[1]}`);

async function syncShop(f: ReturnType<typeof fakeSetup>, extra: string[] = []): Promise<{ code: number; io: Captured }> {
  const io = new Captured();
  const code = await syncCommand(args(['sync', '-f', fixture('shop'), ...extra]), io, f.deps);
  return { code, io };
}

test('history -o json: a failed sync keeps the failed hook log tail and exit details; the newest first; --limit', async () => {
  const f = fakeSetup();
  expect((await syncShop(f)).code).toBe(0);
  f.fake.react({ kind: 'Job', name: 'migrate' }, failJob({ afterMs: 5, exitCode: 3, message: 'migration 42 failed', logs: 'connecting to db\napplying 42\nERROR: duplicate column' }));
  expect((await syncShop(f)).code).toBe(1);

  const io = new Captured();
  expect(await historyCommand(args(['history', '--name', 'shop', '--json']), io, f.deps)).toBe(0);
  const doc = JSON.parse(io.outText);
  expect(doc.app).toBe('shop');
  expect(doc.operations.map((o: any) => `${o.kind} ${o.status}`)).toEqual(['sync Failed', 'sync Succeeded']);
  const [failed, ok] = doc.operations;
  expect(failed.reason).toBe('HookFailed');
  expect(failed.message).toContain('Job shop/migrate');
  // A Secret: the message keeps the hook output the printed error withholds.
  expect(failed.message).toContain('ERROR: duplicate column');
  expect(failed.message).not.toContain('withheld');
  const hook = failed.hooks.find((h: any) => h.object === 'Job shop/migrate');
  expect(hook.status).toBe('Failed');
  expect(hook.containers[0]).toMatchObject({ container: 'migrate', exitCode: 3, message: 'migration 42 failed', logTail: 'connecting to db\napplying 42\nERROR: duplicate column' });
  expect(failed.timelineEvents).toBeGreaterThan(5);
  expect(failed.events).toBeUndefined();
  expect(ok.hooks.map((h: any) => `${h.object} ${h.status}`)).toEqual(['Job shop/migrate Succeeded', 'Job shop/smoke Succeeded']);
  expect(Date.parse(ok.finishedAt) - Date.parse(ok.startedAt)).toBe(ok.durationMs);

  const table = new Captured();
  expect(await historyCommand(args(['history', '--name', 'shop', '--limit', '1']), table, f.deps)).toBe(0);
  expect(table.outText).toMatch(/^#\s+OPERATION\s+KIND\s+STATUS\s+STARTED\s+DURATION\s+HOOKS\n2\s+\w{7}\s+sync\s+Failed\s/);
  expect(table.outText.split('\n').filter((l) => /^\d+\s+\w{7}\s+sync/.test(l))).toHaveLength(1);
  expect(table.outText).toContain('container migrate of pod');
  expect(table.outText).toContain('    | ERROR: duplicate column');
});

test('--history-limit bounds the history; 0 writes none', async () => {
  const f = fakeSetup();
  for (let i = 0; i < 3; i++) expect((await syncShop(f, ['--history-limit', '2'])).code).toBe(0);
  const io = new Captured();
  await historyCommand(args(['history', '--name', 'shop', '-o', 'json']), io, f.deps);
  expect(JSON.parse(io.outText).operations).toHaveLength(2);

  const g = fakeSetup();
  expect((await syncShop(g, ['--history-limit', '0'])).code).toBe(0);
  expect(g.fake.peek(historyRef('shop'))).toBeUndefined();
  await expect(syncShop(g, ['--history-limit', 'x'])).rejects.toThrow('--history-limit: must be a whole number, 0 or more (got "x")');
});

test('a history that cannot be written is a warning: the sync still succeeds, its inventory is written', async () => {
  const f = fakeSetup();
  f.fake.failOn('apply', { kind: 'Secret', name: 'sync-hooks-history-shop' }, 'secrets is forbidden: User "ci" cannot patch resource "secrets"', { status: 403 });
  const { code, io } = await syncShop(f, ['--json']);
  expect(code).toBe(0);
  const doc = JSON.parse(io.outText);
  expect(doc.status).toBe('Succeeded');
  expect(doc.inventory.written).toBe(true);
  expect(doc.warnings.join('\n')).toContain('could not write the operation history Secret default/sync-hooks-history-shop');
  expect(io.errText).toContain('warning: could not write the operation history Secret default/sync-hooks-history-shop: secrets is forbidden');
});

test('status: live health of each managed object (Missing once deleted by hand) and the last operation with its hooks', async () => {
  const f = fakeSetup();
  expect((await syncShop(f)).code).toBe(0);
  let io = new Captured();
  expect(await statusCommand(args(['status', '--name', 'shop', '-o', 'json']), io, f.deps)).toBe(0);
  const doc = JSON.parse(io.outText);
  expect(doc.objects.map((o: any) => `${o.kind} ${o.name} ${o.health}`)).toEqual(['Namespace shop Healthy', 'ConfigMap web-config Healthy', 'Deployment web Healthy']);
  expect(doc.health).toBe('Healthy');
  expect(doc.lastOperation).toMatchObject({ kind: 'sync', status: 'Succeeded' });
  expect(doc.lastOperation.hooks.map((h: any) => h.object)).toEqual(['Job shop/migrate', 'Job shop/smoke']);

  await f.fake.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-config' });
  io = new Captured();
  expect(await statusCommand(args(['status', '--name', 'shop']), io, f.deps)).toBe(0);
  expect(io.outText).toContain('application shop (record in namespace default): Missing');
  expect(io.outText).toMatch(/ConfigMap\s+shop\s+web-config\s+Missing\s+not found in the cluster/);
  expect(io.outText).toMatch(/last operation:\n#1 sync \w{7} Succeeded/);
  expect(io.outText).toMatch(/Job shop\/smoke\s+PostSync\s+0\s+Succeeded/);
});

test('timeline --name draws the last recorded operation, or --operation; one bar per hook', async () => {
  const f = fakeSetup();
  expect((await syncShop(f)).code).toBe(0);
  f.fake.react({ kind: 'Job', name: 'smoke' }, failJob({ afterMs: 5, message: 'smoke failed' }));
  expect((await syncShop(f)).code).toBe(1);
  const page = path.join(tmp, 'last.html');
  let io = new Captured();
  expect(await timelineCommand(args(['timeline', '--name', 'shop', '-o', page]), io, f.deps)).toBe(0);
  expect(io.errText).toMatch(new RegExp(`timeline of sync #2 \\w{7} \\(Failed, started .*\\): ${page}`));
  expect(hookBars(fs.readFileSync(page, 'utf8'))).toEqual(['Job shop/migrate ok', 'Job shop/smoke failed', expect.stringMatching(/^Job shop\/alert-\w+-syncfail-\d+ ok$/)]);

  const hist = new Captured();
  await historyCommand(args(['history', '--name', 'shop', '--json']), hist, f.deps);
  const [second, first] = JSON.parse(hist.outText).operations;
  expect([second.seq, first.seq]).toEqual([2, 1]);
  // The same plan has the same operation id: the number tells the runs apart.
  expect(second.id).toBe(first.id);
  const older = path.join(tmp, 'older.html');
  expect(await timelineCommand(args(['timeline', '--name', 'shop', '-o', older, '--operation', '1']), new Captured(), f.deps)).toBe(0);
  expect(hookBars(fs.readFileSync(older, 'utf8'))).toEqual(['Job shop/migrate ok', 'Job shop/smoke ok']);

  io = new Captured();
  expect(await timelineCommand(args(['timeline', '--name', 'shop', '-o', older, '--operation', 'zzzzzzz']), io, f.deps)).toBe(1);
  expect(io.errText).toContain('application "shop" has no recorded operation zzzzzzz (recorded: ');
});

test('an app with no record: each command names the app and namespace, exit 1', async () => {
  const f = fakeSetup();
  for (const [cmd, fn, extra] of [
    ['status', statusCommand, []],
    ['history', historyCommand, []],
    ['timeline', timelineCommand, ['-o', path.join(tmp, 'x.html')]],
  ] as const) {
    const io = new Captured();
    expect(await fn(args([cmd, '--name', 'nope', '--inventory-namespace', 'ops', ...extra]), io, f.deps)).toBe(1);
    expect(io.errText).toMatch(/no .*of application "nope" in namespace "ops"/);
  }
});

test('a succeeded delete removes the history with the record and the inventory', async () => {
  const f = fakeSetup();
  expect((await syncShop(f)).code).toBe(0);
  expect(f.fake.peek(historyRef('shop'))).toBeDefined();
  expect(await deleteCommand(args(['delete', '-f', fixture('shop')]), new Captured(), f.deps)).toBe(0);
  expect(f.fake.peek(historyRef('shop'))).toBeUndefined();
});

test('strict flags and per-command help, before any cluster is contacted', async () => {
  const f = fakeSetup();
  await expect(statusCommand(args(['status']), new Captured(), f.deps)).rejects.toThrow('status: give the application with --name <app>');
  await expect(historyCommand(args(['history', '--name', 'shop', '--limit', '0']), new Captured(), f.deps)).rejects.toThrow('--limit: must be a whole number of at least 1 (got "0")');
  await expect(timelineCommand(args(['timeline', '--name', 'shop']), new Captured(), f.deps)).rejects.toThrow('timeline: give the page to write with -o <file.html>');
  await expect(timelineCommand(args(['timeline', '--name', 'shop', '-o', path.join(tmp, 'no', 'x.html')]), new Captured(), f.deps)).rejects.toThrow(`-o: directory ${path.join(tmp, 'no')} does not exist`);
  expect(f.fake.log).toEqual([]);

  const bad = await withStderr(() => main(['status', '--name', 'shop', '-f', 'x.yaml']));
  expect(bad.value).toBe(2);
  expect(bad.stderr).toContain('status: unknown flag -f');
  const bad2 = await withStderr(() => main(['timeline', '--name', 'shop', '--json']));
  expect(bad2.value).toBe(2);
  expect(bad2.stderr).toContain('timeline: unknown flag --json');

  const out: string[] = [];
  expect(await main(['timeline', '--help'], (s) => out.push(s))).toBe(0);
  expect(out.join('\n')).toMatch(/-o, --output <file\.html>\s+the page to write/);
  out.length = 0;
  expect(await main(['history', '--help'], (s) => out.push(s))).toBe(0);
  expect(out.join('\n')).toMatch(/--limit <n>/);
  expect(out.join('\n')).toMatch(/-o, --output json\|yaml\|table/);
  out.length = 0;
  expect(await main(['--help'], (s) => out.push(s))).toBe(0);
  expect(out.join('\n')).toMatch(/status\s+live health/);
});

test('status names an operation the record says is running (or whose run died holding it)', async () => {
  const f = fakeSetup();
  expect((await syncShop(f)).code).toBe(0);
  const cm = f.fake.peek(recordRef('shop'))!;
  const rec = JSON.parse((cm.data as Record<string, string>)['record.json']);
  rec.operation = { ...rec.operation, id: 'feedbeef1234', status: 'Running', holder: 'ci-7:4242:a1b2c3', phase: 'Sync', wave: 1 };
  f.fake.seed({ ...cm, data: { ...(cm.data as Record<string, string>), 'record.json': JSON.stringify(rec) } });
  const io = new Captured();
  expect(await statusCommand(args(['status', '--name', 'shop']), io, f.deps)).toBe(0);
  expect(io.outText).toMatch(/operation in progress: sync feedbee since \S+ \(ci-7:4242:a1b2c3, at Sync wave 1\)/);
  const js = new Captured();
  await statusCommand(args(['status', '--name', 'shop', '--json']), js, f.deps);
  expect(JSON.parse(js.outText).operationInProgress).toMatchObject({ id: 'feedbeef1234', kind: 'sync', phase: 'Sync', wave: 1, holder: 'ci-7:4242:a1b2c3' });
});
