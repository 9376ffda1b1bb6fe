/**
 * Argo CD parity, round 2 (issue 13 item 3) through the CLI on the embedded cluster: teardown
 * removes the hook objects earlier syncs left.
 *
 * Argo CD: deleting an Application (cascade) deletes every live object that carries the
 * application's tracking label — leftover hooks included, since hooks are tracked like any
 * resource (argo-cd `controller/appcontroller.go` `finalizeApplicationDeletion` deletes the
 * objects of `getPermittedAppLiveObjects`, which come from the cluster cache by tracking label).
 * Here every object the engine writes carries `sync-hooks.dev/app=<app>`; `delete` removes the
 * sync hooks earlier syncs of the app left (BeforeHookCreation keeps the last run of each).
 */
import * as fs from 'node:fs';
import { APP_LABEL, KubeClient } from '../../../src/engine';
import { cli, releaseHookFinalizers, tempDir, writeManifests } from '../cli/_cli';
import { client, configMap, hookJob, kubeconfig, uniqueNamespace } from '../engine/_helpers';

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

const jobsOf = async (app: string) =>
  (await c.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'default', labelSelector: `${APP_LABEL}=${app}` })).map((j) => j.metadata.name!).sort();

test('sync, sync again with another hook, then delete: no hook Job of the app is left in default (hooks live outside any namespace the teardown deletes)', async () => {
  const app = uniqueNamespace('parity-left');
  const base = ['--kubeconfig', kubeconfig(), '--name', app, '--namespace', 'default'];
  const v1 = [configMap('default', `${app}-cm`), hookJob('default', `${app}-migrate1`, { phase: 'PreSync' }), hookJob('default', `${app}-smoke`, { phase: 'PostSync', generateName: true })];
  const v2 = [configMap('default', `${app}-cm`), hookJob('default', `${app}-migrate2`, { phase: 'PreSync' })];
  try {
    expect((await cli(['sync', '-f', writeManifests(dir, `${app}-1.yaml`, v1), ...base])).code).toBe(0);
    expect((await cli(['sync', '-f', writeManifests(dir, `${app}-2.yaml`, v2), ...base])).code).toBe(0);
    // BeforeHookCreation (the default) keeps the last run of each hook: three Jobs of the app now.
    const before = await jobsOf(app);
    expect(before).toHaveLength(3);
    expect(before).toEqual(expect.arrayContaining([`${app}-migrate1`, `${app}-migrate2`]));

    const del = await cli(['delete', '-f', writeManifests(dir, `${app}-3.yaml`, v2), ...base]);
    expect(del.code).toBe(0);
    expect(await jobsOf(app)).toEqual([]);
    expect(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: `${app}-cm` })).toBeUndefined();
  } finally {
    await releaseHookFinalizers(c, 'default');
    for (const name of await jobsOf(app).catch(() => [])) {
      await c.delete({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'default', name }).catch(() => undefined);
    }
  }
});
