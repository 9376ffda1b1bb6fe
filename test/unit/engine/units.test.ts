import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineEvent, SYNC_HOOKS_FAILED_OBJECT, SYNC_HOOKS_FAILED_PHASE, SYNC_HOOKS_FAILURE_MESSAGE, createKubeClient, formatEvent, injectEnv, runSync, syncFailEnv } from '../../../src/engine';
import { failPod } from '../../support';
import { KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { NS, envOf, fakeCluster, fast, job } from './_helpers';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: abc}
contexts:
- name: ctx
  context: {cluster: c, user: u, namespace: team}
current-context: ctx
`;

test('createKubeClient loads a kubeconfig from YAML text or a file path, and rejects anything else', () => {
  expect(createKubeClient(KUBECONFIG)).toBeDefined();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-')), 'config');
  fs.writeFileSync(file, KUBECONFIG);
  expect(createKubeClient(file)).toBeDefined();
  expect(() => createKubeClient('/no/such/kubeconfig')).toThrow(/neither an existing file nor kubeconfig text/);
});

test('injectEnv sets the variables on every container of Pods, Jobs and CronJobs, replacing same-named ones', () => {
  const env = { A: '1', B: '2' };
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'x', env: [{ name: 'A', value: 'old' }, { name: 'C', value: '3' }] }], initContainers: [{ name: 'i' }] } };
  injectEnv(pod, env);
  expect(pod.spec.containers[0].env).toEqual([{ name: 'C', value: '3' }, { name: 'A', value: '1' }, { name: 'B', value: '2' }]);
  expect(pod.spec.initContainers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
  const cron: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'x' }] } } } } } };
  injectEnv(cron, env);
  expect(cron.spec.jobTemplate.spec.template.spec.containers[0].env).toHaveLength(2);
});

test('SyncFail env: phase, object and a bounded message', () => {
  const env = syncFailEnv({ reason: 'HookFailed', phase: 'PostSync', wave: 2, object: 'Job app/smoke', detail: 'x'.repeat(10_000) });
  expect(env[SYNC_HOOKS_FAILED_PHASE]).toBe('PostSync');
  expect(env[SYNC_HOOKS_FAILED_OBJECT]).toBe('Job app/smoke');
  expect(env[SYNC_HOOKS_FAILURE_MESSAGE].length).toBeLessThanOrEqual(4000);
  expect(env[SYNC_HOOKS_FAILURE_MESSAGE]).toMatch(/^HookFailed in PostSync wave 2: Job app\/smoke: x+\.\.\.$/);
});

test('a SyncFail Pod gets the env too, and a failed Pod hook reports its container exit', async () => {
  const fake = fakeCluster();
  fake.react({ kind: 'Pod', name: 'check' }, failPod({ exitCode: 9, message: 'smoke test failed' }));
  const pod = (name: string, phase: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, annotations: { 'argocd.argoproj.io/hook': phase } },
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
  });
  const err = await runSync(fake, planSync([pod('check', 'PreSync'), pod('alert', 'SyncFail')], { defaultNamespace: NS }), fast).catch((e) => e);
  expect(err.message).toMatch(/HookFailed/);
  expect(err.containers[0]).toMatchObject({ pod: 'check', exitCode: 9, message: 'smoke test failed' });
  const alert = fake.entries('apply', 'Pod/app/alert')[0].detail as KubeObject;
  expect(envOf(alert)[SYNC_HOOKS_FAILED_OBJECT]).toBe('Pod app/check');
  fake.dispose();
});

test('formatEvent renders one line per event type', () => {
  const base = { time: '2026-01-01T00:00:00.000Z', elapsedMs: 1234, operationId: 'abc' };
  const lines = (
    [
      { type: 'operation.started', operation: 'sync', steps: 3 },
      { type: 'hook.succeeded', phase: 'PreSync', wave: -1, key: 'batch/Job/app/m', object: 'Job app/m', durationMs: 2100 },
      { type: 'hook.failed', phase: 'PreSync', wave: 0, key: 'k', object: 'Job app/m', durationMs: 40, message: 'BackoffLimitExceeded' },
      { type: 'object.deleted', reason: 'HookSucceeded', phase: 'PreSync', wave: 0, key: 'k', object: 'Job app/m', durationMs: 10 },
      { type: 'syncfail.started', reason: 'Degraded', failedPhase: 'Sync', failedObject: 'Deployment app/web', message: 'x', hooks: 1 },
      { type: 'operation.failed', operation: 'sync', reason: 'Degraded', message: 'x', durationMs: 5000 },
    ] as const
  ).map((b) => formatEvent({ ...base, ...b } as EngineEvent));
  expect(lines).toEqual([
    '+1.2s sync started (3 steps)',
    '+1.2s PreSync wave -1: hook Job app/m succeeded (2.1s)',
    '+1.2s PreSync wave 0: hook Job app/m FAILED (40ms): BackoffLimitExceeded',
    '+1.2s PreSync wave 0: deleted Job app/m (HookSucceeded, 10ms)',
    '+1.2s SyncFail: running 1 hook after Degraded in Sync (Deployment app/web)',
    '+1.2s sync FAILED after 5.0s (Degraded): x',
  ]);
});

test('a SyncFail hook with its own name is distinct from the hook that failed', async () => {
  const fake = fakeCluster();
  const r = await runSync(fake, planSync([job('only', { phase: 'SyncFail' })], { defaultNamespace: NS }), fast);
  // SyncFail hooks never run on success.
  expect(r.hooks).toEqual([]);
  expect(fake.entries('apply')).toEqual([]);
  fake.dispose();
});
