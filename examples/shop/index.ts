/**
 * The root Pulumi program (see Pulumi.yaml): the shop app deployed with its hooks.
 *
 *   pulumi up       PreSync migration → app in waves → PostSync notification/cleanup
 *   pulumi destroy  PreDelete backup → app deleted in reverse waves → PostDelete cleanup
 *
 * Config: `kubeconfig` (secret; default $KUBECONFIG as kubectl), `version`, `failMigration`.
 */
import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
import { SyncedChart } from 'pulumi-sync-hooks';
import { ShopChart } from './chart';

const config = new pulumi.Config();
const version = config.get('version') ?? '1.8.0';
const chart = new ShopChart(new App(), 'shop', { version, failMigration: config.getBoolean('failMigration') ?? false });

const shop = new SyncedChart('shop', {
  chart,
  kubeconfig: config.getSecret('kubeconfig'),
  // Re-run the hooks whenever the version changes, even if nothing else in the chart did.
  triggers: [version],
  timeouts: { sync: 600, hook: 120 },
});

export const objects = shop.objects;
export const hooks = shop.hooks;
export const lastSync = shop.lastSync;
