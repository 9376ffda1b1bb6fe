/**
 * Many ConfigMaps and Secrets are validated locally (engine/local-check.ts), one per kind and
 * namespace on the server; siblings (engine/siblings.ts: Deployments or Jobs of one shape), one per
 * shape. On the real API server, what is judged locally is applied, and an object that is not
 * surely valid still goes to the server's dry run, which refuses it before anything is written.
 */
import { ClusterValidationError, KubeClient, runSync } from '../../../src/engine';
import { LOCAL_CHECK_MIN } from '../../../src/engine/constants';
import { KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { clusterOpts, configMap, deployment, hookJob, namespacePerTest } from './_helpers';

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

/** A Deployment named after its template: the name is its selector's label and its container's name. */
function named(name: string, wave: number): KubeObject {
  const d = deployment(ns, name, wave);
  d.spec.template.spec.containers[0].name = name;
  return d;
}
const deploymentNames = async () => (await client.list({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns })).map((o) => o.metadata.name).sort();

test('Deployments and hook Jobs of one shape each are applied by the API server', async () => {
  const deployments = Array.from({ length: 10 }, (_, i) => named(`web-${String(i).padStart(2, '0')}`, i % 2));
  const hooks = Array.from({ length: 9 }, (_, i) => hookJob(ns, `check-${i}`, { phase: 'PostSync', duration: '100ms' }));
  const result = await runSync(client, planSync([...deployments, ...hooks], { defaultNamespace: ns }), clusterOpts);
  expect(result.applied).toHaveLength(10);
  expect(result.hooks.map((h) => h.status)).toEqual(Array(9).fill('Succeeded'));
  expect(await deploymentNames()).toEqual(deployments.map((d) => d.metadata.name).sort());
});

test("a sibling whose name is too long for its labels and container is refused by the server's dry run before anything is written", async () => {
  const deployments = Array.from({ length: 10 }, (_, i) => named(`web-${String(i).padStart(2, '0')}`, 0));
  const long = named(`web-${'x'.repeat(60)}`, 0); // 64 characters: a valid Deployment name, not a label value or a container name
  const err = await runSync(client, planSync([...deployments, long], { defaultNamespace: ns }), clusterOpts).catch((e) => e);
  expect(err).toBeInstanceOf(ClusterValidationError);
  expect(err.problems).toEqual([expect.objectContaining({ object: `Deployment ${ns}/${long.metadata.name}`, message: expect.stringContaining('must be no more than 63') })]);
  expect(await deploymentNames()).toEqual([]);
});
