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
import { chartManifests } from '../manifests/chart-input';
import { KubeObject } from '../model';
import { ChartTimeouts, RunHooks, SyncedChart } from '../pulumi';
import { normalizeManifests } from '../runner/normalize';
import { splitHooks, SplitHooks } from './split';
import { EngineEvent } from '../engine';
import { failureOf, logLine, PreSyncContext, runPreSyncInProgram, SyncFailContext, SyncFailOnce } from './syncfail';

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
  /**
   * Run the hooks whenever Pulumi creates, updates or replaces a wrapped resource, even when
   * `hooks` and `triggers` did not change (default true): PreSync then runs in the program, from a
   * `beforeCreate`/`beforeUpdate` resource hook, before the first such step (its failure fails that
   * step, after SyncFail), and the after node re-runs PostSync because the wrapped resources'
   * `metadata.uid`/`generation` are among its triggers. False: hooks run only when `hooks` or
   * `triggers` change (or always, with `runHooks: 'always'`).
   */
  followWrapped?: boolean;
}

/** Adds the edges (and the SyncFail error hook) to a wrapped resource's options. */
export type Wrap = <T extends pulumi.ResourceOptions>(opts?: T) => T;

export type WrappedResources = pulumi.Resource | pulumi.Resource[] | Record<string, pulumi.Resource>;

function isChartLike(v: unknown): v is HookChartLike {
  return !!v && typeof v === 'object' && !pulumi.Output.isInstance(v) && typeof (v as HookChartLike).toJson === 'function';
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

function withResourceHook(hooks: pulumi.ResourceHookBinding | undefined, hook: pulumi.ResourceHook): pulumi.ResourceHookBinding {
  const add = (list: Array<pulumi.ResourceHookFunction | pulumi.ResourceHook> | undefined) =>
    (list ?? []).some((h) => pulumi.ResourceHook.isInstance(h) && h.name === hook.name) ? (list ?? []) : [...(list ?? []), hook];
  return { ...(hooks ?? {}), beforeCreate: add(hooks?.beforeCreate), beforeUpdate: add(hooks?.beforeUpdate) };
}

/** What changes when Pulumi changes a Kubernetes object: its uid (replace) and generation (or resourceVersion). */
function objectFingerprint(metadata: pulumi.Input<any>): pulumi.Output<string> {
  return pulumi.output(metadata).apply((m: any) => `${m?.uid ?? ''}/${m?.generation ?? m?.resourceVersion ?? ''}`);
}

/**
 * A value that changes whenever Pulumi created, updated or replaced one of the wrapped resources:
 * `@pulumi/kubernetes` objects by uid/generation, components with a `resources` output (helm.v4.Chart,
 * yaml.v2.ConfigGroup) by their objects', anything else by URN.
 */
export function wrappedFingerprint(resources: readonly pulumi.Resource[]): pulumi.Output<string[]> {
  return pulumi.all(
    resources.map((r) => {
      const any = r as unknown as { metadata?: pulumi.Output<unknown>; resources?: pulumi.Output<unknown[]> };
      if (pulumi.Output.isInstance(any.metadata)) return pulumi.all([r.urn, objectFingerprint(any.metadata)]).apply(([u, f]) => `${u}=${f}`);
      if (pulumi.Output.isInstance(any.resources)) {
        return any.resources.apply((rs) =>
          pulumi
            .all((rs ?? []).map((x: any) => (x && pulumi.Output.isInstance(x.metadata) ? objectFingerprint(x.metadata) : pulumi.output(String(x?.urn ?? '')))))
            .apply((fs) => `${fs.length}:${fs.join(',')}`),
        );
      }
      return r.urn;
    }),
  );
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
  /**
   * The option wrapper, also usable after construction. A resource wrapped later gets the before
   * edge and the hooks, but the after node does not wait for it: return resources from the callback.
   */
  readonly wrap: Wrap;

  constructor(name: string, args: HookPhasesArgs, resources: (wrap: Wrap) => WrappedResources, opts?: pulumi.ComponentResourceOptions) {
    super('sync-hooks:interop:HookPhases', name, {}, opts);
    const started = Date.now();
    const followWrapped = args.followWrapped ?? true;
    // A cdk8s Chart is synthesized here: constructs are circular, pulumi.output() cannot walk them.
    const hooksInput = isChartLike(args.hooks) ? args.hooks.toJson() : args.hooks;
    const split = pulumi.output(hooksInput).apply((h) => splitHooks(normalizeManifests(chartManifests(h as HookChartLike | KubeObject[] | string, `HookPhases "${name}": hooks`))));
    this.split = split;
    const common = {
      kubeconfig: args.kubeconfig,
      namespace: args.namespace,
      prune: false,
      timeouts: args.timeouts,
      runHooks: args.runHooks,
      triggers: args.triggers,
      // A node may have no hooks of its phases.
      allowEmpty: true,
    };
    this.before = new SyncedChart(`${name}-before`, { ...common, chart: split.apply((s) => s.before) }, { parent: this });

    // The program-side SyncFail: the plain values are captured when the nodes' inputs resolve,
    // which is before any wrapped resource can run (they wait for the before node).
    let ctx: SyncFailContext | undefined;
    let presync: PreSyncContext | undefined;
    const ready = pulumi
      .all([pulumi.output(args.kubeconfig), pulumi.output(args.namespace), split, pulumi.output(args.timeouts)])
      .apply(([kubeconfig, namespace, s, timeouts]) => {
        const t = (timeouts as ChartTimeouts | undefined) ?? {};
        const onEvent = (e: EngineEvent) => pulumi.log.info(`[${name}] ${logLine(e)}`, this);
        ctx = {
          kubeconfig: kubeconfig as string | undefined,
          namespace: namespace as string | undefined,
          manifests: s.syncFail,
          timeoutMs: (t.syncFail ?? 600) * 1000,
          onEvent,
        };
        presync = { kubeconfig: kubeconfig as string | undefined, namespace: namespace as string | undefined, manifests: s.before, timeouts: t, onEvent };
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

    // PreSync for wrapped changes the before node did not see: did it sync in this deployment?
    let resolveBeforeRan!: (ran: boolean) => void;
    const beforeRan = new Promise<boolean>((r) => (resolveBeforeRan = r));
    this.before.lastSync.apply((ls) => {
      resolveBeforeRan(!!ls && ls.operation === 'sync' && Date.parse(ls.time) >= started);
      return ls;
    });
    let presyncRun: Promise<void> | undefined;
    const presyncHook = new pulumi.ResourceHook(`${name}-presync`, async (h) => {
      if (await beforeRan) return; // the before node ran PreSync in this deployment
      presyncRun ??= (async () => {
        if (!presync) throw new Error(`[${name}] PreSync: the hook context is not resolved`);
        pulumi.log.info(`[${name}] ${h.type} "${h.name}" changes but the hooks did not run in this deployment: running PreSync in the program first`, this);
        await runPreSyncInProgram(presync);
      })();
      await presyncRun;
    });
    const hooksFor = (current: pulumi.ResourceHookBinding | undefined) => {
      let hooks = current;
      if (syncFailOnError) hooks = withErrorHook(hooks, errorHook);
      if (followWrapped) hooks = withResourceHook(hooks, presyncHook);
      return hooks;
    };

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
              hooks: hooksFor(t.opts.hooks),
            },
          }
        : undefined;
    const wrap: Wrap = <T extends pulumi.ResourceOptions>(o?: T): T =>
      ({
        ...(o ?? {}),
        dependsOn: addDependency(o?.dependsOn, before),
        hooks: hooksFor(o?.hooks),
        transforms: [...(o?.transforms ?? []), transform],
      }) as T;
    this.wrap = wrap;

    this.resources = resourcesOf(resources(wrap));
    if (this.resources.length === 0) throw new Error(`HookPhases ${name}: the callback returned no resources to wrap`);
    // The after node re-runs PostSync when the wrapped resources changed (followWrapped) or the triggers did.
    const afterTriggers = followWrapped
      ? pulumi.all([pulumi.output(args.triggers ?? []), wrappedFingerprint(this.resources)]).apply(([t, f]) => [...(t as unknown[]), { wrapped: f }])
      : args.triggers;
    this.after = new SyncedChart(
      `${name}-after`,
      { ...common, triggers: afterTriggers, chart: split.apply((s) => s.after) },
      { parent: this, dependsOn: this.resources },
    );
    this.registerOutputs({ before: this.before, after: this.after });
  }
}
