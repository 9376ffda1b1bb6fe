/**
 * The timeline page in headless Chromium (Debian's `chromium`, installed by `ensureChromium` with
 * apt-get when missing): the page of an engine run on the fake cluster is screenshotted (not
 * blank, the failed hook's red on it) and its DOM, as the browser built it, has one bar per hook
 * run, in time order. No cluster needed; the real-cluster page is drawn the same way.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSync } from '../../../src/engine';
import { planSync } from '../../../src/plan';
import { completeJob, failJob, readyWorkload } from '../../support';
import { writeTimelineFile } from '../../../src/timeline';
import { configMap, deployment, fakeCluster, fast, job, NS, Recorder, rejection } from '../engine/_helpers';
import { dumpDom, ensureChromium, pixelStats, screenshot } from './_chromium';

let chromium: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-browser-'));
beforeAll(async () => {
  chromium = await ensureChromium();
}, 900_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('a failed sync: Chromium shows a non-blank page with one bar per hook run, in time order', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, completeJob(30));
  fake.react({ name: 'seed' }, completeJob(20));
  fake.react({ name: 'web' }, readyWorkload(40));
  fake.react({ name: 'smoke' }, failJob({ afterMs: 20, message: 'smoke test failed' }));
  const rec = new Recorder();
  const plan = planSync([
    job('migrate', { phase: 'PreSync' }),
    job('seed', { phase: 'PreSync', wave: 1 }),
    configMap('settings'),
    deployment('web', { wave: 1 }),
    job('smoke', { phase: 'PostSync' }),
    job('alert', { phase: 'SyncFail' }),
  ]);
  await rejection(runSync(fake, plan, { ...fast, dryRun: false, logTailLines: 0, onEvent: rec.push }));
  const page = path.join(tmp, 'timeline.html');
  expect(writeTimelineFile(page, rec.events, 'shop')).toBeUndefined();
  const started = rec.of('hook.created').map((e) => e.object);
  expect(started).toEqual([`Job ${NS}/migrate`, `Job ${NS}/seed`, `Job ${NS}/smoke`, `Job ${NS}/alert`]);

  // The DOM as Chromium built it: one hook bar per hook run, in time order, the failed one marked.
  const dom = await dumpDom(chromium, page);
  const bars = [...dom.matchAll(/<rect class="bar hook (\w+)"[^>]*data-object="([^"]+)" data-start="(\d+)"/g)].map((m) => ({ state: m[1], object: m[2], start: Number(m[3]) }));
  expect(bars.map((b) => b.object)).toEqual(started);
  const starts = bars.map((b) => b.start);
  expect(starts).toEqual([...starts].sort((a, b) => a - b));
  expect(bars.map((b) => b.state)).toEqual(['ok', 'ok', 'failed', 'ok']);
  expect(dom).toMatch(/class="band syncfail/);

  // The screenshot is a picture, not a blank page: many colours, a fair share of non-background pixels, red for the failure.
  const stats = pixelStats(await screenshot(chromium, page, path.join(tmp, 'timeline.png')));
  expect(stats.width).toBeGreaterThan(0);
  expect(stats.colours).toBeGreaterThan(20);
  expect(stats.nonBackground).toBeGreaterThan(0.02);
  expect(stats.hasRed).toBe(true);
}, 120_000);
