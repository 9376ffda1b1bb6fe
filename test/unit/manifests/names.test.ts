import { FakeKubeClient } from '../../support';
import { ManifestValidationError, manifestProblems } from '../../../src/manifests';
import { KubeObject } from '../../../src/model';
import { check } from '../../../src/pulumi/runtime';
import { syncManifests } from '../../../src/runner';

const hook = (meta: Record<string, string>, phase = 'PreSync'): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { ...meta, namespace: 'app', annotations: { 'argocd.argoproj.io/hook': phase } },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
});
const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'app' }, data: {} });

describe('name lengths', () => {
  test('a Job name over 63 characters is reported on metadata.name, naming the object', () => {
    const name = 'j'.repeat(64);
    expect(manifestProblems([hook({ name })])).toEqual([
      { object: `Job app/${name}`, field: 'metadata.name', message: 'is 64 characters; a Job name may have at most 63' },
    ]);
    expect(manifestProblems([hook({ name: 'j'.repeat(63) })])).toEqual([]);
    // Other kinds: up to 253.
    expect(manifestProblems([cm('c'.repeat(253))])).toEqual([]);
    expect(manifestProblems([cm('c'.repeat(254))])[0]).toMatchObject({ field: 'metadata.name', message: expect.stringMatching(/at most 253/) });
  });

  test('generateName plus the generated suffix (<id7>-<phase>-<unix10>) must fit the kind limit, per phase', () => {
    // PreSync: suffix 7 + 1 + 7 + 1 + 10 = 26, so generateName may have 37 characters.
    expect(manifestProblems([hook({ generateName: `${'g'.repeat(36)}-` })])).toEqual([]);
    const [p] = manifestProblems([hook({ generateName: `${'g'.repeat(37)}-` })]);
    expect(p).toMatchObject({ object: `Job app/${'g'.repeat(37)}-*`, field: 'metadata.generateName' });
    expect(p.message).toMatch(/gives Job names of 64 characters in PreSync .* at most 63: shorten generateName to at most 37/);
    // The longest phase decides for a multi-phase hook.
    expect(manifestProblems([hook({ generateName: `${'g'.repeat(36)}-` }, 'PreSync,PostSync')])[0]?.message).toMatch(/names of 64 characters in PostSync/);
  });

  test('a sync with a too-long generated hook name in a later wave fails before anything is written', async () => {
    const fake = new FakeKubeClient();
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } });
    const err = await syncManifests(fake, { manifests: [cm('first'), hook({ generateName: `${'g'.repeat(50)}-` }, 'PostSync')] }).catch((e) => e);
    expect(err).toBeInstanceOf(ManifestValidationError);
    expect(err.message).toMatch(/Job app\/g+-\*: metadata\.generateName: .* at most 63/);
    expect(fake.entries().filter((e) => e.verb !== 'status')).toEqual([]);
    fake.dispose();
  });
});

describe('empty charts', () => {
  test('the runner rejects no manifests unless allowEmpty (HookPhases nodes), before any write', async () => {
    const fake = new FakeKubeClient();
    const err = await syncManifests(fake, { manifests: [], previous: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'app', name: 'old' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(ManifestValidationError);
    expect(err.message).toMatch(/the manifests: contains no objects/);
    expect(fake.entries()).toEqual([]);
    await expect(syncManifests(fake, { manifests: [], allowEmpty: true })).resolves.toMatchObject({ inventory: [] });
    fake.dispose();
  });

  test('SyncedChart check fails an empty chart, naming the resource and the chart input', async () => {
    const inputs = { appName: 'shop', manifests: [], prune: true, runHooks: 'on-change' as const };
    const r = await check({}, inputs);
    expect(r.failures).toEqual([{ property: '', reason: expect.stringMatching(/^SyncedChart shop: chart: contains no objects/) }]);
    expect((await check({}, { ...inputs, allowEmpty: true })).failures).toEqual([]);
  });
});
