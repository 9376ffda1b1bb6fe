/**
 * A Pulumi program deploying the three-tier example with its hooks. Use it as a project of its
 * own: copy Pulumi.yaml from the repository root and set `main: examples/three-tier/index.ts`.
 */
import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
import { SyncedChart } from 'pulumi-sync-hooks';
import { ThreeTierChart } from './chart';

const config = new pulumi.Config();
const version = config.get('version') ?? '2.4.0';

const app = new SyncedChart('three-tier', {
  chart: new ThreeTierChart(new App(), 'three-tier', { version }),
  kubeconfig: config.getSecret('kubeconfig'),
  triggers: [version],
});

export const hooks = app.hooks;
export const objects = app.objects;
