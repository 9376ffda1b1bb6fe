import { SYNC_HOOKS_FAILED_OBJECT, SYNC_HOOKS_FAILED_PHASE, SYNC_HOOKS_FAILURE_MESSAGE, SyncCancelledError, SyncFailedError, SyncTimeoutError, runSync } from '../../../src/engine';
import { FakeKubeClient, completeJob, degradeDeployment, failJob, never } from '../../support';
import { HOOK_FINALIZER, KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { NS, Recorder, configMap, deployment, envOf, fakeCluster, fast, job } from './_helpers';

const notify = () => job('notify', { phase: 'SyncFail', containers: ['slack', 'pager'], initContainers: ['prep'] });

function manifests(): KubeObject[] {
  return [job('migrate', { phase: 'PreSync' }), configMap('settings'), deployment('web', { wave: 1 }), job('smoke', { phase: 'PostSync' }), notify()];
}

interface Case {
  name: string;
  script: (fake: FakeKubeClient) => void;
  opts?: Record<string, unknown>;
  abortAfterMs?: number;
  errorClass: new (...args: any[]) => SyncFailedError;
  reason: string;
  phase: string;
  object: string;
  message: RegExp;
}

const cases: Case[] = [
  {
    name: 'a failed PreSync hook',
    script: (f) => f.react({ name: 'migrate' }, failJob({ afterMs: 5, message: 'boom' })),
    errorClass: SyncFailedError,
    reason: 'HookFailed',
    phase: 'PreSync',
    object: 'Job app/migrate',
    message: /HookFailed in PreSync wave 0: Job app\/migrate: .*termination message and logs withheld/s,
  },
  {
    name: 'a failed PostSync hook',
    script: (f) => f.react({ name: 'smoke' }, failJob()),
    errorClass: SyncFailedError,
    reason: 'HookFailed',
    phase: 'PostSync',
    object: 'Job app/smoke',
    message: /HookFailed in PostSync/,
  },
  {
    name: 'an apply error',
    script: (f) => f.failOn('apply', { name: 'settings' }, 'ConfigMap "settings" is invalid: data[bad key]: Invalid value', { dryRun: false }),
    errorClass: SyncFailedError,
    reason: 'ApplyFailed',
    phase: 'Sync',
    object: 'ConfigMap app/settings',
    message: /ApplyFailed in Sync wave 0: ConfigMap app\/settings: .*Invalid value/,
  },
  {
    name: 'a Degraded resource',
    script: (f) => f.react({ kind: 'Deployment' }, degradeDeployment(5)),
    errorClass: SyncFailedError,
    reason: 'Degraded',
    phase: 'Sync',
    object: 'Deployment app/web',
    message: /Degraded in Sync wave 1: Deployment app\/web: is Degraded/,
  },
  {
    name: 'a hook deadline',
    script: (f) => f.react({ name: 'migrate' }, never),
    opts: { hookTimeoutMs: 50 },
    errorClass: SyncTimeoutError,
    reason: 'HookTimeout',
    phase: 'PreSync',
    object: 'Job app/migrate',
    message: /HookTimeout in PreSync wave 0: Job app\/migrate: did not complete within/,
  },
  {
    name: 'the operation deadline',
    script: (f) => f.react({ kind: 'Deployment' }, never),
    opts: { timeoutMs: 1500 }, // well past the in-memory PreSync even on a loaded machine: the deadline must hit in Sync,
    errorClass: SyncTimeoutError,
    reason: 'Timeout',
    phase: 'Sync',
    object: '',
    message: /Timeout in Sync wave 1: the operation did not finish within/,
  },
  {
    name: 'cancellation',
    script: (f) => f.react({ name: 'migrate' }, never),
    abortAfterMs: 40,
    errorClass: SyncCancelledError,
    reason: 'Cancelled',
    phase: 'PreSync',
    object: '',
    message: /Cancelled in PreSync wave 0: the operation was cancelled/,
  },
];

describe.each(cases)('SyncFail runs after $name', (c) => {
  test('with the failure env in every container, then the typed error says so', async () => {
    const fake = fakeCluster();
    c.script(fake);
    const rec = new Recorder();
    const ctl = new AbortController();
    if (c.abortAfterMs) setTimeout(() => ctl.abort(), c.abortAfterMs);
    const err = await runSync(fake, planSync(manifests(), { defaultNamespace: NS }), { ...fast, ...c.opts, signal: ctl.signal, onEvent: rec.push }).catch((e) => e);

    expect(err).toBeInstanceOf(c.errorClass);
    expect(err.reason).toBe(c.reason);
    expect(err.phase).toBe(c.phase);
    expect(err.object ?? '').toBe(c.object);

    const sent = fake.entries('apply', 'Job/app/notify')[0]?.detail as KubeObject;
    expect(sent).toBeDefined();
    const spec = sent.spec.template.spec;
    for (const container of [...spec.containers, ...spec.initContainers]) {
      const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
      expect(env[SYNC_HOOKS_FAILED_PHASE]).toBe(c.phase);
      expect(env[SYNC_HOOKS_FAILED_OBJECT]).toBe(c.object);
      expect(env[SYNC_HOOKS_FAILURE_MESSAGE]).toMatch(c.message);
      expect(env[SYNC_HOOKS_FAILURE_MESSAGE]).not.toContain('boom'); // the hook's own output stays in the cluster
    }
    expect(envOf(sent).KEEP).toBe('1'); // the container's own env is kept

    expect(err.syncFail).toMatchObject({ ran: true, status: 'Succeeded' });
    expect(err.syncFail.hooks.map((h: any) => [h.name, h.phase, h.status])).toEqual([['notify', 'SyncFail', 'Succeeded']]);
    expect(err.message).toMatch(c.message);
    expect(err.message).toContain('SyncFail ran: 1 SyncFail hook succeeded.');

    // Event order: the failure, then SyncFail, then the operation's failure.
    const types = rec.types();
    expect(types.indexOf('syncfail.started')).toBeGreaterThan(-1);
    expect(types.indexOf('syncfail.started')).toBeLessThan(types.indexOf('syncfail.finished'));
    expect(types.at(-1)).toBe('operation.failed');
    expect(rec.of('syncfail.started')[0]).toMatchObject({ reason: c.reason, failedPhase: c.phase });
    // No hook is left holding the finalizer.
    for (const o of fake.objects({ kind: 'Job' })) expect(o.metadata.finalizers ?? []).not.toContain(HOOK_FINALIZER);
    fake.dispose();
  });
});

test('after an apply error nothing later is applied', async () => {
  const fake = fakeCluster();
  fake.failOn('apply', { name: 'settings' }, 'nope', { dryRun: false });
  await runSync(fake, planSync(manifests(), { defaultNamespace: NS }), fast).catch(() => undefined);
  expect(fake.entries('apply', 'Deployment')).toHaveLength(0);
  expect(fake.entries('apply', 'Job/app/smoke')).toHaveLength(0);
});

test('a PreSync failure applies no Sync-phase object', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, failJob());
  await expect(runSync(fake, planSync(manifests(), { defaultNamespace: NS }), fast)).rejects.toThrow(SyncFailedError);
  expect(fake.entries('apply').map((e) => e.id)).toEqual(['batch/Job/app/migrate', 'batch/Job/app/notify']);
});

test('cancellation and the operation deadline terminate running hooks (finalizer removed, deleted)', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, never);
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(), 30);
  const rec = new Recorder();
  const err = await runSync(fake, planSync(manifests(), { defaultNamespace: NS }), { ...fast, signal: ctl.signal, onEvent: rec.push }).catch((e) => e);
  expect(err).toBeInstanceOf(SyncCancelledError);
  expect(err.hooks.find((h: any) => h.name === 'migrate')).toMatchObject({ status: 'Terminated', deleted: true });
  expect(fake.peek({ apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name: 'migrate' })).toBeUndefined();
  expect(rec.index('hook.terminated', 'migrate')).toBeLessThan(rec.index('syncfail.started'));
});

test('other hooks of the failed wave finish while SyncFail runs', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'fast-fail' }, failJob({ afterMs: 5 }));
  fake.react({ name: 'slow-ok' }, completeJob(80));
  const plan = planSync([job('fast-fail', { phase: 'PreSync' }), job('slow-ok', { phase: 'PreSync' }), notify()], { defaultNamespace: NS });
  const rec = new Recorder();
  const err = await runSync(fake, plan, { ...fast, onEvent: rec.push }).catch((e) => e);
  expect(err.reason).toBe('HookFailed');
  expect(err.hooks.find((h: any) => h.name === 'slow-ok').status).toBe('Succeeded');
  expect(rec.index('syncfail.started')).toBeLessThan(rec.index('hook.succeeded', 'slow-ok'));
  expect(rec.index('hook.succeeded', 'slow-ok')).toBeLessThan(rec.index('operation.failed'));
});

test('a failing SyncFail hook is reported, and SyncFail HookFailed hooks are deleted', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, failJob());
  fake.react({ name: 'notify' }, failJob({ exitCode: 2 }));
  const plan = planSync([job('migrate', { phase: 'PreSync' }), job('notify', { phase: 'SyncFail', policy: 'HookFailed' })], { defaultNamespace: NS });
  const err = await runSync(fake, plan, fast).catch((e) => e);
  expect(err.syncFail.status).toBe('Failed');
  expect(err.syncFail.message).toMatch(/Job app\/notify/);
  expect(err.message).toMatch(/SyncFail ran: 1 SyncFail hook, FAILED/);
  expect(fake.peek({ apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name: 'notify' })).toBeUndefined();
});

test('without SyncFail hooks the error says none ran', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, failJob());
  const err = await runSync(fake, planSync([job('migrate', { phase: 'PreSync' })], { defaultNamespace: NS }), fast).catch((e) => e);
  expect(err.syncFail).toEqual({ ran: false, status: 'NotRun', hooks: [] });
  expect(err.message).toContain('No SyncFail hooks to run.');
});

test('cancelled before it started: nothing written, SyncFail not run', async () => {
  const fake = fakeCluster();
  const ctl = new AbortController();
  ctl.abort();
  const err = await runSync(fake, planSync(manifests(), { defaultNamespace: NS }), { ...fast, signal: ctl.signal }).catch((e) => e);
  expect(err).toBeInstanceOf(SyncCancelledError);
  expect(err.syncFail.ran).toBe(false);
  expect(fake.entries()).toEqual([]);
});

test('the partial inventory is in the error', async () => {
  const fake = fakeCluster();
  fake.react({ kind: 'Deployment' }, degradeDeployment());
  const err = await runSync(fake, planSync(manifests(), { defaultNamespace: NS }), fast).catch((e) => e);
  expect(err.result.applied.map((k: any) => k.name)).toEqual(['settings', 'web']);
});
