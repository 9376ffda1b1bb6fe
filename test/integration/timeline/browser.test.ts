/**
 * The timeline page of a REAL sync in headless Chromium: the CLI syncs a chart on the embedded
 * cluster (two PreSync waves, a Deployment, a failing PostSync hook, SyncFail), then
 * `sync-hooks timeline --name APP -o page.html` draws it from what the cluster recorded (the
 * history Secret). Chromium's DOM must have one bar per hook run, in time order, the failed one
 * marked; its screenshot must be a picture (colours, non-background pixels, red).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubeClient, recordRef } from '../../../src/engine';
import { historyRef } from '../../../src/history';
import { inventoryRef } from '../../../src/runner/inventory-store';
import { cli, releaseHookFinalizers, tempDir, writeManifests } from '../cli/_cli';
import { client, configMap, deployment, hookJob, kubeconfig, uniqueNamespace, withNamespace } from '../engine/_helpers';
import { dumpDom, ensureChromium, pixelStats, screenshot } from '../../unit/timeline/_chromium';

let c: KubeClient;
let chromium: string;
const dir = tempDir();
beforeAll(async () => {
  c = client();
  chromium = await ensureChromium();
}, 900_000);
afterAll(() => {
  c.close?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a failed sync on the embedded cluster, drawn by `timeline --name`: one bar per hook run in time order in Chromium, not blank', async () => {
  const ns = uniqueNamespace('tl-browser');
  const cleanup = await withNamespace(c, ns);
  try {
    const manifests = [
      hookJob(ns, 'migrate', { phase: 'PreSync', duration: '300ms' }),
      hookJob(ns, 'seed', { phase: 'PreSync', wave: 1, duration: '200ms' }),
      configMap(ns, 'settings'),
      deployment(ns, 'web', 1),
      hookJob(ns, 'smoke', { phase: 'PostSync', duration: '200ms', fail: { exitCode: 2, message: 'smoke test failed' } }),
      hookJob(ns, 'alert', { phase: 'SyncFail', policy: 'HookSucceeded' }),
    ];
    const run = await cli(['sync', '-f', writeManifests(dir, `${ns}.yaml`, manifests), '--kubeconfig', kubeconfig(), '--name', ns]);
    if (run.code !== 1) throw new Error(`expected the sync to fail (exit 1), got ${run.code}:\n${run.stdout}\n${run.stderr}`);
    const started = run.events.filter((e) => / hook Job \S+ started$/.test(e)).map((e) => /hook (Job \S+) started/.exec(e)![1]);
    expect(started.slice(0, 3)).toEqual([`Job ${ns}/migrate`, `Job ${ns}/seed`, `Job ${ns}/smoke`]);
    expect(started[3]).toMatch(new RegExp(`^Job ${ns}/alert`));

    const page = path.join(dir, 'timeline.html');
    const tl = await cli(['timeline', '--kubeconfig', kubeconfig(), '--name', ns, '-o', page]);
    if (tl.code !== 0) throw new Error(`timeline failed:\n${tl.stderr}`);

    // The DOM as Chromium built it from the recorded operation.
    const dom = await dumpDom(chromium, page);
    const bars = [...dom.matchAll(/<rect class="bar hook (\w+)"[^>]*data-object="([^"]+)" data-start="(\d+)"/g)].map((m) => ({ state: m[1], object: m[2], start: Number(m[3]) }));
    expect(bars.map((b) => b.object)).toEqual(started);
    const starts = bars.map((b) => b.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(bars.map((b) => b.state)).toEqual(['ok', 'ok', 'failed', 'ok']);
    expect(dom).toMatch(/class="band syncfail/);
    expect(dom).toContain(`<title>${ns}: sync timeline</title>`);

    const stats = pixelStats(await screenshot(chromium, page, path.join(dir, 'timeline.png')));
    expect(stats.width).toBeGreaterThan(0);
    expect(stats.colours).toBeGreaterThan(20);
    expect(stats.nonBackground).toBeGreaterThan(0.02);
    expect(stats.hasRed).toBe(true);
  } finally {
    await releaseHookFinalizers(c, ns);
    for (const r of [inventoryRef(ns), recordRef(ns), historyRef(ns)]) await c.delete(r).catch(() => undefined);
    await cleanup();
  }
}, 240_000);
