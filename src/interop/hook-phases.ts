/**
 * `HookPhases`: Argo CD hook phases around resources a Pulumi program manages with
 * `@pulumi/kubernetes` (or any other Pulumi resources).
 *
 * ```ts
 * const app = new HookPhases('web', { hooks, kubeconfig, namespace: 'app', triggers: [image] }, (wrap) => [
 *   new k8s.apps.v1.Deployment('web', { ... }, wrap({ provider })),
 * ]);
 * ```
 *
 * Two engine runs (SyncedChart resources) are placed in Pulumi's dependency graph: `<name>-before`,
 * which every wrapped resource depends on, and `<name>-after`, which depends on every wrapped
 * resource. Pulumi creates in dependency order and deletes in the reverse order, so the before node
 * runs PreSync on `up` and PostDelete on `destroy`, the after node PostSync on `up` and PreDelete on
 * `destroy` (split.ts). The user only calls `wrap(opts)`; the edges come out right by construction.
 */
import * as pulumi from '@pulumi/pulumi';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../model';
import { ChartTimeouts, RunHooks, SyncedChart } from '../pulumi';
import { normalizeManifests } from '../runner/normalize';
import { splitHooks, SplitHooks } from './split';
import { failureOf, logLine, SyncFailContext, SyncFailOnce } from './syncfail';

/** Anything with cdk8s' `Chart.toJson()`. */
export interface HookChartLike {
  toJson(): any[];
}

export interface HookPhasesArgs {
  /**
   * The hooks: Argo CD (`argocd.argoproj.io/hook`) or Helm (`helm.sh/hook`) annotated objects, as a
   * cdk8s Chart, objects or multi-document YAML. PreSync, PostSync, PreDelete, PostDelete and SyncFail
   * hooks; waves (`sync-wave`, Helm `hook-weight`) and delete policies work as in the engine.
   */
  hooks: pulumi.Input<HookChartLike | KubeObject[] | string>;
  /** Kubeconfig contents or path for the engine (secret). Use the one your k8s.Provider uses. */
  kubeconfig?: pulumi.Input<string>;
  /** Namespace for hooks without one. It must exist before the PreSync hooks run (pass a Namespace's output). */
  namespace?: pulumi.Input<string>;
  /**
   * Values whose change re-runs the hooks on `pulumi up` (both nodes): typically what you also feed
   * the wrapped resources (image tag, chart version, values). The nodes cannot see the wrapped
   * resources' diff before they change (they come first in the graph).
   */
  triggers?: pulumi.Input<any[]>;
  /** 'on-change' (default): when `hooks` or `triggers` change. 'always': on every `pulumi up`. */
  runHooks?: RunHooks;
  timeouts?: pulumi.Input<ChartTimeouts>;
  /**
   * Start the SyncFail hooks from the program when a wrapped resource fails on `up` (a resource
   * `onError` hook; default true). Failures of the hook phases themselves always run SyncFail.
   */
  syncFailOnError?: boolean;
}

/** Adds the edges (and the SyncFail error hook) to a wrapped resource's options. */
export type Wrap = <T extends pulumi.ResourceOptions>(opts?: T) => T;

export type WrappedResources = pulumi.Resource | pulumi.Resource[] | Record<string, pulumi.Resource>;

function toManifests(hooks: HookChartLike | KubeObject[] | string): KubeObject[] {
  if (typeof hooks === 'string') {
    return parseAllDocuments(hooks)
      .map((d) => d.toJS())
      .filter((o) => o !== null && o !== undefined);
  }
  if (Array.isArray(hooks)) return hooks;
  if (hooks && typeof (hooks as HookChartLike).toJson === 'function') return (hooks as HookChartLike).toJson();
  throw new Error('HookPhases: `hooks` must be a cdk8s Chart, an array of manifests or a YAML string');
}

function resourcesOf(r: WrappedResources): pulumi.Resource[] {
  if (pulumi.Resource.isInstance(r)) return [r];
  if (Array.isArray(r)) return r;
  return Object.values(r);
}

function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** `dependsOn` of `opts` plus `dep`, keeping whatever form (Input, array, Output) the user gave. */
function addDependency(dependsOn: pulumi.ResourceOptions['dependsOn'], dep: pulumi.Resource): pulumi.ResourceOptions['dependsOn'] {
  if (dependsOn === undefined) return [dep];
  if (Array.isArray(dependsOn)) return [...dependsOn, dep];
  if (pulumi.Resource.isInstance(dependsOn)) return [dependsOn, dep];
  return pulumi.output(dependsOn as pulumi.Input<pulumi.Input<pulumi.Resource>[] | pulumi.Resource>).apply((d) => [...asArray(d as any), dep]);
}

function withErrorHook(hooks: pulumi.ResourceHookBinding | undefined, hook: pulumi.ErrorHook): pulumi.ResourceHookBinding {
  const onError = hooks?.onError ?? [];
  if (onError.some((h) => h.name === hook.name)) return hooks ?? {};
  return { ...(hooks ?? {}), onError: [...onError, hook] };
}

export class HookPhases extends pulumi.ComponentResource {
  /** Runs PreSync on create/update and PostDelete on delete. Every wrapped resource depends on it. */
  readonly before: SyncedChart;
  /** Runs PostSync on create/update and PreDelete on delete. It depends on every wrapped resource. */
  readonly after: SyncedChart;
  /** What the callback returned. */
  readonly resources: pulumi.Resource[];
  /** The hooks as split between the nodes (and objects left out, e.g. Helm test hooks). */
  readonly split: pulumi.Output<SplitHooks>;
  /** Whether SyncFail was started from the program because a wrapped resource failed (this run). */
  readonly syncFailStarted: () => boolean;
  /** The option wrapper, for resources created outside the callback (they must still be passed back: see `after`). */
  readonly wrap: Wrap;

  constructor(name: string, args: HookPhasesArgs, resources: (wrap: Wrap) => WrappedResources, opts?: pulumi.ComponentResourceOptions) {
    super('sync-hooks:interop:HookPhases', name, {}, opts);
    const split = pulumi.output(args.hooks).apply((h) => splitHooks(normalizeManifests(toManifests(h as HookChartLike | KubeObject[] | string))));
    this.split = split;
    const common = {
      kubeconfig: args.kubeconfig,
      namespace: args.namespace,
      prune: false,
      timeouts: args.timeouts,
      runHooks: args.runHooks,
      triggers: args.triggers,
    };
    this.before = new SyncedChart(`${name}-before`, { ...common, chart: split.apply((s) => s.before) }, { parent: this });

    // The program-side SyncFail: the plain values are captured when the nodes' inputs resolve,
    // which is before any wrapped resource can run (they wait for the before node).
    let ctx: SyncFailContext | undefined;
    const ready = pulumi
      .all([pulumi.output(args.kubeconfig), pulumi.output(args.namespace), split, pulumi.output(args.timeouts)])
      .apply(([kubeconfig, namespace, s, timeouts]) => {
        ctx = {
          kubeconfig: kubeconfig as string | undefined,
          namespace: namespace as string | undefined,
          manifests: s.syncFail,
          timeoutMs: ((timeouts as ChartTimeouts | undefined)?.syncFail ?? 600) * 1000,
          onEvent: (e) => pulumi.log.info(`[${name}] ${logLine(e)}`, this),
        };
        return true;
      });
    void ready;
    const once = new SyncFailOnce(async () => ctx);
    this.syncFailStarted = () => once.started;
    const errorHook = new pulumi.ErrorHook(`${name}-syncfail`, async (e) => {
      if (e.failedOperation === 'delete') return false; // SyncFail belongs to syncs, not to teardown
      const failure = failureOf(e);
      pulumi.log.warn(`[${name}] ${failure.object} failed: running the SyncFail hooks`, this);
      const outcome = await once.trigger(failure);
      if (outcome.status === 'Failed') pulumi.log.warn(`[${name}] SyncFail hooks failed: ${outcome.message ?? ''}`, this);
      return false; // never retry: the step fails as it would have
    });
    const syncFailOnError = args.syncFailOnError ?? true;
    const before = this.before;

    // Custom resources among the children of components (helm.v4.Chart, yaml ConfigGroups...) get the
    // same edge and hook. Components are left untouched (`undefined`): @pulumi/pulumi 3.259 drops a
    // component's `providers` map when a transform returns options for it (callbacks.js sets the map,
    // then clears it), and their children would fall back to the default provider.
    const transform: pulumi.ResourceTransform = async (t) =>
      t.custom
        ? {
            props: t.props,
            opts: {
              ...t.opts,
              dependsOn: addDependency(t.opts.dependsOn, before),
              ...(syncFailOnError ? { hooks: withErrorHook(t.opts.hooks, errorHook) } : {}),
            },
          }
        : undefined;
    const wrap: Wrap = <T extends pulumi.ResourceOptions>(o?: T): T =>
      ({
        ...(o ?? {}),
        dependsOn: addDependency(o?.dependsOn, before),
        ...(syncFailOnError ? { hooks: withErrorHook(o?.hooks, errorHook) } : {}),
        transforms: [...(o?.transforms ?? []), transform],
      }) as T;
    this.wrap = wrap;

    this.resources = resourcesOf(resources(wrap));
    if (this.resources.length === 0) throw new Error(`HookPhases ${name}: the callback returned no resources to wrap`);
    this.after = new SyncedChart(`${name}-after`, { ...common, chart: split.apply((s) => s.after) }, { parent: this, dependsOn: this.resources });
    this.registerOutputs({ before: this.before, after: this.after });
  }
}
