/**
 * Argo CD parity, round 2 (issue 13 item 6) on the embedded cluster: the sync options users write.
 *
 * gitops-engine `pkg/sync/sync_context.go`: `applyObject` (Replace=true → `kubectl replace`, or
 * create when absent; CRDs and Namespaces only updated; Force=true → `--force`: delete and
 * re-create), `processCreateTasks` (Validate=false → `--validate=false`), `getSyncTasks`
 * (SkipDryRunOnMissingResource=true: an unknown kind is not an error, its dry run is skipped),
 * `autoCreateNamespace` (Application-level CreateNamespace=true: a PreSync task creating the
 * destination namespace).
 */
import * as fs from 'node:fs';
import { ClusterValidationError, KubeClient, runSync } from '../../../src/engine';
import { KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { cli, tempDir, writeManifests } from '../cli/_cli';
import { client, clusterOpts, configMap, eventually, hookJob, kubeconfig, ref, uniqueNamespace, withNamespace } from '../engine/_helpers';
import { k8s, kubeConfig } from '../helpers/kube';

let c: KubeClient;
let ns: string;
let cleanup: () => Promise<void>;
let dir: string;

beforeAll(() => {
  c = client();
  dir = tempDir();
});
afterAll(() => {
  c.close?.();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  ns = uniqueNamespace('parity-opts');
  cleanup = await withNamespace(c, ns);
});
afterEach(async () => {
  await cleanup();
});

const withOptions = (o: KubeObject, v: string): KubeObject => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, 'argocd.argoproj.io/sync-options': v } } });

/** A managed (non-hook) Job: its pod template is immutable once created. */
function job(image: string): KubeObject {
  const j = hookJob(ns, 'batch', { duration: '100ms' });
  delete j.metadata.annotations;
  j.spec.template.spec.containers[0].image = image;
  return j;
}

test('Replace=true,Force=true re-creates a Job whose template changed; without them the change is refused before anything is written', async () => {
  await runSync(c, planSync([job('busybox:1')]), clusterOpts);
  const uid1 = (await c.get(ref(ns, 'Job', 'batch')))!.metadata.uid;

  const refused = await runSync(c, planSync([job('busybox:2')]), clusterOpts).catch((e) => e);
  expect(refused).toBeInstanceOf(ClusterValidationError);
  expect(refused.message).toMatch(/immutable/);
  expect((await c.get(ref(ns, 'Job', 'batch')))!.metadata.uid).toBe(uid1);

  const result = await runSync(c, planSync([withOptions(job('busybox:2'), 'Replace=true,Force=true')]), clusterOpts);
  const live = (await c.get(ref(ns, 'Job', 'batch')))!;
  expect(live.metadata.uid).not.toBe(uid1);
  expect(live.spec.template.spec.containers[0].image).toBe('busybox:2');
  expect(result.warnings.some((w) => w.includes(`Job ${ns}/batch: deleted and re-created (Replace=true,Force=true)`))).toBe(true);
});

test('Replace=true replaces the whole object (PUT): fields another manager added are gone, where server-side apply keeps them', async () => {
  const api = k8s().KubernetesObjectApi.makeApiClient(kubeConfig());
  const addExtra = () =>
    api.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: ns }, data: { extra: 'x' } } as any, undefined, undefined, 'someone-else', undefined, k8s().PatchStrategy.MergePatch);
  await runSync(c, planSync([configMap(ns, 'cfg', undefined, { k: 'v1' })]), clusterOpts);
  await addExtra();
  await runSync(c, planSync([configMap(ns, 'cfg', undefined, { k: 'v2' })]), clusterOpts);
  expect((await c.get(ref(ns, 'ConfigMap', 'cfg')))!.data).toEqual({ k: 'v2', extra: 'x' });
  await runSync(c, planSync([withOptions(configMap(ns, 'cfg', undefined, { k: 'v3' }), 'Replace=true')]), clusterOpts);
  expect((await c.get(ref(ns, 'ConfigMap', 'cfg')))!.data).toEqual({ k: 'v3' });
});

test('Validate=false: an unknown field is dropped by the server (fieldValidation=Ignore) instead of failing the dry run', async () => {
  const bogus = { ...configMap(ns, 'loose'), bogusField: 'x' } as KubeObject;
  const strict = await runSync(c, planSync([bogus]), clusterOpts).catch((e) => e);
  expect(strict).toBeInstanceOf(ClusterValidationError);
  expect(strict.message).toMatch(/bogusField/);
  await runSync(c, planSync([withOptions(bogus, 'Validate=false')]), clusterOpts);
  const live = (await c.get(ref(ns, 'ConfigMap', 'loose')))!;
  expect(live.data).toEqual({ k: 'v' });
  expect((live as any).bogusField).toBeUndefined();
});

test('SkipDryRunOnMissingResource=true: a custom resource whose CRD arrives during the sync is not a validation error', async () => {
  const group = `${ns}.example.com`;
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `gadgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
  const gadget: KubeObject = { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g', namespace: ns, annotations: { 'argocd.argoproj.io/sync-wave': '1' } }, spec: { size: 1 } };
  // An operator's part: the CRD is installed by someone else while the PreSync hook runs.
  const pre = hookJob(ns, 'install', { phase: 'PreSync', duration: '2s' });
  try {
    const refused = await runSync(c, planSync([pre, gadget]), clusterOpts).catch((e) => e);
    expect(refused).toBeInstanceOf(ClusterValidationError);
    expect(refused.message).toMatch(/kind Gadget is not served/);

    let installed: Promise<unknown> | undefined;
    const result = await runSync(c, planSync([pre, withOptions(gadget, 'SkipDryRunOnMissingResource=true')]), {
      ...clusterOpts,
      onEvent: (e) => {
        if (e.type === 'hook.created' && !installed) installed = c.apply(crd).then(() => eventually('Gadget served', async () => c.isServed(`${group}/v1`, 'Gadget')));
      },
    });
    await installed;
    expect(result.warnings.some((w) => w.includes('not validated (SkipDryRunOnMissingResource=true)'))).toBe(true);
    expect(await c.get({ apiVersion: `${group}/v1`, kind: 'Gadget', namespace: ns, name: 'g' })).toBeDefined();
  } finally {
    await c.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: `gadgets.${group}` }).catch(() => undefined);
  }
});

test('sync --create-namespace creates the missing destination namespace first; it is not in the inventory and delete leaves it', async () => {
  const target = uniqueNamespace('parity-created');
  const file = writeManifests(dir, `${target}.yaml`, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'v' } }]);
  const base = ['--kubeconfig', kubeconfig(), '--name', target, '--inventory-namespace', ns, '--namespace', target];
  try {
    const refused = await cli(['sync', '-f', file, ...base]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`namespace "${target}" does not exist`);

    const sync = await cli(['sync', '-f', file, ...base, '--create-namespace', '--json']);
    expect(sync.code).toBe(0);
    const out = JSON.parse(sync.stdout);
    expect(out.inventory.entries.map((e: any) => `${e.kind}/${e.name}`)).toEqual(['ConfigMap/cm']);
    expect(await c.get({ apiVersion: 'v1', kind: 'Namespace', name: target })).toBeDefined();

    expect((await cli(['delete', '-f', file, ...base])).code).toBe(0);
    expect(await c.get(ref(target, 'ConfigMap', 'cm'))).toBeUndefined();
    const left = await c.get({ apiVersion: 'v1', kind: 'Namespace', name: target });
    expect(left?.metadata.deletionTimestamp).toBeUndefined();
  } finally {
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: target }, { propagationPolicy: 'Background' }).catch(() => undefined);
  }
});
