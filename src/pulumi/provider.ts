/**
 * The dynamic provider object Pulumi serializes into the state. It is deliberately a thin shim:
 * every method requires the implementation by package name at call time, so no ESM module, class
 * instance or engine code is captured, and `pulumi destroy` runs the installed version.
 */
import type * as pulumi from '@pulumi/pulumi';

export const syncedChartProvider: pulumi.dynamic.ResourceProvider = {
  check: (olds: any, news: any) => require('pulumi-sync-hooks/dist/pulumi/runtime').check(olds, news),
  diff: (id: string, olds: any, news: any) => require('pulumi-sync-hooks/dist/pulumi/runtime').diff(id, olds, news),
  create: (inputs: any) => require('pulumi-sync-hooks/dist/pulumi/runtime').create(inputs),
  update: (id: string, olds: any, news: any) => require('pulumi-sync-hooks/dist/pulumi/runtime').update(id, olds, news),
  read: (id: string, props: any) => require('pulumi-sync-hooks/dist/pulumi/runtime').read(id, props),
  delete: (id: string, props: any) => require('pulumi-sync-hooks/dist/pulumi/runtime').remove(id, props),
};
