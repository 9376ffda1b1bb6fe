/**
 * Many ConfigMaps and Secrets are validated locally (engine/local-check.ts), one per kind and
 * namespace on the server: on the real API server, what the local check accepts is applied, and
 * an object it is not sure about still goes to the server's dry run, which refuses it before
 * anything is written.
 */
import { ClusterValidationError, KubeClient, runSync } from '../../../src/engine';
import { LOCAL_CHECK_MIN } from '../../../src/engine/constants';
import { KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { clusterOpts, configMap, namespacePerTest } from './_helpers';

let client: KubeClient;
let ns: string;
namespacePerTest('local-check', (c, n) => {
  client = c;
  ns = n;
});

/** The ConfigMaps in the namespace (without the one the controller-manager may put there). */
const configMapNames = async () => (await client.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns })).map((o) => o.metadata.name).filter((n) => n !== 'kube-root-ca.crt');
const many = (n: number) => Array.from({ length: n }, (_, i) => configMap(ns, `c${i}`, undefined, { [`key-${i}.yaml`]: `value: ${i}` }));
const secrets = (n: number): KubeObject[] =>
  Array.from({ length: n }, (_, i) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}`, namespace: ns, labels: { 'app.kubernetes.io/part-of': 'shop' } }, stringData: { user: `u${i}` }, data: { pw: Buffer.from(`p${i}`).toString('base64') } }));

test('every ConfigMap and Secret the local check accepts is applied by the API server', async () => {
  const objects = [...many(LOCAL_CHECK_MIN), ...secrets(LOCAL_CHECK_MIN)];
  const result = await runSync(client, planSync(objects, { defaultNamespace: ns }), clusterOpts);
  expect(result.applied).toHaveLength(objects.length);
  expect(await configMapNames()).toHaveLength(LOCAL_CHECK_MIN);
  const s = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 's7' });
  expect(Buffer.from(String((s!.data as Record<string, string>).user), 'base64').toString()).toBe('u7');
});

test('one the server refuses among many is reported before anything is written', async () => {
  const bad: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', namespace: ns, labels: { tier: 'not a label value' } }, data: { k: 'v' } };
  const err = await runSync(client, planSync([...many(LOCAL_CHECK_MIN), bad], { defaultNamespace: ns }), clusterOpts).catch((e) => e);
  expect(err).toBeInstanceOf(ClusterValidationError);
  expect(err.problems).toEqual([expect.objectContaining({ object: `ConfigMap ${ns}/bad`, message: expect.stringContaining('metadata.labels') })]);
  expect(await configMapNames()).toEqual([]);
});
