/**
 * Argo CD parity, round 2 (issue 13) through the CLI on the embedded cluster: the namespace a chart
 * without `metadata.namespace` lands in (item 2), and no phantom namespace-less line in `delete`
 * (item 5).
 *
 * Argo CD gives objects without a namespace the Application's destination namespace (gitops-engine
 * `getSyncTasks`, pkg/sync/sync_context.go: "enrich target objects with the namespace",
 * `task.targetObj.SetNamespace(sc.namespace)`). The CLI has no Application; it does what kubectl
 * does: the kubeconfig context's namespace, else `default`, and says so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { KubeClient } from '../../../src/engine';
import { KubeObject } from '../../../src/model';
import { inventoryRef } from '../../../src/runner/inventory-store';
import { cli, releaseHookFinalizers, tempDir, writeManifests } from '../cli/_cli';
import { client, hookJob, kubeconfig, ref, uniqueNamespace, withNamespace } from '../engine/_helpers';

let c: KubeClient;
let dir: string;
beforeAll(() => {
  c = client();
  dir = tempDir();
});
afterAll(() => {
  c.close?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the test kubeconfig whose current context has `namespace` (or none). */
function kubeconfigWithNamespace(namespace: string | undefined): string {
  const kc = parse(fs.readFileSync(kubeconfig(), 'utf8'));
  const current = kc['current-context'];
  for (const ctx of kc.contexts) if (ctx.name === current) ctx.context = { ...ctx.context, ...(namespace ? { namespace } : {}) };
  const file = path.join(dir, `kubeconfig-${namespace ?? 'none'}`);
  fs.writeFileSync(file, stringify(kc));
  return file;
}

/** Manifests as Helm renders them: no metadata.namespace. */
function chart(): KubeObject[] {
  const pre = hookJob('', 'hy-pre', { phase: 'PreSync', policy: 'HookSucceeded' });
  delete pre.metadata.namespace;
  return [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hy-cm' }, data: { k: 'v' } }, pre];
}

test("sync without --namespace puts namespace-less objects in the kubeconfig context's namespace and says so; delete removes them (one line each)", async () => {
  const ns = uniqueNamespace('parity-ctx');
  const cleanup = await withNamespace(c, ns);
  try {
    const kc = kubeconfigWithNamespace(ns);
    const file = writeManifests(dir, `${ns}.yaml`, chart());
    const base = ['--kubeconfig', kc, '--name', ns, '--inventory-namespace', ns];

    const plan = await cli(['plan', '-f', file]);
    expect(plan.code).toBe(0);

    const sync = await cli(['sync', '-f', file, ...base]);
    expect(sync.code).toBe(0);
    expect(sync.stderr).toContain(`objects without metadata.namespace go to namespace ${ns} (the namespace of kubeconfig context`);
    expect(await c.get(ref(ns, 'ConfigMap', 'hy-cm'))).toBeDefined();
    expect(sync.events.some((e) => e.includes(`Job ${ns}/hy-pre`))).toBe(true);

    const del = await cli(['delete', '-f', file, ...base, '--json']);
    expect(del.code).toBe(0);
    // Item 5: exactly one entry for the ConfigMap, with its namespace; no namespace-less phantom.
    expect(JSON.parse(del.stdout).deleted).toEqual([`/ConfigMap/${ns}/hy-cm`]);
    expect(await c.get(ref(ns, 'ConfigMap', 'hy-cm'))).toBeUndefined();
  } finally {
    await releaseHookFinalizers(c, ns);
    await c.delete(inventoryRef(ns, ns)).catch(() => undefined);
    await cleanup();
  }
});

// Issue 13 item 5 as reported: sync with --namespace, delete of the same namespace-less manifests
// without it. Before, the delete listed both `ConfigMap hy-cm` (no namespace) and `default/hy-cm`.
test('delete without --namespace after a sync with it: no phantom namespace-less line', async () => {
  const kc = kubeconfigWithNamespace(undefined);
  const app = uniqueNamespace('parity-dflt');
  const file = writeManifests(dir, `${app}.yaml`, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${app}-cm` }, data: { k: 'v' } }]);
  const base = ['--kubeconfig', kc, '--name', app];
  try {
    const sync = await cli(['sync', '-f', file, ...base, '--namespace', 'default']);
    expect(sync.code).toBe(0);
    expect(await c.get(ref('default', 'ConfigMap', `${app}-cm`))).toBeDefined();

    const del = await cli(['delete', '-f', file, ...base]);
    expect(del.code).toBe(0);
    expect(del.stderr).toContain("objects without metadata.namespace go to namespace default (kubectl's default: no --namespace and kubeconfig context");
    // Every line about the ConfigMap names it with its namespace (a progress line such as
    // `waiting for ConfigMap default/x: being deleted, waiting for finalizer foregroundDeletion`
    // may precede the result), and exactly one says it was deleted.
    const lines = del.events.filter((e) => e.includes(`${app}-cm`));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toContain(`ConfigMap default/${app}-cm`);
    expect(lines.filter((e) => e.includes('deleted ConfigMap'))).toEqual([expect.stringContaining(`deleted ConfigMap default/${app}-cm`)]);
    expect(del.stdout).toContain('1 object deleted');
    expect(await c.get(ref('default', 'ConfigMap', `${app}-cm`))).toBeUndefined();
  } finally {
    await c.delete(ref('default', 'ConfigMap', `${app}-cm`)).catch(() => undefined);
    await c.delete(inventoryRef(app)).catch(() => undefined);
  }
});
