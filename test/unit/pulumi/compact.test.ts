/** Compact output of SyncedChart (both providers): few lasting lines, status updates marked ephemeral. */
import { runSync } from '../../../src/engine';
import { completeJob, failJob } from '../../support';
import { planSync } from '../../../src/plan';
import { compactRenderer, RenderedLine, syncPlanSummary } from '../../../src/pulumi/compact';
import { configMap, deployment, fakeCluster, fast, job, NS } from '../engine/_helpers';

function chart() {
  return [job('migrate', { phase: 'PreSync' }), configMap('settings'), deployment('web', { wave: 1 }), job('smoke', { phase: 'PostSync' }), job('alert', { phase: 'SyncFail' })];
}

async function render(script: (f: ReturnType<typeof fakeCluster>) => void): Promise<RenderedLine[]> {
  const fake = fakeCluster();
  script(fake);
  const r = compactRenderer();
  const lines: RenderedLine[] = [];
  await runSync(fake, planSync(chart(), { defaultNamespace: NS }), {
    ...fast,
    onEvent: (e) => {
      const l = r(e);
      if (l) lines.push(l);
    },
  }).catch(() => undefined);
  return lines;
}

test('a successful sync leaves one line per hook and a summary; the rest is ephemeral', async () => {
  const lines = await render((f) => {
    f.react({ name: 'migrate' }, completeJob(5));
    f.react({ name: 'smoke' }, completeJob(5));
  });
  const lasting = lines.filter((l) => !l.ephemeral).map((l) => l.line);
  expect(lasting).toHaveLength(3);
  expect(lasting[0]).toMatch(/PreSync.*hook Job app\/migrate succeeded/);
  expect(lasting[1]).toMatch(/PostSync.*hook Job app\/smoke succeeded/);
  expect(lasting[2]).toMatch(/^sync succeeded in \d+\.\ds: 2 objects applied, 2 hooks$/);
  // Status updates: each wave and each hook as it starts, an object's wait when it changes; nothing
  // that only says a step went as planned (applied, ready, finished), which the summary counts.
  const status = lines.filter((l) => l.ephemeral).map((l) => l.line);
  expect(status.filter((l) => /wave \d+: started/.test(l))).toHaveLength(4);
  expect(status.filter((l) => /hook Job app\/\S+ started/.test(l))).toHaveLength(2);
  expect(status.filter((l) => /applied|is ready|finished|phase started|sync started|waiting for Job/.test(l))).toEqual([]);
});

test('an object\'s wait is one status update per distinct message; a hook\'s own wait none', () => {
  const r = compactRenderer();
  const at = { time: '', elapsedMs: 0, operationId: 'op', phase: 'Sync' as const, wave: 0 };
  const web = { ...at, key: 'apps/Deployment/app/web', object: 'Deployment app/web' };
  const hook = { ...at, key: 'batch/Job/app/smoke', object: 'Job app/smoke' };
  const out = [
    r({ type: 'object.waiting', ...web, message: '0/1 ready' }),
    r({ type: 'object.waiting', ...web, message: '0/1 ready' }),
    r({ type: 'object.waiting', ...web, message: '1/1 ready' }),
    r({ type: 'hook.created', ...hook }),
    r({ type: 'object.waiting', ...hook, message: 'Waiting for Job to complete' }),
  ].filter(Boolean) as RenderedLine[];
  expect(out.map((l) => [l.ephemeral, l.line.replace(/^\S+ /, '')])).toEqual([
    [true, expect.stringContaining('waiting for Deployment app/web: 0/1 ready')],
    [true, expect.stringContaining('waiting for Deployment app/web: 1/1 ready')],
    [true, expect.stringContaining('hook Job app/smoke started')],
  ]);
});

test('a failed sync keeps the failure, SyncFail and a summary naming the failed hook', async () => {
  const lines = await render((f) => {
    f.react({ name: 'migrate' }, failJob({ afterMs: 5, message: 'boom' }));
    f.react({ name: 'alert' }, completeJob(5));
  });
  const lasting = lines.filter((l) => !l.ephemeral).map((l) => l.line);
  expect(lasting.some((l) => /hook Job app\/migrate FAILED/.test(l))).toBe(true);
  expect(lasting.some((l) => /^\+\S+ SyncFail: running 1 hook/.test(l))).toBe(true);
  expect(lasting[lasting.length - 1]).toMatch(/^sync FAILED after .* \(HookFailed\); .*1 failed/);
});

test('the plan summary counts steps, objects and hooks', () => {
  expect(syncPlanSummary(planSync(chart(), { defaultNamespace: NS }))).toBe('sync plan: 4 steps, 2 objects, 2 hooks (+1 SyncFail on failure)');
});

test('heartbeats are lasting lines (CI logs never stay silent while a hook runs)', async () => {
  const fake = fakeCluster();
  // The hook completes only once two heartbeats were rendered (no dependence on timer speed).
  let release = () => {};
  fake.react({ name: 'migrate' }, (obj, f) => {
    release = () => completeJob(0)(obj, f);
  });
  const r = compactRenderer();
  const lines: RenderedLine[] = [];
  let seen = 0;
  await runSync(fake, planSync([job('migrate', { phase: 'PreSync' })], { defaultNamespace: NS }), {
    ...fast,
    heartbeatIntervalMs: 40,
    onEvent: (e) => {
      const l = r(e);
      if (l) lines.push(l);
      if (e.type === 'heartbeat' && ++seen === 2) release();
    },
  });
  const beats = lines.filter((l) => / still waiting after /.test(l.line));
  expect(beats.length).toBeGreaterThanOrEqual(2);
  expect(beats.every((l) => !l.ephemeral && /hook Job app\/migrate to complete/.test(l.line))).toBe(true);
});
