/**
 * The SyncedChart provider's implementation. It runs in Pulumi's dynamic-provider process and is
 * loaded by package name from the thin serialized shim (provider.ts), so `pulumi destroy` runs the
 * installed engine, not code frozen into the state.
 */
import * as crypto from 'node:crypto';
import { createKubeClient, describeRetries, EngineEvent, formatEvent, KubeClient, KubeconfigError, parseKubeconfig, SyncFailedError, SyncOptions } from '../engine';
import { emptyChartProblem, manifestProblems } from '../manifests';
import { formatKey, PlanStep, SyncPlan } from '../model';
import { formatPlan, formatTeardownPlan, planSync } from '../plan';
import type { AppRecordOptions } from '../runner/record';
import { chartRetry } from './retry';
import { entryId, prepareManifests, InventoryEntry, planTeardownWithInventory, stableStringify, syncManifests, teardownManifests } from '../runner';
import { writeTimelineFile } from '../timeline';
import { inventoryScope } from '../runner/prepare';
import { compactRenderer, CompactOptions } from './compact';
import { compactTeardownPlan } from './compact-plan';
import { firstTimeInThisPulumiRun, printPlanOnce, pulumiRunStore, ShownStore, shownKey } from './once';
import { ChartInputs, ChartOutputs, summarizeHooks } from './inputs';
import { mergeSecretData } from './secret-data';

/** Pulumi's marker for values unknown during preview. */
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

function hasUnknown(v: unknown): boolean {
  return JSON.stringify(v ?? null).includes(UNKNOWN);
}

/**
 * What the host of these functions provides. The dynamic provider passes nothing (every line goes
 * to stdout, which Pulumi shows); the native provider plugin (src/provider) routes lines to the
 * engine's log with the resource's URN, cancels through `signal` and bounds the operation by
 * `customTimeouts`.
 */
export interface RuntimeContext {
  /** Receives progress lines. `ephemeral` lines are status updates a UI may replace. Default: stdout. */
  log?: (line: string, opts?: { ephemeral?: boolean }) => void;
  /** Aborts a running sync (running hooks are terminated, SyncFail runs) or teardown. */
  signal?: AbortSignal;
  /** Upper bound of the whole sync or teardown in ms (`customTimeouts`), on top of `timeouts.sync`. */
  timeoutMs?: number;
  /** Kubeconfig (contents or path) used when the inputs carry none (the native provider's configuration). */
  kubeconfig?: string;
  /** Kubeconfig context (the native provider's configuration). */
  context?: string;
  /**
   * Compact output (default): the plan is a line per step (compact-plan.ts), printed once per
   * `pulumi up` (before: by `check` for the dynamic provider, by preview for the native one; by
   * the sync when they did not), warnings printed with it are not repeated, events are rendered by
   * `compactRenderer` and status updates are `ephemeral`.
   * `false`: every event as a line and every plan as a table.
   */
  compact?: boolean;
  /** Test seam: the cluster client (default: from the kubeconfig). */
  createClient?: () => KubeClient;
  /** Test seam: what this `pulumi up` printed already (default: markers per pulumi process, see once.ts). */
  shown?: ShownStore;
}

type Log = (line: string, opts?: { ephemeral?: boolean }) => void;

/** Without a host logger (the dynamic provider), lines go to stdout, which Pulumi shows; status updates are left out. */
function logger(app: string, ctx: RuntimeContext): Log {
  return ctx.log ?? ((line, opts) => (opts?.ephemeral ? undefined : process.stdout.write(`[${app}] ${line}\n`)));
}

function client(inputs: ChartInputs, ctx: RuntimeContext = {}): KubeClient {
  if (ctx.createClient) return ctx.createClient();
  return createKubeClient(inputs.kubeconfig || ctx.kubeconfig || undefined, ctx.context);
}

/** With `timelineFile`: the events are kept for the page written when the operation ends. */
function timelineOf(inputs: ChartInputs): EngineEvent[] | undefined {
  return inputs.timelineFile ? [] : undefined;
}

function writeTimeline(inputs: ChartInputs, events: EngineEvent[] | undefined, log: Log): void {
  if (!inputs.timelineFile || !events) return;
  const error = writeTimelineFile(inputs.timelineFile, events, inputs.appName);
  if (error) log(`warning: ${error}`);
  else if (events.length) log(`timeline: ${inputs.timelineFile}`);
}

/** The chart's key in "printed once" markers: its application in the cluster. */
function shownApp(inputs: ChartInputs): string {
  return inputs.recordApp || inputs.appName;
}

function engineOptions(inputs: ChartInputs, ctx: RuntimeContext = {}, timeline?: EngineEvent[], plan?: CompactOptions['plan']): SyncOptions {
  const t = inputs.timeouts ?? {};
  const log = logger(inputs.appName, ctx);
  const shown = ctx.shown ?? pulumiRunStore;
  const render =
    ctx.compact === false
      ? (e: EngineEvent) => ({ line: formatEvent(e), ephemeral: false })
      : compactRenderer({ plan, alreadyShown: (w) => shown.seen(shownKey.warning(shownApp(inputs), w)) });
  const sync = (t.sync ?? 1800) * 1000;
  return {
    onEvent: (e) => {
      timeline?.push(e);
      const r = render(e);
      if (r) log(r.line, { ephemeral: r.ephemeral });
    },
    signal: ctx.signal,
    timeoutMs: ctx.timeoutMs ? Math.min(sync, ctx.timeoutMs) : sync,
    hookTimeoutMs: (t.hook ?? 600) * 1000,
    syncFailTimeoutMs: (t.syncFail ?? 600) * 1000,
    ...(chartRetry(inputs.retry).retry ? { retry: chartRetry(inputs.retry).retry } : {}),
  };
}

/** The manifests as written: the Secrets' values merged back from `secretData`. */
function manifestsOf(inputs: Pick<ChartInputs, 'manifests' | 'secretData'>) {
  return mergeSecretData(inputs.manifests ?? [], inputs.secretData);
}

export async function check(olds: Partial<ChartInputs>, news: ChartInputs, ctx: RuntimeContext = {}) {
  if (hasUnknown(news.manifests) || hasUnknown(news.secretData) || hasUnknown(news.namespace)) return { inputs: news };
  const manifests = prepareManifests(manifestsOf(news));
  const problems = manifestProblems(manifests, { defaultNamespace: news.namespace });
  if (manifests.length === 0 && !news.allowEmpty) problems.push(emptyChartProblem(`SyncedChart ${news.appName}`, 'chart'));
  // No `property`: Pulumi prints a failing property's whole value next to the reason, and the
  // manifests may hold Secrets. Each reason names the object and the field instead.
  const failures = problems.map((p) => ({
    property: '',
    reason: `${p.object}: ${p.field ? `${p.field}: ` : ''}${p.message}`,
  }));
  if (!hasUnknown(news.retry)) for (const reason of chartRetry(news.retry).problems) failures.push({ property: 'retry', reason: `SyncedChart ${news.appName}: ${reason}` });
  const kubeconfigProblem = checkKubeconfig(news.kubeconfig);
  if (kubeconfigProblem) failures.push({ property: '', reason: kubeconfigProblem });
  // The dynamic provider (no host logger) shows what a new or changed chart will do here, once per
  // `pulumi up` (check runs in its preview and again in its update); the native provider in preview.
  const changed = !olds?.manifests || stableStringify(olds.manifests) !== stableStringify(news.manifests);
  if (!ctx.log && failures.length === 0 && changed) {
    const plan = planSync(manifests, { defaultNamespace: news.namespace, prune: false, createNamespace: news.createNamespace ?? false });
    const log = logger(news.appName, ctx);
    const teardown = planTeardownWithInventory(manifests, [], news.namespace);
    if (ctx.compact === false) {
      log(`plan for pulumi up (prunes are added against the last sync):\n${formatPlan(plan)}`);
      log(`plan for pulumi destroy:\n${formatTeardownPlan(teardown)}`);
    } else {
      const title = 'plan for pulumi up (prunes are added against the last sync)';
      printPlanOnce(shownApp(news), plan, title, log, { store: ctx.shown, teardown: { plan: teardown, title: 'plan for pulumi destroy' } });
    }
  }
  return { inputs: news, failures };
}

/** Whether a given kubeconfig can be read (not whether its cluster answers); the message never quotes it. */
function checkKubeconfig(kubeconfig: unknown): string | undefined {
  if (kubeconfig === undefined || kubeconfig === null || kubeconfig === '' || hasUnknown(kubeconfig)) return undefined;
  if (typeof kubeconfig !== 'string') return `kubeconfig: must be a string (a file path, YAML or JSON), got ${Array.isArray(kubeconfig) ? 'an array' : typeof kubeconfig}`;
  try {
    parseKubeconfig(kubeconfig);
    return undefined;
  } catch (e) {
    return e instanceof KubeconfigError ? e.message : 'kubeconfig: cannot be read';
  }
}

/** Managed objects of the chart (what should exist after a sync). */
function desiredKeys(inputs: ChartInputs, inventory: InventoryEntry[]): string[] {
  // The scope the last sync discovered (kept in its inventory), so a cluster-scoped kind whose CRD
  // is not in the chart is keyed as it was applied.
  const clusterScoped = inventoryScope(inventory, inputs.manifests);
  const plan = planSync(prepareManifests(inputs.manifests, clusterScoped), { defaultNamespace: inputs.namespace, prune: false, clusterScoped });
  return plan.steps.flatMap((s) => s.tasks).filter((t) => !t.isHook && t.action === 'apply').map((t) => formatKey(t.key));
}

/** Why the next `pulumi up` must sync: names of the inputs that changed, `lastSync` (failed) and `objects` (drift). */
export function changedFields(olds: ChartOutputs, news: ChartInputs & { __provider?: string }): string[] {
  const changed: string[] = [];
  if (stableStringify(olds.manifests) !== stableStringify(news.manifests)) changed.push('manifests');
  if (stableStringify(olds.secretData ?? {}) !== stableStringify(news.secretData ?? {})) changed.push('secretData');
  if (stableStringify(olds.triggers ?? []) !== stableStringify(news.triggers ?? [])) changed.push('triggers');
  for (const k of ['namespace', 'prune', 'runNonce'] as const) {
    if ((olds[k] ?? null) !== (news[k] ?? null)) changed.push(k);
  }
  // A state the native plugin wrote has no appName (it takes the name from the URN, which a move by
  // alias keeps): only a name that was stored and differs is a change.
  if (olds.appName !== undefined && olds.appName !== news.appName) changed.push('appName');
  if (stableStringify(olds.timeouts ?? {}) !== stableStringify(news.timeouts ?? {})) changed.push('timeouts');
  if (olds.lastSync?.status === 'Failed') changed.push('lastSync');
  // Drift found by `pulumi refresh`: objects of the chart missing from the cluster are repaired.
  if (!changed.includes('manifests') && !hasUnknown(news.manifests)) {
    const have = new Set((olds.objects ?? []).map(entryId));
    if (desiredKeys(news, olds.objects ?? []).some((k) => !have.has(k))) changed.push('objects');
  }
  const provider = (olds as { __provider?: string }).__provider;
  if (provider !== undefined && news.__provider !== undefined && provider !== news.__provider) changed.push('__provider');
  // A state without the dynamic provider's code was written by the native plugin (a stack moved
  // here by alias): it must be rewritten as this resource's, which `update` does without a sync.
  if (provider === undefined && news.__provider !== undefined) changed.push(ADOPTED);
  return changed;
}

/** changedFields' name for a state written by the native plugin. */
const ADOPTED = 'adopted';

/** Whether the only reason to update is taking over the native plugin's state (no sync then). */
function adoptionOnly(changed: string[]): boolean {
  return changed.length === 1 && changed[0] === ADOPTED;
}

export async function diff(_id: string, olds: ChartOutputs, news: ChartInputs & { __provider?: string }, ctx: RuntimeContext = {}) {
  const changed = changedFields(olds, news);
  if (adoptionOnly(changed)) {
    if (!ctx.log && firstTimeInThisPulumiRun(`${news.appName}\0${ADOPTED}`)) logger(news.appName, ctx)('state written by the sync-hooks plugin: taken over without a sync');
  } else if (changed.length > 0 && !ctx.log && firstTimeInThisPulumiRun(`${news.appName}\0${changed.join()}`))
    logger(news.appName, ctx)(`changed: ${changed.join(', ')}: the next pulumi up runs a sync`);
  return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false, stables: [] as string[] };
}

/** `failure`: the error's message (withholds the hook's output) and details (has it; a secret output). */
function outputs(inputs: ChartInputs, objects: InventoryEntry[], hooks: ChartOutputs['hooks'], status: 'Succeeded' | 'Failed', started: number, failure?: { message: string; details: string }): ChartOutputs {
  const rest: ChartOutputs = { ...(inputs as ChartOutputs) };
  delete rest.failureDetails; // a success clears the previous failure's
  return {
    ...rest,
    objects,
    hooks,
    lastSync: { operation: 'sync', status, time: new Date().toISOString(), durationMs: Date.now() - started, ...(failure ? { message: failure.message } : {}) },
    ...(failure ? { failureDetails: failure.details } : {}),
  };
}

/** The application's record and lock, when the state knows its name (states from before the record do not). */
function recordOf(inputs: ChartInputs, ctx: RuntimeContext): AppRecordOptions | undefined {
  if (!inputs.recordApp) return undefined;
  return {
    app: inputs.recordApp,
    restart: inputs.restart ?? false,
    ...(inputs.timeouts?.lock ? { lockTtlMs: inputs.timeouts.lock * 1000 } : {}),
    log: logger(inputs.appName, ctx),
  };
}

async function sync(id: string, inputs: ChartInputs, previous: InventoryEntry[], ctx: RuntimeContext): Promise<ChartOutputs> {
  const started = Date.now();
  const c = client(inputs, ctx);
  const log = logger(inputs.appName, ctx);
  const timeline = timelineOf(inputs);
  let planned: SyncPlan | undefined;
  try {
    const { result, inventory } = await syncManifests(c, {
      manifests: manifestsOf(inputs),
      previous,
      namespace: inputs.namespace,
      prune: inputs.prune,
      allowEmpty: inputs.allowEmpty,
      record: recordOf(inputs, ctx),
      createNamespace: inputs.createNamespace ?? false,
      engine: engineOptions(inputs, ctx, timeline, () => planned),
      // Shown in preview (or by check) already: not again; else now (`pulumi up --skip-preview`).
      onPlan: (plan) => {
        planned = plan;
        if (ctx.compact === false) log(`sync plan:\n${formatPlan(plan)}`);
        else printPlanOnce(shownApp(inputs), plan, 'sync plan', log, { store: ctx.shown });
      },
    });
    return outputs(inputs, inventory, summarizeHooks(result.hooks), 'Succeeded', started);
  } catch (e) {
    if (e instanceof SyncFailedError) {
      const inventory = (e as SyncFailedError & { inventory?: InventoryEntry[] }).inventory ?? previous;
      const outs = outputs(inputs, inventory, summarizeHooks(e.hooks), 'Failed', started, { message: e.message, details: e.details });
      // Recorded as "created but failed to initialize": the state keeps what was applied (no orphans)
      // and the next `pulumi up` retries.
      throw { id, properties: outs, reasons: [e.message], message: e.message };
    }
    throw e;
  } finally {
    writeTimeline(inputs, timeline, log);
    const retried = describeRetries(c.requestStats?.());
    if (retried) log(retried);
    c.close?.();
  }
}

export async function create(inputs: ChartInputs, ctx: RuntimeContext = {}) {
  const id = `${inputs.appName}-${crypto.randomBytes(4).toString('hex')}`;
  return { id, outs: await sync(id, inputs, [], ctx) };
}

export async function update(id: string, olds: ChartOutputs, news: ChartInputs & { __provider?: string }, ctx: RuntimeContext = {}) {
  // Taking over the plugin's state: this resource's inputs, the last sync's results as they were.
  if (adoptionOnly(changedFields(olds, news))) return { outs: { ...(news as ChartOutputs), objects: olds.objects ?? [], hooks: olds.hooks ?? [], lastSync: olds.lastSync } as ChartOutputs };
  return { outs: await sync(id, news, olds.objects ?? [], ctx) };
}

/** `pulumi refresh`: objects deleted out of band disappear from `objects` (drift); the next `up` repairs them. */
export async function read(id: string, props: ChartOutputs, ctx: RuntimeContext = {}) {
  const c = client(props, ctx);
  try {
    const present: InventoryEntry[] = [];
    for (const e of props.objects ?? []) {
      const live = await c.get({ apiVersion: e.apiVersion, kind: e.kind, namespace: e.namespace, name: e.name });
      if (live && !live.metadata.deletionTimestamp) present.push(e);
      else logger(props.appName, ctx)(`drift: ${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name} is missing from the cluster`);
    }
    return { id, props: { ...props, objects: present } };
  } finally {
    c.close?.();
  }
}

export async function remove(_id: string, props: ChartOutputs, ctx: RuntimeContext = {}): Promise<void> {
  const c = client(props, ctx);
  const log = logger(props.appName, ctx);
  const timeline = timelineOf(props);
  let planned: { steps: PlanStep[] } | undefined;
  try {
    await teardownManifests(c, {
      manifests: manifestsOf(props),
      inventory: props.objects ?? [],
      namespace: props.namespace,
      record: recordOf(props, ctx),
      engine: engineOptions(props, ctx, timeline, () => planned),
      // Destroy has no preview step where a provider could show this: the plan, once, now.
      onPlan: (plan) => {
        planned = { steps: [...plan.preDelete, ...plan.postDelete] };
        log(ctx.compact === false ? `teardown plan:\n${formatTeardownPlan(plan)}` : compactTeardownPlan(plan, 'teardown plan'));
      },
    });
  } finally {
    writeTimeline(props, timeline, log);
    c.close?.();
  }
}

