import { ClusterValidationError, runSync, runTeardown } from '../../../src/engine';
import { DRY_RUN_CONCURRENCY_FACTOR, LOCAL_CHECK_MIN, SIBLING_MIN } from '../../../src/engine/constants';
import { FakeKubeClient, completeJob } from '../../support';
import { KubeObject } from '../../../src/model';
import { planSync, planTeardown } from '../../../src/plan';
import { NS, Recorder, configMap, deployment, fakeCluster, fast, job, namespace } from './_helpers';

const widget = (name: string, ns = NS): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: ns }, spec: {} });
const widgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, storage: true }] },
};

function writes(fake: FakeKubeClient) {
  return fake.log.filter((e) => !e.dryRun);
}

/** Serves an admissionregistration.k8s.io/v1 kind (cluster-scoped) and seeds one object of it. */
function admission(fake: FakeKubeClient, kind: string, name: string, body: Record<string, unknown>): void {
  fake.serve('admissionregistration.k8s.io/v1', kind, false);
  fake.seed({ apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name }, ...body } as KubeObject);
}

test('bad input writes nothing and every problem is listed in one error', async () => {
  const fake = fakeCluster();
  // bad-data is new: its dry run is the create its apply will be.
  fake.failOn('create', { name: 'bad-data' }, 'ConfigMap "bad-data" is invalid: data: Invalid value', { dryRun: true });
  const plan = planSync(
    [
      job('migrate', { phase: 'PreSync' }),
      widget('w1'),
      configMap('elsewhere', { ns: 'missing-ns' }),
      configMap('bad-data'),
      configMap('fine'),
    ],
    { defaultNamespace: NS },
  );
  const rec = new Recorder();
  const err = await runSync(fake, plan, { ...fast, onEvent: rec.push }).catch((e) => e);
  expect(err).toBeInstanceOf(ClusterValidationError);
  expect(err.problems.map((p: any) => p.object ?? p.message)).toEqual(['Widget app/w1', expect.stringContaining('namespace "missing-ns" does not exist')]);
  expect(err.message).toMatch(/kind Widget is not served by the cluster at example.com\/v1/);
  expect(writes(fake)).toEqual([]);
  expect(rec.types()).toEqual(['operation.failed']);
  expect(rec.events[0]).toMatchObject({ reason: 'Invalid' });

  // With structure fixed, the dry run catches what the API server rejects — still before any write.
  const plan2 = planSync([job('migrate', { phase: 'PreSync' }), configMap('bad-data'), configMap('fine')], { defaultNamespace: NS });
  const err2 = await runSync(fake, plan2, fast).catch((e) => e);
  expect(err2).toBeInstanceOf(ClusterValidationError);
  expect(err2.problems).toEqual([expect.objectContaining({ object: 'ConfigMap app/bad-data', message: expect.stringContaining('rejected by the API server (dry run)') })]);
  expect(writes(fake)).toEqual([]);
  // Named BeforeHookCreation hooks are dry-run as a create under a throwaway name.
  expect(fake.entries('create', 'Job', true)[0]).toMatchObject({ dryRun: true });
  fake.dispose();
});

test('a new object is dry-run as a create; one that exists answers 409 and is dry-run as its apply', async () => {
  const fake = fakeCluster();
  fake.seed(configMap('old'));
  await runSync(fake, planSync([configMap('old'), configMap('new')], { defaultNamespace: NS }), fast);
  const name = (id: string) => id.split('/').pop();
  const dryRuns = fake.log.filter((e) => e.dryRun && e.id.includes('/ConfigMap/')).map((e) => `${e.verb} ${name(e.id)}`);
  expect(dryRuns.sort()).toEqual(['apply old', 'create new', 'create old']);
  // Then written with server-side apply, as always.
  expect(writes(fake).filter((e) => e.id.includes('/ConfigMap/')).map((e) => `${e.verb} ${name(e.id)}`).sort()).toEqual(['apply new', 'apply old']);
  fake.dispose();
});

describe('many ConfigMaps and Secrets: checked locally, one per kind and namespace on the server', () => {
  const many = (n: number, from = 0) => Array.from({ length: n }, (_, i) => configMap(`c${from + i}`));
  const dryRunNames = (fake: FakeKubeClient) => fake.log.filter((e) => e.dryRun && e.id.includes('/ConfigMap/')).map((e) => e.id.split('/').pop()!);

  test(`${LOCAL_CHECK_MIN} or more new ones: one server dry run, every object still written`, async () => {
    const fake = fakeCluster();
    const result = await runSync(fake, planSync(many(LOCAL_CHECK_MIN), { defaultNamespace: NS }), fast);
    expect(dryRunNames(fake)).toHaveLength(1);
    expect(result.applied).toHaveLength(LOCAL_CHECK_MIN);
    fake.dispose();
  });

  test('fewer: every one is dry-run on the server', async () => {
    const fake = fakeCluster();
    await runSync(fake, planSync(many(LOCAL_CHECK_MIN - 1), { defaultNamespace: NS }), fast);
    expect(dryRunNames(fake)).toHaveLength(LOCAL_CHECK_MIN - 1);
    fake.dispose();
  });

  test('one the server would refuse is dry-run, and its problem is reported before any write', async () => {
    const fake = fakeCluster();
    const bad: KubeObject = { ...configMap('bad'), metadata: { ...configMap('bad').metadata, labels: { tier: 'not a label value' } } };
    fake.failOn('create', { name: 'bad' }, 'ConfigMap "bad" is invalid: metadata.labels: Invalid value: "not a label value"', { dryRun: true });
    const err = await runSync(fake, planSync([...many(LOCAL_CHECK_MIN), bad], { defaultNamespace: NS }), fast).catch((e) => e);
    expect(err).toBeInstanceOf(ClusterValidationError);
    expect(err.problems).toEqual([expect.objectContaining({ object: 'ConfigMap app/bad', message: expect.stringContaining('metadata.labels') })]);
    expect(writes(fake)).toEqual([]);
    expect(dryRunNames(fake).sort()).toEqual(['bad', 'c0']);
    fake.dispose();
  });

  test('ones that exist already are dry-run on the server (the live object may refuse the update)', async () => {
    const fake = fakeCluster();
    fake.seed(configMap('c3'));
    fake.seed(configMap('c7'));
    await runSync(fake, planSync(many(LOCAL_CHECK_MIN), { defaultNamespace: NS }), fast);
    expect([...new Set(dryRunNames(fake))].sort()).toEqual(['c0', 'c3', 'c7']);
    fake.dispose();
  });

  test('a validating webhook that may see ConfigMaps: every one is dry-run on the server', async () => {
    const fake = fakeCluster();
    admission(fake, 'ValidatingWebhookConfiguration', 'policy', {
      webhooks: [{ name: 'p.example.com', rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }] }],
    });
    await runSync(fake, planSync(many(LOCAL_CHECK_MIN), { defaultNamespace: NS }), fast);
    expect(dryRunNames(fake)).toHaveLength(LOCAL_CHECK_MIN);
    fake.dispose();
  });

  test('a webhook on other resources does not count', async () => {
    const fake = fakeCluster();
    admission(fake, 'MutatingWebhookConfiguration', 'pods-only', {
      webhooks: [{ name: 'p.example.com', rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['*'], resources: ['pods'] }] }],
    });
    await runSync(fake, planSync(many(LOCAL_CHECK_MIN), { defaultNamespace: NS }), fast);
    expect(dryRunNames(fake)).toHaveLength(1);
    fake.dispose();
  });
});

test('a kind defined by a CRD in the same set is accepted, and the CRD is Established before its CRs are applied', async () => {
  const fake = fakeCluster();
  const plan = planSync([widgetCrd, widget('w1')], { defaultNamespace: NS });
  const result = await runSync(fake, plan, fast);
  expect(result.applied.map((k) => k.kind)).toEqual(['CustomResourceDefinition', 'Widget']);
  expect(fake.seqOf('apply', 'Widget/app/w1')).toBeGreaterThan(fake.entries('status', 'CustomResourceDefinition')[0].seq);
  fake.dispose();
});

test('a namespace created by the same set is accepted', async () => {
  const fake = fakeCluster();
  const result = await runSync(fake, planSync([namespace('fresh'), configMap('c', { ns: 'fresh' })], { defaultNamespace: NS }), fast);
  expect(result.applied.map((k) => `${k.kind}/${k.name}`)).toEqual(['Namespace/fresh', 'ConfigMap/c']);
  fake.dispose();
});

test('teardown validates its hooks before deleting anything', async () => {
  const fake = fakeCluster();
  fake.seed(configMap('settings'));
  const bad: KubeObject = { ...widget('w'), metadata: { ...widget('w').metadata, annotations: { 'argocd.argoproj.io/hook': 'PreDelete' } } };
  const err = await runTeardown(fake, planTeardown([configMap('settings'), bad], { defaultNamespace: NS }), fast).catch((e) => e);
  expect(err).toBeInstanceOf(ClusterValidationError);
  expect(writes(fake)).toEqual([]);
  fake.dispose();
});

test('the server dry runs go out DRY_RUN_CONCURRENCY_FACTOR times as many at once as the applies', async () => {
  let inFlight = 0;
  const peak = { dryRun: 0, write: 0 };
  const slowly = async (k: 'dryRun' | 'write', call: () => Promise<KubeObject>) => {
    inFlight++;
    peak[k] = Math.max(peak[k], inFlight);
    try {
      // Let every other worker start before this call returns.
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      return await call();
    } finally {
      inFlight--;
    }
  };
  class SlowCluster extends FakeKubeClient {
    override apply(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
      return slowly(opts.dryRun ? 'dryRun' : 'write', () => super.apply(obj, opts));
    }
    override create(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
      return slowly(opts.dryRun ? 'dryRun' : 'write', () => super.create(obj, opts));
    }
  }
  const fake = new SlowCluster();
  fake.seed(namespace(NS));
  // Services: every one is dry-run on the server (unlike many ConfigMaps, see above).
  const objects = Array.from({ length: 100 }, (_, i): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: NS }, spec: {} }));
  await runSync(fake, planSync(objects, { defaultNamespace: NS }), { ...fast, concurrency: 4 });
  expect(DRY_RUN_CONCURRENCY_FACTOR).toBeGreaterThan(1);
  expect(peak).toEqual({ dryRun: 4 * DRY_RUN_CONCURRENCY_FACTOR, write: 4 });
  // dryRunConcurrency sets it.
  peak.dryRun = peak.write = 0;
  await runSync(fake, planSync(objects, { defaultNamespace: NS }), { ...fast, concurrency: 4, dryRunConcurrency: 2 });
  expect(peak).toEqual({ dryRun: 2, write: 4 });
  fake.dispose();
});

describe('siblings (Deployments or Jobs of one shape): one server dry run per shape', () => {
  const deployments = (n: number, from = 0) => Array.from({ length: n }, (_, i) => deployment(`d${String(from + i).padStart(2, '0')}`, { wave: i % 3 }));
  const dryRuns = (fake: FakeKubeClient, kind: string) => fake.log.filter((e) => e.dryRun && e.id.includes(`/${kind}/`)).map((e) => e.id.split('/').pop()!);

  test('ten new Deployments of one shape: one dry run, every one written', async () => {
    const fake = fakeCluster();
    const result = await runSync(fake, planSync(deployments(10), { defaultNamespace: NS }), fast);
    expect(dryRuns(fake, 'Deployment')).toEqual(['d00']);
    expect(result.applied).toHaveLength(10);
    fake.dispose();
  });

  test(`sparing fewer than ${SIBLING_MIN} dry runs: every one is dry-run`, async () => {
    const fake = fakeCluster();
    await runSync(fake, planSync(deployments(SIBLING_MIN), { defaultNamespace: NS }), fast);
    expect(dryRuns(fake, 'Deployment')).toHaveLength(SIBLING_MIN);
    fake.dispose();
  });

  test('one that exists already is dry-run as its apply; the shape is represented by a new one', async () => {
    const fake = fakeCluster();
    fake.seed(deployment('d00'));
    await runSync(fake, planSync(deployments(10), { defaultNamespace: NS }), fast);
    // d00 as itself; the first new one in plan order (wave 0: d00, d03, ...) for the shape.
    expect([...new Set(dryRuns(fake, 'Deployment'))].sort()).toEqual(['d00', 'd03']);
    fake.dispose();
  });

  test('one with a label the server refuses is dry-run, and its problem is reported before any write', async () => {
    const fake = fakeCluster();
    const bad = deployment('d99');
    bad.metadata.labels = { tier: 'not a label value' };
    fake.failOn('create', { name: 'd99' }, 'Deployment.apps "d99" is invalid: metadata.labels: Invalid value: "not a label value"', { dryRun: true });
    const err = await runSync(fake, planSync([...deployments(10), bad], { defaultNamespace: NS }), fast).catch((e) => e);
    expect(err).toBeInstanceOf(ClusterValidationError);
    expect(err.problems).toEqual([expect.objectContaining({ object: 'Deployment app/d99', message: expect.stringContaining('metadata.labels') })]);
    expect(writes(fake)).toEqual([]);
    expect(dryRuns(fake, 'Deployment').sort()).toEqual(['d00', 'd99']);
    fake.dispose();
  });

  test('an admission policy that may see Deployments: every one is dry-run', async () => {
    const fake = fakeCluster();
    admission(fake, 'ValidatingAdmissionPolicy', 'replicas', {
      spec: { matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] } },
    });
    await runSync(fake, planSync(deployments(10), { defaultNamespace: NS }), fast);
    expect(dryRuns(fake, 'Deployment')).toHaveLength(10);
    fake.dispose();
  });

  test('hook Jobs of one shape (BeforeHookCreation, one per wave): one dry-run create', async () => {
    const fake = fakeCluster();
    fake.react({ kind: 'Job' }, completeJob(5));
    const hooks = Array.from({ length: 10 }, (_, w) => job(`hook-w${w}`, { phase: 'Sync', wave: w }));
    await runSync(fake, planSync(hooks, { defaultNamespace: NS }), fast);
    expect(fake.log.filter((e) => e.dryRun && e.id.includes('/Job/'))).toHaveLength(1);
    expect(fake.entries('apply', 'Job')).toHaveLength(10);
    fake.dispose();
  });
});
