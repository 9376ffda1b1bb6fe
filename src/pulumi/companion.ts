/**
 * `SyncedChartApp`: the small companion every `SyncedChart` registers first (the chart depends on
 * it). It holds only what a teardown from the operation record needs: the application's name in
 * the cluster, the kubeconfig (secret) and the timeouts. It is created in milliseconds, before the
 * chart's long sync starts, so it is in the Pulumi state even when the first `pulumi up` is
 * killed and the chart itself exists there only as a pending create.
 *
 * Its delete (companion-runtime.ts) runs after the chart's (it is a dependency): when the chart's
 * teardown ran, the record is gone and it does nothing; when the chart never reached the state
 * (its first sync was interrupted or failed before Pulumi recorded it), it tears the application
 * down from the record, as `sync-hooks delete --name <app>` does.
 */
import * as pulumi from '@pulumi/pulumi';
import { ChartTimeouts } from './inputs';

export const COMPANION_MODULE = 'sync-hooks';
export const COMPANION_TYPE = 'SyncedChartApp';
/** The type token Pulumi gives it (`pulumi-nodejs:dynamic/<module>:<type>`). */
export const COMPANION_TYPE_TOKEN = `pulumi-nodejs:dynamic/${COMPANION_MODULE}:${COMPANION_TYPE}`;
export const CHART_TYPE_TOKEN = `pulumi-nodejs:dynamic/${COMPANION_MODULE}:SyncedChart`;

/** The companion's inputs (and outputs: it computes nothing). */
export interface CompanionInputs {
  /** The SyncedChart's resource name (for log lines). */
  appName: string;
  /** The application's name in the cluster: keys the record, the lock and the labels. */
  recordApp: string;
  kubeconfig?: string;
  timeouts?: ChartTimeouts;
}

/** Thin serialized shim, as provider.ts: the implementation is loaded by package name at call time. */
const companionProvider: pulumi.dynamic.ResourceProvider = {
  diff: (id: string, olds: any, news: any) => require('pulumi-sync-hooks/dist/pulumi/companion-runtime').diff(id, olds, news),
  create: (inputs: any) => require('pulumi-sync-hooks/dist/pulumi/companion-runtime').create(inputs),
  update: (id: string, olds: any, news: any) => require('pulumi-sync-hooks/dist/pulumi/companion-runtime').update(id, olds, news),
  delete: (id: string, props: any) => require('pulumi-sync-hooks/dist/pulumi/companion-runtime').remove(id, props),
};

/**
 * The chart's aliases for the companion: same names and parents, the companion's type. A rename
 * of the chart with an alias then keeps the companion too (an orphaned old companion would tear
 * the application down when deleted). Aliases given as Outputs or promises cannot be rewritten
 * here and are not carried over.
 */
export function companionAliases(aliases: pulumi.CustomResourceOptions['aliases']): pulumi.CustomResourceOptions['aliases'] {
  if (!aliases) return undefined;
  const out: Array<pulumi.Input<pulumi.URN | pulumi.Alias>> = [];
  for (const a of aliases) {
    if (typeof a === 'string') out.push(a.split(CHART_TYPE_TOKEN).join(COMPANION_TYPE_TOKEN));
    else if (a && typeof a === 'object' && !pulumi.Output.isInstance(a) && typeof (a as PromiseLike<unknown>).then !== 'function') {
      const alias = a as pulumi.Alias;
      out.push({ ...alias, ...(alias.type !== undefined ? { type: COMPANION_TYPE_TOKEN } : {}) });
    }
  }
  return out;
}

/** The options of the chart that must hold for the companion too (lifetime, parent, deletion). */
export function companionOptions(opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  const o = opts ?? {};
  return {
    ...(o.parent ? { parent: o.parent } : {}),
    ...(o.dependsOn ? { dependsOn: o.dependsOn } : {}),
    ...(o.protect !== undefined ? { protect: o.protect } : {}),
    // A retained chart is not torn down: its companion must not tear it down either.
    ...(o.retainOnDelete !== undefined ? { retainOnDelete: o.retainOnDelete } : {}),
    ...(o.deletedWith ? { deletedWith: o.deletedWith } : {}),
    ...(o.customTimeouts ? { customTimeouts: o.customTimeouts } : {}),
    ...(o.aliases ? { aliases: companionAliases(o.aliases) } : {}),
    additionalSecretOutputs: ['kubeconfig'],
  };
}

export class SyncedChartApp extends pulumi.dynamic.Resource {
  constructor(name: string, args: { [K in keyof CompanionInputs]: pulumi.Input<CompanionInputs[K]> | undefined }, opts?: pulumi.CustomResourceOptions) {
    super(companionProvider, name, { ...args }, companionOptions(opts), COMPANION_MODULE, COMPANION_TYPE);
  }
}
