/**
 * `HookedChart`: a Helm chart deployed with `@pulumi/kubernetes` `helm.v4.Chart`, whose hooks
 * (which helm.v4.Chart drops: pulumi-kubernetes#3284) run through the sync-hooks engine, mapped the
 * way Argo CD maps them: pre-install/pre-upgrade → PreSync, post-install/post-upgrade → PostSync,
 * pre-delete → PreDelete, post-delete → PostDelete, hook-weight → wave, hook-delete-policy merged
 * into the delete policies; test and rollback hooks are never applied.
 *
 * The hooks come from the Kubernetes provider's own renderer (`kubernetes:helm:template`, the
 * invoke behind helm.v3.Chart, same Helm SDK, same provider and cluster), with the same chart,
 * release name, namespace and values as the helm.v4.Chart; the chart's resources come from
 * helm.v4.Chart, wrapped by `HookPhases`.
 */
import * as crypto from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KubeObject } from '../model';
import { ChartTimeouts, RunHooks } from '../pulumi';
import { stableStringify } from '../runner/normalize';
import { helmHooks, helmTemplateOpts } from './helm';
import { HookPhases } from './hook-phases';

export interface HookedChartArgs {
  /** Local chart directory, or a chart reference with `repo`/`version` (fetched by the provider). */
  chart: string;
  /** Release name (default: the resource name). */
  releaseName?: string;
  namespace?: pulumi.Input<string>;
  values?: pulumi.Input<Record<string, any>>;
  version?: string;
  /** Chart repository URL for a chart reference. */
  repo?: string;
  /** The Kubernetes provider used for helm.v4.Chart and the render (required: no ambient config). */
  provider: k8s.Provider;
  /** Kubeconfig for the engine (contents or path): the same cluster as `provider`. */
  kubeconfig: pulumi.Input<string>;
  /**
   * Extra values whose change re-runs the hooks. The whole rendering (resources and hooks) is
   * always a trigger, so a chart or values change runs pre-upgrade/post-upgrade hooks, as Argo CD
   * does on a sync with changes.
   */
  triggers?: pulumi.Input<any[]>;
  runHooks?: RunHooks;
  timeouts?: pulumi.Input<ChartTimeouts>;
  syncFailOnError?: boolean;
  /** Passed through to helm.v4.Chart (e.g. skipAwait, skipCrds, postRenderer). */
  chartArgs?: Omit<k8s.helm.v4.ChartArgs, 'chart' | 'name' | 'namespace' | 'values' | 'version' | 'repositoryOpts'>;
}

export class HookedChart extends pulumi.ComponentResource {
  readonly chart: k8s.helm.v4.Chart;
  readonly phases: HookPhases;
  /** The chart's hooks as rendered (before the split). */
  readonly hooks: pulumi.Output<KubeObject[]>;

  constructor(name: string, args: HookedChartArgs, opts?: pulumi.ComponentResourceOptions) {
    super('sync-hooks:interop:HookedChart', name, {}, opts);
    const releaseName = args.releaseName ?? name;
    const rendered = pulumi.all([pulumi.output(args.namespace), pulumi.output(args.values ?? {})]).apply(async ([namespace, values]) => {
      const jsonOpts = JSON.stringify(
        helmTemplateOpts({ chart: args.chart, releaseName, namespace, values: values as Record<string, unknown>, version: args.version, repo: args.repo }),
      );
      const r = await pulumi.runtime.invoke('kubernetes:helm:template', { jsonOpts }, { provider: args.provider, parent: this, async: true });
      return (r?.result ?? []) as KubeObject[];
    });
    this.hooks = rendered.apply(helmHooks);
    const renderHash = rendered.apply((objs) => crypto.createHash('sha256').update(stableStringify(objs)).digest('hex').slice(0, 16));
    const triggers = pulumi.all([renderHash, pulumi.output(args.triggers ?? [])]).apply(([h, t]) => [`render:${h}`, ...(t as unknown[])]);

    let chart!: k8s.helm.v4.Chart;
    this.phases = new HookPhases(
      name,
      {
        hooks: this.hooks,
        kubeconfig: args.kubeconfig,
        namespace: args.namespace,
        triggers,
        runHooks: args.runHooks,
        timeouts: args.timeouts,
        syncFailOnError: args.syncFailOnError,
      },
      (wrap) => {
        chart = new k8s.helm.v4.Chart(
          name,
          {
            ...(args.chartArgs ?? {}),
            chart: args.chart,
            name: releaseName,
            namespace: args.namespace,
            values: args.values,
            ...(args.version ? { version: args.version } : {}),
            ...(args.repo ? { repositoryOpts: { repo: args.repo } } : {}),
          },
          wrap({ provider: args.provider, parent: this }),
        );
        return [chart];
      },
      { parent: this },
    );
    this.chart = chart;
    this.registerOutputs({ hooks: this.hooks });
  }
}
