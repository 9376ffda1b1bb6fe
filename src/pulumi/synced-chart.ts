/**
 * `SyncedChart`: a Pulumi resource that runs Argo CD-style sync hooks. `pulumi up` syncs
 * (PreSync → Sync waves → PostSync, SyncFail on failure, prune); `pulumi destroy` tears down
 * (PreDelete → delete in reverse waves → PostDelete).
 */
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { chartManifests, ChartLike } from '../manifests/chart-input';
import { KubeObject } from '../model';

export type { ChartLike };
import { sanitizeAppName } from '../runner/inventory-store';
import { normalizeManifests } from '../runner/normalize';
import { ChartOutputs, ChartRetry, ChartTimeouts, HookSummary, LastSync, RunHooks } from './inputs';
import { SyncedChartApp } from './companion';
import { syncedChartProvider } from './provider';
import { splitSecretData } from './secret-data';


export interface SyncedChartArgs {
  /** A cdk8s Chart, manifests as objects, or multi-document YAML. */
  chart: pulumi.Input<ChartLike | KubeObject[] | string>;
  /** Kubeconfig contents or path (treated as secret). Default: $KUBECONFIG / ~/.kube/config, as kubectl. */
  kubeconfig?: pulumi.Input<string>;
  /** Namespace for namespaced objects without one. */
  namespace?: pulumi.Input<string>;
  /** Delete objects removed from the chart on update (default true). */
  prune?: pulumi.Input<boolean>;
  timeouts?: pulumi.Input<ChartTimeouts>;
  /** 'on-change' (default): hooks run when the chart or `triggers` change. 'always': on every `pulumi up`. */
  runHooks?: RunHooks;
  /** Values whose change re-runs the sync (and so its hooks), e.g. an image tag or a migration version. */
  triggers?: pulumi.Input<any[]>;
  /** Accept a chart with no objects (default false: an empty chart is rejected at preview). */
  allowEmpty?: boolean;
  /**
   * The application's name in the cluster (DNS-1123 label): keys its operation record
   * (ConfigMap default/sync-hooks-op-<app>), its lock and the `sync-hooks.dev/app` label on what
   * it writes. Default: `<project>-<stack>-<resource name>` (sanitized, at most 63 characters).
   */
  app?: string;
  /**
   * Start over instead of continuing an interrupted sync or teardown of the same chart (after a
   * killed `pulumi up`, the next one continues by default: completed hooks are not re-run).
   */
  restart?: pulumi.Input<boolean>;
  /** Argo CD's `CreateNamespace=true`: create `namespace` before anything else if it is missing (never deleted). */
  createNamespace?: pulumi.Input<boolean>;
  /**
   * Argo CD's operation retry `{ limit, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } }`:
   * a failed sync starts again from PreSync after the backoff, up to `limit` times; SyncFail runs
   * once, after the last attempt. Default: no retry.
   */
  retry?: pulumi.Input<ChartRetry>;
  /**
   * Draw each sync and teardown into this HTML file (relative to the program's directory): a
   * self-contained page with phases and waves, each object's apply → ready and each hook's run,
   * failures, SyncFail and idle gaps (as `sync-hooks sync --timeline`). Changing it runs nothing.
   */
  timelineFile?: pulumi.Input<string>;
}

/** `<project>-<stack>-<name>` as a DNS-1123 label; a hash keeps it unique when it must be shortened. */
export function defaultRecordApp(project: string, stack: string, name: string): string {
  const full = sanitizeAppName(`${project}-${stack}-${name}`);
  if (full.length < 63 && full === `${project}-${stack}-${name}`.toLowerCase()) return full;
  const hash = crypto.createHash('sha256').update(`${project}\0${stack}\0${name}`).digest('hex').slice(0, 8);
  return `${sanitizeAppName(`${project}-${stack}-${name}`).slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** The chart's `dependsOn` plus `extra`, whatever form the caller gave it in. */
function withDependency(dependsOn: pulumi.CustomResourceOptions['dependsOn'], extra: pulumi.Resource): pulumi.CustomResourceOptions['dependsOn'] {
  const all = (d: unknown) => [...(Array.isArray(d) ? d : [d]), extra] as pulumi.Input<pulumi.Resource>[];
  if (dependsOn === undefined) return [extra];
  if (Array.isArray(dependsOn)) return [...dependsOn, extra];
  if (pulumi.Output.isInstance(dependsOn)) return (dependsOn as pulumi.Output<unknown>).apply(all);
  if (typeof (dependsOn as PromiseLike<unknown>).then === 'function') return Promise.resolve(dependsOn as PromiseLike<unknown>).then(all) as Promise<pulumi.Input<pulumi.Resource>[]>;
  return [dependsOn as pulumi.Resource, extra];
}

export class SyncedChart extends pulumi.dynamic.Resource {
  /** Managed objects that exist because of this chart. */
  declare readonly objects: pulumi.Output<ChartOutputs['objects']>;
  /** Per-hook results of the last sync (name, phase, wave, status, start, end, message). */
  declare readonly hooks: pulumi.Output<HookSummary[]>;
  /** Status and time of the last sync. */
  declare readonly lastSync: pulumi.Output<LastSync>;
  /**
   * The last failure in full, with the failed hook's termination message and log tail (which
   * `lastSync.message` withholds: they may hold secrets). Secret; absent after a success.
   */
  declare readonly failureDetails: pulumi.Output<string | undefined>;

  constructor(name: string, args: SyncedChartArgs, opts?: pulumi.CustomResourceOptions) {
    // A cdk8s Chart is a construct tree (circular): synthesize it now, never wrap it in an Output.
    const chart = args.chart as unknown;
    const manifests: pulumi.Output<KubeObject[]> =
      chart && typeof (chart as ChartLike).toJson === 'function'
        ? (pulumi.output(normalizeManifests(chartManifests(chart as ChartLike, `SyncedChart "${name}": chart`)) as unknown) as pulumi.Output<KubeObject[]>)
        : pulumi.output(args.chart as pulumi.Input<KubeObject[] | string>).apply((c) => normalizeManifests(chartManifests(c as KubeObject[] | string, `SyncedChart "${name}": chart`)));
    // Secrets in the chart (kind: Secret) and the kubeconfig never reach the state in plaintext;
    // only the Secrets' values are secret, so `preview --diff` still shows every other change.
    const split = manifests.apply((m: KubeObject[]) => splitSecretData(m));
    const kubeconfig = args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig);
    const recordApp = args.app ?? defaultRecordApp(pulumi.getProject(), pulumi.getStack(), name);
    // Registered first and quickly, so that `pulumi destroy` can clean up even after a first
    // `pulumi up` killed while the chart itself was still a pending create (see companion.ts).
    const companion = new SyncedChartApp(name, { appName: name, recordApp, kubeconfig, timeouts: args.timeouts }, opts);
    super(
      syncedChartProvider,
      name,
      {
        appName: name,
        manifests: split.apply((s) => s.manifests),
        secretData: pulumi.secret(split.apply((s) => s.secretData)),
        kubeconfig,
        namespace: args.namespace,
        prune: args.prune ?? true,
        timeouts: args.timeouts,
        runHooks: args.runHooks ?? 'on-change',
        triggers: args.triggers ?? [],
        runNonce: args.runHooks === 'always' ? new Date().toISOString() : undefined,
        ...(args.allowEmpty ? { allowEmpty: true } : {}),
        recordApp,
        restart: args.restart ?? false,
        ...(args.createNamespace !== undefined ? { createNamespace: args.createNamespace } : {}),
        ...(args.retry !== undefined ? { retry: args.retry } : {}),
        ...(args.timelineFile !== undefined ? { timelineFile: pulumi.output(args.timelineFile).apply((f) => path.resolve(f)) } : {}),
        objects: undefined,
        hooks: undefined,
        lastSync: undefined,
        failureDetails: undefined,
      },
      { ...opts, dependsOn: withDependency(opts?.dependsOn, companion), additionalSecretOutputs: ['kubeconfig', 'secretData', 'failureDetails', ...(opts?.additionalSecretOutputs ?? [])] },
      'sync-hooks',
      'SyncedChart',
    );
  }
}
