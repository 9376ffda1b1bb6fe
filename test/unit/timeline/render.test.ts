import { EngineEvent, runSync } from '../../../src/engine';
import { completeJob, failJob, readyWorkload } from '../../support';
import { planSync } from '../../../src/plan';
import { renderTimeline, timelineModel } from '../../../src/timeline';
import { configMap, deployment, fakeCluster, fast, job, Recorder, rejection } from '../engine/_helpers';

/** A hand-written event stream: `at` is elapsedMs. */
function ev(at: number, body: Record<string, unknown>): EngineEvent {
  return { ...body, elapsedMs: at, time: new Date(Date.UTC(2026, 0, 1) + at).toISOString(), operationId: 'op1234567890abc' } as unknown as EngineEvent;
}
const about = (name: string, kind = 'Job') => ({ key: `batch/${kind}/app/${name}`, object: `${kind} app/${name}` });

/** Bars of the page, in document order: [kind, state, object, start]. */
function barsOf(html: string): Array<[string, string, string, number]> {
  return [...html.matchAll(/<rect class="bar [^"]*" [^>]*data-kind="([^"]+)" data-state="([^"]+)" data-object="([^"]+)" data-start="([^"]+)"/g)].map(
    (m) => [m[1], m[2], m[3], Number(m[4])],
  );
}

describe('timelineModel', () => {
  test('waves as bands, the idle gap between them, apply → ready and hook bars', () => {
    const m = timelineModel([
      ev(0, { type: 'operation.started', operation: 'sync', steps: 2 }),
      ev(0, { type: 'phase.started', phase: 'PreSync' }),
      ev(1, { type: 'wave.started', phase: 'PreSync', wave: 0, objects: 1 }),
      ev(2, { type: 'hook.created', phase: 'PreSync', wave: 0, ...about('migrate') }),
      ev(900, { type: 'hook.succeeded', phase: 'PreSync', wave: 0, ...about('migrate'), durationMs: 898 }),
      ev(901, { type: 'wave.finished', phase: 'PreSync', wave: 0, durationMs: 900 }),
      ev(901, { type: 'phase.finished', phase: 'PreSync', durationMs: 901 }),
      ev(1400, { type: 'phase.started', phase: 'Sync' }),
      ev(1400, { type: 'wave.started', phase: 'Sync', wave: 0, objects: 1 }),
      ev(1410, { type: 'object.applied', phase: 'Sync', wave: 0, ...about('web', 'Deployment') }),
      ev(2000, { type: 'object.ready', phase: 'Sync', wave: 0, ...about('web', 'Deployment'), durationMs: 590 }),
      ev(2001, { type: 'wave.finished', phase: 'Sync', wave: 0, durationMs: 601 }),
      ev(2001, { type: 'phase.finished', phase: 'Sync', durationMs: 601 }),
      ev(2002, { type: 'operation.succeeded', operation: 'sync', durationMs: 2002 }),
    ]);
    expect(m).toMatchObject({ operation: 'sync', status: 'Succeeded', durationMs: 2002, operationId: 'op1234567890abc' });
    expect(m.bands.map((b) => [b.level, b.label, b.start, b.end])).toEqual([
      ['phase', 'PreSync', 0, 901],
      ['wave', 'PreSync 0', 1, 901],
      ['phase', 'Sync', 1400, 2001],
      ['wave', 'Sync 0', 1400, 2001],
    ]);
    expect(m.gaps).toEqual([{ start: 901, end: 1400 }]);
    expect(m.bars.map((b) => [b.kind, b.object, b.start, b.end, b.state])).toEqual([
      ['hook', 'Job app/migrate', 2, 900, 'ok'],
      ['object', 'Deployment app/web', 1410, 2000, 'ok'],
    ]);
  });

  test('a failed hook is red, the wave and the failure are marked, SyncFail is a band, an object that never got ready is open', () => {
    const m = timelineModel([
      ev(0, { type: 'operation.started', operation: 'sync', steps: 1 }),
      ev(0, { type: 'wave.started', phase: 'Sync', wave: 0, objects: 2 }),
      ev(5, { type: 'object.applied', phase: 'Sync', wave: 0, ...about('cfg', 'ConfigMap') }),
      ev(6, { type: 'hook.created', phase: 'Sync', wave: 0, ...about('smoke') }),
      ev(500, { type: 'hook.failed', phase: 'Sync', wave: 0, ...about('smoke'), durationMs: 494, message: 'BackoffLimitExceeded' }),
      ev(510, { type: 'syncfail.started', reason: 'HookFailed', failedPhase: 'Sync', failedObject: 'Job app/smoke', message: 'boom', hooks: 1 }),
      ev(520, { type: 'hook.created', phase: 'SyncFail', wave: 0, ...about('notify') }),
      ev(700, { type: 'hook.succeeded', phase: 'SyncFail', wave: 0, ...about('notify'), durationMs: 180 }),
      ev(701, { type: 'syncfail.finished', status: 'Succeeded', durationMs: 191 }),
      ev(702, { type: 'operation.failed', operation: 'sync', reason: 'HookFailed', message: 'Job app/smoke failed', durationMs: 702 }),
    ]);
    expect(m.status).toBe('Failed');
    expect(m.failure).toEqual({ at: 702, reason: 'HookFailed', message: 'Job app/smoke failed' });
    expect(m.bars.map((b) => [b.object, b.state])).toEqual([
      ['ConfigMap app/cfg', 'open'],
      ['Job app/smoke', 'failed'],
      ['Job app/notify', 'ok'],
    ]);
    expect(m.bands.find((b) => b.level === 'syncfail')).toMatchObject({ start: 510, end: 701, failed: false });
    expect(m.bands.find((b) => b.level === 'wave')).toMatchObject({ label: 'Sync 0', failed: true });
  });

  test('teardown deletions are bars ending when the object was gone', () => {
    const m = timelineModel([
      ev(0, { type: 'operation.started', operation: 'teardown', steps: 1 }),
      ev(300, { type: 'object.deleted', reason: 'teardown', phase: 'Delete', wave: 0, ...about('web', 'Deployment'), durationMs: 250 }),
      ev(301, { type: 'operation.succeeded', operation: 'teardown', durationMs: 301 }),
    ]);
    expect(m.bars).toEqual([expect.objectContaining({ kind: 'delete', start: 50, end: 300, state: 'ok' })]);
  });
});

describe('renderTimeline', () => {
  test('a self-contained page: no script, no external reference, names escaped', () => {
    const html = renderTimeline(
      [
        ev(0, { type: 'operation.started', operation: 'sync', steps: 1 }),
        ev(0, { type: 'wave.started', phase: 'Sync', wave: 0, objects: 1 }),
        ev(1, { type: 'hook.created', phase: 'Sync', wave: 0, key: 'k', object: 'Job app/<script>alert(1)</script>' }),
        ev(9, { type: 'hook.failed', phase: 'Sync', wave: 0, key: 'k', object: 'Job app/<script>alert(1)</script>', durationMs: 8, message: 'a "quoted" & <b>' }),
        ev(10, { type: 'operation.failed', operation: 'sync', reason: 'HookFailed', message: '<img src=x>', durationMs: 10 }),
      ],
      { title: 'shop & co' },
    );
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<img|<link|@import|src=["']?http/i);
    expect(html).not.toMatch(/href="http/);
    expect(html).toContain('<title>shop &amp; co: sync timeline</title>');
    expect(html).toContain('Job app/&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &quot;quoted&quot; &amp; &lt;b&gt;');
    expect(barsOf(html)).toEqual([['hook', 'failed', 'Job app/&lt;script&gt;alert(1)&lt;/script&gt;', 1]]);
  });

  test('an idle gap between waves is hatched and labelled', () => {
    const html = renderTimeline([
      ev(0, { type: 'wave.started', phase: 'PreSync', wave: 0, objects: 1 }),
      ev(100, { type: 'wave.finished', phase: 'PreSync', wave: 0, durationMs: 100 }),
      ev(900, { type: 'wave.started', phase: 'Sync', wave: 0, objects: 1 }),
      ev(1000, { type: 'wave.finished', phase: 'Sync', wave: 0, durationMs: 100 }),
    ]);
    expect(html).toMatch(/<rect class="gap" [^>]*fill="url\(#idle\)" data-start="100" data-end="900"><title>idle 800ms between waves<\/title>/);
    expect(html).toContain('>idle 800ms</text>');
    expect(html).toContain('idle between waves 800ms');
  });

  test('from a real engine run on the fake cluster: one bar per hook in time order, the failed hook red, SyncFail drawn', async () => {
    const fake = fakeCluster();
    fake.react({ name: 'migrate' }, completeJob(30));
    fake.react({ name: 'web' }, readyWorkload(40));
    fake.react({ name: 'smoke' }, failJob({ afterMs: 20, message: 'smoke test failed' }));
    const rec = new Recorder();
    const plan = planSync([
      job('migrate', { phase: 'PreSync' }),
      configMap('settings'),
      deployment('web', { wave: 1 }),
      job('smoke', { phase: 'PostSync' }),
      job('notify', { phase: 'SyncFail' }),
    ]);
    await rejection(runSync(fake, plan, { ...fast, dryRun: false, logTailLines: 0, onEvent: rec.push }));
    const html = renderTimeline(rec.events, { title: 'shop' });
    const hooks = barsOf(html).filter(([kind]) => kind === 'hook');
    expect(hooks.map(([, state, object]) => [object, state])).toEqual([
      ['Job app/migrate', 'ok'],
      ['Job app/smoke', 'failed'],
      ['Job app/notify', 'ok'],
    ]);
    const starts = hooks.map(([, , , start]) => start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(hooks).toHaveLength(rec.of('hook.created').length);
    expect(html).toMatch(/class="band syncfail"/);
    expect(html).toMatch(/class="band wave failed"/);
    expect(html).toContain('FAILED');
    expect(barsOf(html).filter(([kind]) => kind === 'object').map(([, , o]) => o)).toEqual(['ConfigMap app/settings', 'Deployment app/web']);
  });
});
