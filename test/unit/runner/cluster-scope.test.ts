import { FakeKubeClient } from '../../support';
import { KubeObject } from '../../../src/model';
import { changedFields } from '../../../src/pulumi/runtime';
import { ChartOutputs } from '../../../src/pulumi/inputs';
import { syncManifests } from '../../../src/runner';

/** A cluster-scoped kind whose CRD was installed separately: only discovery knows its scope. */
const issuer = (ns?: string): KubeObject => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'ClusterIssuer',
  metadata: { name: 'letsencrypt', ...(ns ? { namespace: ns } : {}) },
  spec: { selfSigned: {} },
});
const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'app' }, data: { a: '1' } };
const ISSUER_REF = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', name: 'letsencrypt' };

function cluster(): FakeKubeClient {
  const fake = new FakeKubeClient();
  fake.serve('cert-manager.io/v1', 'ClusterIssuer', false);
  fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } });
  return fake;
}

test.each([
  ['carrying the chart namespace', issuer('app')],
  ['without a namespace, with a default namespace', issuer()],
])('a cluster-scoped object of a kind not defined in the chart (%s) is in the inventory, stable, and pruned when removed', async (_what, obj) => {
  const fake = cluster();
  try {
    const manifests = [obj, cm];
    const first = await syncManifests(fake, { manifests, namespace: 'app', engine: { pollIntervalMs: 20 } });
    expect(fake.peek(ISSUER_REF)).toBeDefined();
    expect(first.inventory).toContainEqual({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', name: 'letsencrypt' });
    expect(first.result.applied).toContainEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', namespace: '', name: 'letsencrypt' });

    // SyncedChart's drift check: nothing changed, nothing to do.
    const inputs = { appName: 'shop', manifests, namespace: 'app', prune: true, runHooks: 'on-change' as const, triggers: [] };
    const olds: ChartOutputs = { ...inputs, objects: first.inventory, hooks: [], lastSync: { operation: 'sync', status: 'Succeeded', time: '', durationMs: 0 } };
    expect(changedFields(olds, inputs)).toEqual([]);

    // A re-sync keeps the same inventory (the key did not move).
    const second = await syncManifests(fake, { manifests, previous: first.inventory, namespace: 'app', engine: { pollIntervalMs: 20 } });
    expect(second.inventory).toEqual(first.inventory);
    expect(second.result.pruned).toEqual([]);

    // Removed from the chart: pruned.
    const third = await syncManifests(fake, { manifests: [cm], previous: second.inventory, namespace: 'app', engine: { pollIntervalMs: 20 } });
    expect(third.result.pruned).toContainEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', namespace: '', name: 'letsencrypt' });
    expect(fake.peek(ISSUER_REF)).toBeUndefined();
    expect(third.inventory.map((e) => e.kind)).toEqual(['ConfigMap']);
  } finally {
    fake.dispose();
  }
});

test('an inventory written before keys were normalized (cluster-scoped entry with a namespace) is still pruned', async () => {
  const fake = cluster();
  try {
    await fake.apply(issuer());
    const legacy = [{ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', namespace: 'app', name: 'letsencrypt' }];
    const r = await syncManifests(fake, { manifests: [cm], previous: legacy, namespace: 'app', engine: { pollIntervalMs: 20 } });
    expect(r.result.pruned).toContainEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', namespace: '', name: 'letsencrypt' });
    expect(fake.peek(ISSUER_REF)).toBeUndefined();
  } finally {
    fake.dispose();
  }
});
