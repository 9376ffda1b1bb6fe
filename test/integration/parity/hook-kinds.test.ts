/**
 * Argo CD parity, round 2 (issue 13 item 8) on the embedded cluster: hooks that are not Jobs.
 *
 * Argo CD judges a hook by the health of its kind (gitops-engine `pkg/sync/sync_context.go`
 * `getOperationPhase` → `pkg/health`: `health_pod.go` for Pods, `health_argo.go` for
 * argoproj.io Workflows); a kind without a health check is complete as soon as it is created
 * ("no health check → done", spec §4.3; Argo CD docs `resource_hooks.md`: passive resources such as a
 * ConfigMap have no completion state). The Workflow CRD is installed by the test and the test plays
 * the Argo Workflows controller by writing `status.phase` (the cluster has no such controller; the
 * API server, the watch and the engine are real).
 */
import { KubeClient, SyncFailedError, runSync } from '../../../src/engine';
import { HOOK_FINALIZER, KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { POD_EXIT_CODE_ANNOTATION, POD_FAIL_LABEL, POD_FAIL_MESSAGE_ANNOTATION, POD_RUN_DURATION_ANNOTATION } from '../../../src/localcluster';
import { Timeline, client, clusterOpts, configMap, eventually, ref, seconds, uniqueNamespace, withNamespace } from '../engine/_helpers';
import { installWorkflowCrd, setWorkflowPhase, wfRef, workflowHook } from './_workflow';

let c: KubeClient;
let ns: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  c = client();
  await installWorkflowCrd(c);
});
afterAll(() => c.close?.());
beforeEach(async () => {
  ns = uniqueNamespace('parity-hooks');
  cleanup = await withNamespace(c, ns);
});
afterEach(async () => {
  // Workflows the test left with the hook finalizer (no controller) would keep the namespace Terminating.
  for (const wf of await c.list({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', namespace: ns }).catch(() => [])) {
    await c.patchFinalizers(wfRef(ns, wf.metadata.name!), { remove: [HOOK_FINALIZER] }).catch(() => undefined);
  }
  await cleanup();
});

function podHook(name: string, phase: string, o: { duration?: string; fail?: { exitCode: number; message: string } } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      annotations: {
        'argocd.argoproj.io/hook': phase,
        [POD_RUN_DURATION_ANNOTATION]: o.duration ?? '1s',
        ...(o.fail ? { [POD_EXIT_CODE_ANNOTATION]: String(o.fail.exitCode), [POD_FAIL_MESSAGE_ANNOTATION]: o.fail.message } : {}),
      },
      labels: o.fail ? { [POD_FAIL_LABEL]: 'true' } : {},
    },
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] },
  };
}

test('a Pod hook gates the sync until the Pod has Succeeded (gitops-engine health_pod.go)', async () => {
  const tl = new Timeline();
  const result = await runSync(c, planSync([podHook('pre-pod', 'PreSync', { duration: '1500ms' }), configMap(ns, 'after')]), { ...clusterOpts, onEvent: tl.push });
  const pod = (await c.get(ref(ns, 'Pod', 'pre-pod')))!;
  const after = (await c.get(ref(ns, 'ConfigMap', 'after')))!;
  expect(pod.status.phase).toBe('Succeeded');
  const finished = Math.max(...pod.status.containerStatuses.map((s: any) => seconds(s.state.terminated.finishedAt)));
  expect(seconds(after.metadata.creationTimestamp)).toBeGreaterThanOrEqual(finished);
  expect(tl.index('hook.succeeded', 'pre-pod')).toBeLessThan(tl.index('object.applied', 'after'));
  expect(result.hooks.map((h) => [h.object, h.status])).toEqual([[`Pod ${ns}/pre-pod`, 'Succeeded']]);
  expect(pod.metadata.finalizers ?? []).not.toContain(HOOK_FINALIZER);
});

test('a failed Pod hook fails the sync with the container exit code; nothing of the Sync phase is applied', async () => {
  const err = await runSync(c, planSync([podHook('bad-pod', 'PreSync', { fail: { exitCode: 4, message: 'no db' } }), configMap(ns, 'after')]), clusterOpts).catch((e) => e);
  expect(err).toBeInstanceOf(SyncFailedError);
  expect(err).toMatchObject({ reason: 'HookFailed', phase: 'PreSync', object: `Pod ${ns}/bad-pod` });
  expect(err.containers[0]).toMatchObject({ exitCode: 4 });
  expect(await c.get(ref(ns, 'ConfigMap', 'after'))).toBeUndefined();
});

test('an Argo Workflow hook: Running holds the sync, Succeeded releases it; Failed fails it (gitops-engine health_argo.go)', async () => {
  const tl = new Timeline();
  const sync = runSync(c, planSync([workflowHook(ns, 'migrate-wf', 'PreSync'), configMap(ns, 'after')]), { ...clusterOpts, onEvent: tl.push });
  await eventually('the Workflow hook to be created', async () => c.get(wfRef(ns, 'migrate-wf')));
  await setWorkflowPhase(ns, 'migrate-wf', 'Running', 'step 1 of 2');
  // Running: the engine has seen it (it reports the Workflow's progress) and holds the Sync phase.
  await eventually('the engine to see the running Workflow', async () =>
    tl.events.some((e) => e.type === 'object.waiting' && 'object' in e && String(e.object).includes('migrate-wf') && e.message.includes('step 1 of 2')),
  );
  expect(await c.get(ref(ns, 'ConfigMap', 'after'))).toBeUndefined();
  await setWorkflowPhase(ns, 'migrate-wf', 'Succeeded');
  const result = await sync;
  expect(result.hooks.map((h) => [h.object, h.status])).toEqual([[`Workflow ${ns}/migrate-wf`, 'Succeeded']]);
  expect(tl.index('hook.succeeded', 'migrate-wf')).toBeLessThan(tl.index('object.applied', 'after'));
  expect((await c.get(wfRef(ns, 'migrate-wf')))!.metadata.finalizers ?? []).not.toContain(HOOK_FINALIZER);

  const failing = runSync(c, planSync([workflowHook(ns, 'broken-wf', 'PreSync'), configMap(ns, 'later')]), clusterOpts).catch((e) => e);
  await eventually('the second Workflow hook to be created', async () => c.get(wfRef(ns, 'broken-wf')));
  await setWorkflowPhase(ns, 'broken-wf', 'Failed', 'step main exited 1');
  const err = await failing;
  expect(err).toBeInstanceOf(SyncFailedError);
  expect(err).toMatchObject({ reason: 'HookFailed', phase: 'PreSync', object: `Workflow ${ns}/broken-wf` });
  expect(err.message).toContain('step main exited 1');
  expect(await c.get(ref(ns, 'ConfigMap', 'later'))).toBeUndefined();
});

test('a hook of a kind without health (ConfigMap) completes as soon as it is created', async () => {
  const hook = { ...configMap(ns, 'marker'), metadata: { name: 'marker', namespace: ns, annotations: { 'argocd.argoproj.io/hook': 'PreSync' } } };
  const tl = new Timeline();
  const result = await runSync(c, planSync([hook, configMap(ns, 'after')]), { ...clusterOpts, onEvent: tl.push });
  expect(result.hooks.map((h) => [h.object, h.status])).toEqual([[`ConfigMap ${ns}/marker`, 'Succeeded']]);
  // No waiting on it: created, succeeded, then the Sync phase.
  expect(tl.events.some((e) => e.type === 'object.waiting' && 'object' in e && String(e.object).includes('marker'))).toBe(false);
  expect(tl.index('hook.created', 'marker')).toBeLessThan(tl.index('hook.succeeded', 'marker'));
  expect(tl.index('hook.succeeded', 'marker')).toBeLessThan(tl.index('object.applied', 'after'));
  const marker = (await c.get(ref(ns, 'ConfigMap', 'marker')))!;
  expect(marker.metadata.finalizers ?? []).not.toContain(HOOK_FINALIZER);
});
