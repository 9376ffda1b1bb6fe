/** Compact output of SyncedChart (both providers): few lasting lines, status updates marked ephemeral. */
import { EngineEvent, runSync } from '../../../src/engine';
import { completeJob, failJob } from '../../support';
import { planSync } from '../../../src/plan';
import { compactRenderer, CompactOptions, RenderedLine } from '../../../src/pulumi/compact';
import { configMap, deployment, fakeCluster, fast, job, NS } from '../engine/_helpers';

function chart() {
  return [job('migrate', { phase: 'PreSync' }), configMap('settings'), deployment('web', { wave: 1 }), job('smoke', { phase: 'PostSync' }), job('alert', { phase: 'SyncFail' })];
}

async function render(script: (f: ReturnType<typeof fakeCluster>) => void, opts: CompactOptions = {}): Promise<RenderedLine[]> {
  const fake = fakeCluster();
  script(fake);
  const r = compactRenderer(opts);
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

test('a successful sync leaves one lasting line, the summary naming each hook with its time; the rest is ephemeral', async () => {
  const lines = await render((f) => {
    f.react({ name: 'migrate' }, completeJob(5));
    f.react({ name: 'smoke' }, completeJob(5));
  });
  const lasting = lines.filter((l) => !l.ephemeral).map((l) => l.line);
  expect(lasting).toEqual([expect.stringMatching(/^sync succeeded in \d+\.\ds: 2 objects applied, 2 hooks: PreSync migrate \d+\.\ds, PostSync smoke \d+\.\ds$/)]);
  // Status updates: each wave and each hook as it starts; nothing that only says a step went as
  // planned (applied, ready, finished, a hook succeeded or deleted by its policy), which the summary says.
  const status = lines.filter((l) => l.ephemeral).map((l) => l.line);
  expect(status.filter((l) => /wave \d+: started/.test(l))).toHaveLength(4);
  expect(status.filter((l) => /hook Job app\/\S+ started/.test(l))).toHaveLength(2);
  expect(status.filter((l) => /applied|is ready|finished|phase started|sync started|waiting for Job|succeeded|HookSucceeded/.test(l))).toEqual([]);
});

test('with the plan known, a wave that runs hooks has no "started" line: its hooks announce it', async () => {
  const plan = planSync(chart(), { defaultNamespace: NS });
  const lines = await render(
    (f) => {
      f.react({ name: 'migrate' }, completeJob(5));
      f.react({ name: 'smoke' }, completeJob(5));
    },
    { plan: () => plan },
  );
  const out = lines.map((l) => l.line.replace(/^\S+ /, ''));
  // PreSync wave 0 and PostSync wave 0 run hooks; Sync waves 0 and 1 do not.
  expect(out.filter((l) => / started/.test(l))).toEqual([
    'PreSync wave 0: hook Job app/migrate started',
    'Sync wave 0: started (1 object)',
    'Sync wave 1: started (1 object)',
    'PostSync wave 0: hook Job app/smoke started',
  ]);
});

function ev(body: Record<string, unknown>, elapsedMs = 0): EngineEvent {
  return { time: '', elapsedMs, operationId: 'op', ...body } as EngineEvent;
}

test('warnings already printed with the plan are not repeated; new ones are lasting lines', () => {
  const r = compactRenderer({ alreadyShown: (w) => w === 'Job app/backup: runs only on teardown (PreDelete); not part of the sync plan' });
  expect(r(ev({ type: 'warning', message: 'Job app/backup: runs only on teardown (PreDelete); not part of the sync plan' }))).toBeUndefined();
  expect(r(ev({ type: 'warning', message: 'something new' }))).toEqual({ line: '+0.0s warning: something new' });
});

test('an object\'s wait is a status update once it lasts a second, then per distinct message; a hook\'s own wait none', () => {
  const r = compactRenderer();
  const at = { phase: 'Sync' as const, wave: 0 };
  const web = { ...at, key: 'apps/Deployment/app/web', object: 'Deployment app/web' };
  const quick = { ...at, key: 'v1/ConfigMap/app/quick', object: 'ConfigMap app/quick' };
  const hook = { ...at, key: 'batch/Job/app/smoke', object: 'Job app/smoke' };
  const out = [
    r(ev({ type: 'object.waiting', ...quick, message: 'observing generation 1' }, 100)),
    r(ev({ type: 'object.waiting', ...web, message: '0/1 ready' }, 100)),
    r(ev({ type: 'object.waiting', ...web, message: 'still 0/1 ready' }, 900)),
    r(ev({ type: 'object.waiting', ...web, message: 'progressing 0/1 ready' }, 1200)),
    r(ev({ type: 'object.waiting', ...web, message: 'progressing 0/1 ready' }, 1500)),
    r(ev({ type: 'object.waiting', ...web, message: '1/1 ready' }, 2500)),
    r(ev({ type: 'hook.created', ...hook }, 2600)),
    r(ev({ type: 'object.waiting', ...hook, message: 'Waiting for Job to complete' }, 5000)),
  ].filter(Boolean) as RenderedLine[];
  expect(out.map((l) => [l.ephemeral, l.line])).toEqual([
    [true, '+1.2s Sync wave 0: waiting for Deployment app/web: progressing 0/1 ready'],
    [true, '+2.5s Sync wave 0: waiting for Deployment app/web: 1/1 ready'],
    [true, '+2.6s Sync wave 0: hook Job app/smoke started'],
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
  expect(lasting[lasting.length - 1]).toMatch(/^sync FAILED after .* \(HookFailed\); 2 hooks \(1 failed\): PreSync migrate FAILED \S+, SyncFail alert \S+$/);
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
