/**
 * The embedded control plane behaves like a real cluster for what sync-hooks relies on:
 * Jobs complete and fail (kwok plays the kubelet), namespace deletion and Foreground deletion cascade.
 */
import { POD_FAIL_LABEL, POD_FAIL_MESSAGE_ANNOTATION, POD_RUN_DURATION_ANNOTATION } from '../../../src/localcluster';
import { eventually, isNotFound, k8s, kubeConfig, uniqueName } from '../helpers/kube';

const kc = kubeConfig();
const core = kc.makeApiClient(k8s().CoreV1Api);
const batch = kc.makeApiClient(k8s().BatchV1Api);
const apps = kc.makeApiClient(k8s().AppsV1Api);
let ns: string;

function job(name: string, opts: { fail?: boolean; backoffLimit?: number; duration?: string } = {}) {
  const labels: Record<string, string> = opts.fail ? { [POD_FAIL_LABEL]: 'true' } : {};
  const annotations: Record<string, string> = { [POD_RUN_DURATION_ANNOTATION]: opts.duration ?? '300ms' };
  if (opts.fail) annotations[POD_FAIL_MESSAGE_ANNOTATION] = 'migration failed';
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      backoffLimit: opts.backoffLimit ?? 0,
      template: {
        metadata: { labels, annotations },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
      },
    },
  };
}

beforeAll(async () => {
  ns = uniqueName('foundation');
  await core.createNamespace({ body: { metadata: { name: ns } } });
});

afterAll(async () => {
  await core.deleteNamespace({ name: ns }).catch(() => undefined);
});

test('a Job completes (condition Complete) after its pod runs for the annotated duration', async () => {
  await batch.createNamespacedJob({ namespace: ns, body: job('ok', { duration: '1s' }) });
  const done = await eventually('job ok Complete', async () => {
    const j = await batch.readNamespacedJob({ name: 'ok', namespace: ns });
    return j.status?.conditions?.find((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
  });
  expect(done.status?.succeeded).toBe(1);
  const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'job-name=ok' });
  expect(pods.items.map((p) => p.status?.phase)).toEqual(['Succeeded']);
  const ran = new Date(done.status!.completionTime!).getTime() - new Date(done.status!.startTime!).getTime();
  expect(ran).toBeGreaterThanOrEqual(1000);
});

test('a Job whose pod is marked to fail ends Failed/BackoffLimitExceeded after exactly backoffLimit+1 pods', async () => {
  await batch.createNamespacedJob({ namespace: ns, body: job('bad', { fail: true, backoffLimit: 1 }) });
  const failed = await eventually(
    'job bad Failed',
    async () => {
      const j = await batch.readNamespacedJob({ name: 'bad', namespace: ns });
      return j.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    },
    90_000,
  );
  expect(failed.reason).toBe('BackoffLimitExceeded');
  const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'job-name=bad' });
  expect(pods.items).toHaveLength(2);
  for (const p of pods.items) {
    expect(p.status?.phase).toBe('Failed');
    expect(p.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error', message: 'migration failed' });
  }
});

test('deleting a Job with Foreground propagation removes its pods before the Job is gone', async () => {
  await batch.createNamespacedJob({ namespace: ns, body: job('fg', { duration: '30s' }) });
  await eventually('pod of fg running', async () => {
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'job-name=fg' });
    return pods.items.some((p) => p.status?.phase === 'Running');
  });
  await batch.deleteNamespacedJob({ name: 'fg', namespace: ns, propagationPolicy: 'Foreground' });
  await eventually('job fg gone', () => isNotFound(batch.readNamespacedJob({ name: 'fg', namespace: ns })));
  const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'job-name=fg' });
  expect(pods.items).toHaveLength(0);
});

test('deleting a namespace removes everything in it', async () => {
  const other = uniqueName('doomed');
  await core.createNamespace({ body: { metadata: { name: other } } });
  await core.createNamespacedConfigMap({ namespace: other, body: { metadata: { name: 'cfg' }, data: { a: '1' } } });
  await apps.createNamespacedDeployment({
    namespace: other,
    body: {
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      },
    },
  });
  await eventually('deployment web ready', async () => {
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: other });
    return d.status?.readyReplicas === 2;
  });
  await core.deleteNamespace({ name: other });
  await eventually('namespace gone', () => isNotFound(core.readNamespace({ name: other })), 90_000);
  const pods = await core.listPodForAllNamespaces({ fieldSelector: `metadata.namespace=${other}` });
  expect(pods.items).toHaveLength(0);
});
