/**
 * The SyncedChart provider's implementation. It runs in Pulumi's dynamic-provider process and is
 * loaded by package name from the thin serialized shim (provider.ts), so `pulumi destroy` runs the
 * installed engine, not code frozen into the state.
 */
import * as crypto from 'node:crypto';
import { createKubeClient, formatEvent, KubeClient, SyncFailedError, SyncOptions } from '../engine';
import { manifestProblems } from '../manifests';
import { formatKey } from '../model';
import { formatPlan, formatTeardownPlan, planSync } from '../plan';
import { entryId, prepareManifests, InventoryEntry, planTeardownWithInventory, stableStringify, syncManifests, teardownManifests } from '../runner';
import { ChartInputs, ChartOutputs, summarizeHooks } from './inputs';

/** Pulumi's marker for values unknown during preview. */
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

function hasUnknown(v: unknown): boolean {
  return JSON.stringify(v ?? null).includes(UNKNOWN);
}

function log(app: string, line: string): void {
  process.stdout.write(`[${app}] ${line}\n`);
}

function client(inputs: ChartInputs): KubeClient {
  return createKubeClient(inputs.kubeconfig || undefined);
}

function engineOptions(inputs: ChartInputs): SyncOptions {
  const t = inputs.timeouts ?? {};
  return {
    onEvent: (e) => log(inputs.appName, formatEvent(e)),
    timeoutMs: (t.sync ?? 1800) * 1000,
    hookTimeoutMs: (t.hook ?? 600) * 1000,
    syncFailTimeoutMs: (t.syncFail ?? 600) * 1000,
  };
}

export async function check(olds: Partial<ChartInputs>, news: ChartInputs) {
  if (hasUnknown(news.manifests) || hasUnknown(news.namespace)) return { inputs: news };
  const manifests = prepareManifests(news.manifests ?? []);
  const failures = manifestProblems(manifests, { defaultNamespace: news.namespace }).map((p) => ({
    property: 'manifests',
    reason: `${p.object}: ${p.field ? `${p.field}: ` : ''}${p.message}`,
  }));
  // `pulumi preview` (and up) show what a new or changed chart will do, for up and for destroy.
  if (failures.length === 0 && (!olds?.manifests || stableStringify(olds.manifests) !== stableStringify(news.manifests))) {
    const plan = planSync(manifests, { defaultNamespace: news.namespace, prune: false });
    log(news.appName, `plan for pulumi up (prunes are added against the last sync):\n${formatPlan(plan)}`);
    log(news.appName, `plan for pulumi destroy:\n${formatTeardownPlan(planTeardownWithInventory(manifests, [], news.namespace))}`);
  }
  return { inputs: news, failures };
}

/** Managed objects of the chart (what should exist after a sync). */
function desiredKeys(inputs: ChartInputs): string[] {
  const plan = planSync(prepareManifests(inputs.manifests), { defaultNamespace: inputs.namespace, prune: false });
  return plan.steps.flatMap((s) => s.tasks).filter((t) => !t.isHook && t.action === 'apply').map((t) => formatKey(t.key));
}

export async function diff(_id: string, olds: ChartOutputs, news: ChartInputs & { __provider?: string }) {
  const changed: string[] = [];
  if (stableStringify(olds.manifests) !== stableStringify(news.manifests)) changed.push('manifests');
  if (stableStringify(olds.triggers ?? []) !== stableStringify(news.triggers ?? [])) changed.push('triggers');
  for (const k of ['namespace', 'prune', 'runNonce', 'appName'] as const) {
    if ((olds[k] ?? null) !== (news[k] ?? null)) changed.push(k);
  }
  if (stableStringify(olds.timeouts ?? {}) !== stableStringify(news.timeouts ?? {})) changed.push('timeouts');
  if (olds.lastSync?.status === 'Failed') changed.push('lastSync');
  // Drift found by `pulumi refresh`: objects of the chart missing from the cluster are repaired.
  if (!changed.includes('manifests') && !hasUnknown(news.manifests)) {
    const have = new Set((olds.objects ?? []).map(entryId));
    if (desiredKeys(news).some((k) => !have.has(k))) changed.push('objects');
  }
  const provider = (olds as { __provider?: string }).__provider;
  if (provider !== undefined && news.__provider !== undefined && provider !== news.__provider) changed.push('__provider');
  if (changed.length > 0) log(news.appName, `changed: ${changed.join(', ')}: the next pulumi up runs a sync`);
  return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false, stables: [] as string[] };
}

function outputs(inputs: ChartInputs, objects: InventoryEntry[], hooks: ChartOutputs['hooks'], status: 'Succeeded' | 'Failed', started: number, message?: string): ChartOutputs {
  return {
    ...inputs,
    objects,
    hooks,
    lastSync: { operation: 'sync', status, time: new Date().toISOString(), durationMs: Date.now() - started, ...(message ? { message } : {}) },
  };
}

async function sync(id: string, inputs: ChartInputs, previous: InventoryEntry[]): Promise<ChartOutputs> {
  const started = Date.now();
  const c = client(inputs);
  try {
    const { result, inventory } = await syncManifests(c, {
      manifests: inputs.manifests,
      previous,
      namespace: inputs.namespace,
      prune: inputs.prune,
      engine: engineOptions(inputs),
      onPlan: (plan) => log(inputs.appName, `sync plan:\n${formatPlan(plan)}`),
    });
    return outputs(inputs, inventory, summarizeHooks(result.hooks), 'Succeeded', started);
  } catch (e) {
    if (e instanceof SyncFailedError) {
      const inventory = (e as SyncFailedError & { inventory?: InventoryEntry[] }).inventory ?? previous;
      const outs = outputs(inputs, inventory, summarizeHooks(e.hooks), 'Failed', started, e.message);
      // Recorded as "created but failed to initialize": the state keeps what was applied (no orphans)
      // and the next `pulumi up` retries.
      throw { id, properties: outs, reasons: [e.message], message: e.message };
    }
    throw e;
  } finally {
    c.close?.();
  }
}

export async function create(inputs: ChartInputs) {
  const id = `${inputs.appName}-${crypto.randomBytes(4).toString('hex')}`;
  return { id, outs: await sync(id, inputs, []) };
}

export async function update(id: string, olds: ChartOutputs, news: ChartInputs) {
  return { outs: await sync(id, news, olds.objects ?? []) };
}

/** `pulumi refresh`: objects deleted out of band disappear from `objects` (drift); the next `up` repairs them. */
export async function read(id: string, props: ChartOutputs) {
  const c = client(props);
  try {
    const present: InventoryEntry[] = [];
    for (const e of props.objects ?? []) {
      const live = await c.get({ apiVersion: e.apiVersion, kind: e.kind, namespace: e.namespace, name: e.name });
      if (live && !live.metadata.deletionTimestamp) present.push(e);
      else log(props.appName, `drift: ${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name} is missing from the cluster`);
    }
    return { id, props: { ...props, objects: present } };
  } finally {
    c.close?.();
  }
}

export async function remove(_id: string, props: ChartOutputs): Promise<void> {
  const c = client(props);
  try {
    await teardownManifests(c, {
      manifests: props.manifests,
      inventory: props.objects ?? [],
      namespace: props.namespace,
      engine: engineOptions(props),
      onPlan: (plan) => log(props.appName, `teardown plan:\n${formatTeardownPlan(plan)}`),
    });
  } finally {
    c.close?.();
  }
}

