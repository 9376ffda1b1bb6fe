import { SYNC_HOOKS_FAILED_OBJECT, SYNC_HOOKS_FAILED_PHASE, SYNC_HOOKS_FAILURE_MESSAGE } from '../../../src/engine';
import { completeJob, failJob, FakeKubeClient } from '../../support';
import { failedObject, failureOf, runSyncFailHooks, SyncFailOnce } from '../../../src/interop';
import { KubeObject } from '../../../src/model';

const NS = 'app';
function hook(name: string, phase: string, policy?: string): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS, annotations: { 'argocd.argoproj.io/hook': phase, ...(policy ? { 'argocd.argoproj.io/hook-delete-policy': policy } : {}) } },
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
  };
}
function cluster(): FakeKubeClient {
  const f = new FakeKubeClient();
  f.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  return f;
}
const envOf = (o: KubeObject | undefined) => Object.fromEntries((o?.spec?.template?.spec?.containers?.[0]?.env ?? []).map((e: any) => [e.name, e.value]));
const err = {
  type: 'kubernetes:apps/v1:Deployment',
  name: 'web',
  newInputs: { metadata: { name: 'web-x1', namespace: 'prod' } },
  failedOperation: 'update',
  errors: ['the Deployment did not become ready', 'older'],
};
const fast = { pollIntervalMs: 20, resyncIntervalMs: 200 };

describe('failure of a wrapped resource', () => {
  test('is named like the engine names objects, from the checked inputs (auto-names included)', () => {
    expect(failedObject(err)).toBe('Deployment prod/web-x1');
    expect(failedObject({ type: 'kubernetes:core/v1:Namespace', name: 'ns', newInputs: {} })).toBe('Namespace ns');
    expect(failedObject({ type: 'kubernetes:core/v1:ConfigMap', name: 'cm', oldOutputs: { metadata: { name: 'cm-1', namespace: 'a' } } })).toBe('ConfigMap a/cm-1');
  });

  test('becomes a Sync-phase failure with the newest error', () => {
    expect(failureOf(err)).toEqual({
      reason: 'ApplyFailed',
      phase: 'Sync',
      object: 'Deployment prod/web-x1',
      detail: 'pulumi update of kubernetes:apps/v1:Deployment "web" failed: the Deployment did not become ready',
    });
  });
});

describe('runSyncFailHooks', () => {
  test('runs the SyncFail hooks with the failure in their env and deletes HookFailed ones', async () => {
    const f = cluster();
    f.react({ name: 'notify' }, completeJob(5));
    f.react({ name: 'cleanup' }, completeJob(5));
    const out = await runSyncFailHooks(
      { client: f, namespace: NS, manifests: [hook('notify', 'SyncFail'), hook('cleanup', 'SyncFail', 'HookFailed')], engine: fast },
      failureOf(err),
    );
    expect(out).toMatchObject({ ran: true, status: 'Succeeded' });
    // Started together, in plan order (kind, then name).
    expect(out.hooks.map((h) => [h.name, h.phase, h.status])).toEqual([
      ['cleanup', 'SyncFail', 'Succeeded'],
      ['notify', 'SyncFail', 'Succeeded'],
    ]);
    const notify = await f.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name: 'notify' });
    expect(envOf(notify)).toMatchObject({ [SYNC_HOOKS_FAILED_PHASE]: 'Sync', [SYNC_HOOKS_FAILED_OBJECT]: 'Deployment prod/web-x1' });
    expect(envOf(notify)[SYNC_HOOKS_FAILURE_MESSAGE]).toMatch(/did not become ready/);
    expect(await f.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name: 'cleanup' })).toBeUndefined();
  });

  test('reports a failing SyncFail hook without throwing', async () => {
    const f = cluster();
    f.react({ name: 'notify' }, failJob({ afterMs: 5, message: 'smtp down' }));
    const out = await runSyncFailHooks({ client: f, namespace: NS, manifests: [hook('notify', 'SyncFail')], engine: fast }, failureOf(err));
    expect(out.status).toBe('Failed');
    expect(out.message).toMatch(/Job app\/notify/);
  });

  test('does nothing without SyncFail hooks', async () => {
    const out = await runSyncFailHooks({ client: cluster(), namespace: NS, manifests: [hook('pre', 'PreSync')] }, failureOf(err));
    expect(out).toEqual({ ran: false, status: 'NotRun', hooks: [] });
  });
});

test('SyncFailOnce runs once however many wrapped resources fail', async () => {
  const f = cluster();
  f.react({ name: 'notify' }, completeJob(5));
  let contexts = 0;
  const once = new SyncFailOnce(async () => {
    contexts++;
    return { client: f, namespace: NS, manifests: [hook('notify', 'SyncFail')], engine: fast };
  });
  expect(once.started).toBe(false);
  const [a, b] = await Promise.all([once.trigger(failureOf(err)), once.trigger(failureOf({ ...err, name: 'other' }))]);
  expect(a).toBe(b);
  expect(contexts).toBe(1);
  expect(once.started).toBe(true);
  expect(f.log.filter((e) => e.id.includes('notify') && !e.dryRun && (e.verb === 'create' || e.verb === 'apply'))).toHaveLength(1);
});

test('SyncFailOnce without a context (e.g. nothing resolved yet) does not run', async () => {
  const once = new SyncFailOnce(async () => undefined);
  expect(await once.trigger(failureOf(err))).toMatchObject({ ran: false, status: 'NotRun' });
});
