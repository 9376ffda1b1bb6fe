/**
 * The examples synthesize valid Argo CD manifests whose plans run the hooks in the intended order.
 * (examples/shop is also deployed end to end by `npm start`; three-tier by the integration tests.)
 */
import { App } from 'cdk8s';
import { ShopChart } from '../../../examples/shop/chart';
import { ThreeTierChart } from '../../../examples/three-tier/chart';
import { validateManifests } from '../../../src/manifests';
import { KubeObject } from '../../../src/model';
import { planSync, planTeardown } from '../../../src/plan';
import { prepareManifests } from '../../../src/runner';

function rows(manifests: KubeObject[]) {
  const plan = planSync(prepareManifests(manifests));
  return {
    sync: plan.steps.flatMap((s) => s.tasks.map((t) => `${s.phase}/${s.wave} ${t.key.kind} ${t.key.name}`)),
    syncFail: plan.syncFail.map((t) => `${t.key.kind} ${t.key.name}`),
    teardown: planTeardown(prepareManifests(manifests)),
  };
}

test('shop: PreSync migration, app in waves, PostSync notification and cleanup; PreDelete backup and PostDelete cleanup on teardown', () => {
  const manifests = new ShopChart(new App(), 'shop').toJson() as KubeObject[];
  expect(() => validateManifests(prepareManifests(manifests))).not.toThrow();
  const r = rows(manifests);
  expect(r.sync[0]).toBe('PreSync/0 Namespace shop');
  expect(r.sync[1]).toBe('PreSync/0 Job db-migrate');
  expect(r.sync.indexOf('Sync/0 Deployment web')).toBeLessThan(r.sync.indexOf('Sync/1 Service web'));
  expect(r.sync.filter((x) => x.startsWith('PostSync'))).toEqual(['PostSync/0 Job slack-notification-', 'PostSync/5 Job cleanup']);
  expect(r.syncFail).toEqual(['Job failure-alert']);
  expect(r.teardown.preDelete.flatMap((s) => s.tasks.map((t) => t.key.name))).toEqual(['db-backup']);
  expect(r.teardown.postDelete.flatMap((s) => s.tasks.map((t) => t.key.name))).toEqual(['dns-cleanup']);
  expect(r.teardown.kept.map((k) => `${k.key.kind} ${k.key.name}`).sort()).toEqual(['Namespace shop-data', 'PersistentVolume shop-backups', 'PersistentVolumeClaim shop-backups']);
});

test('three-tier: database, then backend with its seed hook, then frontend; smoke test after', () => {
  const manifests = new ThreeTierChart(new App(), 'tt', { namespace: 'tt' }).toJson() as KubeObject[];
  expect(() => validateManifests(prepareManifests(manifests))).not.toThrow();
  const r = rows(manifests);
  expect(r.sync).toEqual([
    'PreSync/0 Namespace tt',
    'PreSync/0 Job schema-check',
    'Sync/0 Service postgres',
    'Sync/0 StatefulSet postgres',
    'Sync/1 Service api',
    'Sync/1 Deployment api',
    'Sync/1 Job db-seed',
    'Sync/2 Service frontend',
    'Sync/2 Deployment frontend',
    'PostSync/0 Job smoke-test',
  ]);
  expect(r.syncFail).toEqual(['Job rollback-flag']);
});
