/**
 * A cluster-scoped object whose kind is defined by a CRD installed separately (as cert-manager's
 * ClusterIssuer is), in a chart that sets a namespace on every object: its scope is known only
 * from the cluster's discovery. It must be applied without the namespace, recorded in the
 * inventory under that key, left alone by a re-sync (and by SyncedChart's drift check), and
 * pruned when it leaves the chart.
 */
import { KubeClient } from '../../../src/engine';
import { KubeObject } from '../../../src/model';
import { changedFields } from '../../../src/pulumi/runtime';
import { ChartOutputs } from '../../../src/pulumi/inputs';
import { syncManifests } from '../../../src/runner';
import { eventually } from '../helpers/kube';
import { client, uniqueNamespace, withNamespace } from './_helpers';

const GROUP = 'issuers.corpus.sync-hooks.dev';
const CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `clusterissuers.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Cluster',
    names: { kind: 'ClusterIssuer', plural: 'clusterissuers', singular: 'clusterissuer', listKind: 'ClusterIssuerList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

describe('cluster-scoped kind from a separately installed CRD', () => {
  let c: KubeClient;
  let ns: string;
  let cleanup: () => Promise<void>;
  const issuerName = `letsencrypt-${Date.now().toString(36)}`;
  const issuerRef = { apiVersion: `${GROUP}/v1`, kind: 'ClusterIssuer', name: issuerName };

  beforeAll(async () => {
    c = client();
    ns = uniqueNamespace('scope');
    cleanup = await withNamespace(c, ns);
    // Installed apart from the chart, as a cert-manager install would be.
    await c.apply(CRD);
    await eventually('the ClusterIssuer kind to be served', async () => (await c.isNamespaced(`${GROUP}/v1`, 'ClusterIssuer')) === false);
  });
  afterAll(async () => {
    await c.delete(issuerRef).catch(() => undefined);
    await c.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: CRD.metadata.name! }).catch(() => undefined);
    await cleanup();
    c.close?.();
  });

  test('in the inventory without a namespace, unchanged on re-sync, pruned when removed', async () => {
    // A cdk8s chart with a namespace sets it on every object, cluster-scoped ones included.
    const issuer: KubeObject = { apiVersion: `${GROUP}/v1`, kind: 'ClusterIssuer', metadata: { name: issuerName, namespace: ns }, spec: { acme: { server: 'https://acme.example' } } };
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: ns }, data: { a: '1' } };
    const entry = { apiVersion: `${GROUP}/v1`, kind: 'ClusterIssuer', name: issuerName };

    const first = await syncManifests(c, { manifests: [issuer, cm], namespace: ns });
    expect(await c.get(issuerRef)).toBeDefined();
    expect(first.inventory).toContainEqual(entry);

    // SyncedChart's drift check on the state this sync would leave: nothing to do.
    const inputs = { appName: 'scope', manifests: [issuer, cm], namespace: ns, prune: true, runHooks: 'on-change' as const, triggers: [] };
    const olds: ChartOutputs = { ...inputs, objects: first.inventory, hooks: [], lastSync: { operation: 'sync', status: 'Succeeded', time: '', durationMs: 0 } };
    expect(changedFields(olds, inputs)).toEqual([]);

    const second = await syncManifests(c, { manifests: [issuer, cm], previous: first.inventory, namespace: ns });
    expect(second.inventory).toEqual(first.inventory);
    expect(second.result.pruned).toEqual([]);

    const third = await syncManifests(c, { manifests: [cm], previous: second.inventory, namespace: ns });
    expect(third.result.pruned.map((k) => `${k.kind}/${k.name}`)).toEqual([`ClusterIssuer/${issuerName}`]);
    expect(await c.get(issuerRef)).toBeUndefined();
    expect(third.inventory.map((e) => e.kind)).toEqual(['ConfigMap']);
  });
});
