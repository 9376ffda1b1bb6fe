/**
 * One entry point per operation, shared by the CLI and the Pulumi provider: validate the
 * manifests, plan, execute with the engine, and return the new inventory.
 */
import { LockLostError, runSync, runTeardown, SyncFailedError, SyncOptions, SyncResult, TeardownOptions, TeardownResult } from '../engine';
import type { KubeClient, OperationRecorder } from '../engine';
import { emptyChartProblem, ManifestValidationError, validateManifests } from '../manifests';
import { formatKey, groupOf, keyOf, KubeObject, SyncPlan, TeardownPlan } from '../model';
import { autoNamespace, namespaceDefaulter, planSync, planTeardown, ScopeResolver } from '../plan';
import { HistoryCollector, recordHistory } from '../history/record';
import { discoverScope, prepareManifests } from './prepare';
import { AppRecordOptions, historyTarget, openRecord, revisionOf, withRecorded } from './record';
import { entriesFor, entryId, fromEntries, InventoryEntry, mergeEntries } from './inventory';

export interface SyncRequest {
  manifests: KubeObject[];
  /** Inventory of the previous sync (for pruning). */
  previous?: InventoryEntry[];
  namespace?: string;
  prune?: boolean;
  engine?: SyncOptions;
  /** Sees the plan before it runs (e.g. to print it). */
  onPlan?: (plan: SyncPlan) => void;
  /** Accept no manifests at all (HookPhases' nodes may have no hooks of their phases). Default false. */
  allowEmpty?: boolean;
  /** Keep the application's operation record and lock in the cluster (crash-safe, resumable, one at a time). */
  record?: AppRecordOptions;
  /** Argo CD's `CreateNamespace=true`: create `namespace` first if missing; it is not put in the inventory. */
  createNamespace?: boolean;
}

export interface SyncOutcome {
  result: SyncResult;
  inventory: InventoryEntry[];
}

/** Runs a sync. On failure the thrown SyncFailedError gets `inventory` (what exists now) attached. */
export async function syncManifests(client: KubeClient, request: SyncRequest): Promise<SyncOutcome> {
  if (request.manifests.length === 0 && !request.allowEmpty) throw new ManifestValidationError([emptyChartProblem('the manifests', '')]);
  validateManifests(prepareManifests(request.manifests), { defaultNamespace: request.namespace });
  // Keys are normalized once, with the scope the cluster serves: what is planned, applied and
  // recorded in the inventory then agree (a cluster-scoped kind whose CRD is not in the chart too).
  const clusterScoped = await discoverScope(client, [...request.manifests, ...fromEntries(request.previous ?? [])]);
  const req = { ...request, manifests: prepareManifests(request.manifests, clusterScoped) };
  const recorder = req.record ? await openRecord(client, 'sync', req.record) : undefined;
  try {
    return await syncWith(client, req, recorder, clusterScoped);
  } finally {
    await recorder?.close();
  }
}

async function syncWith(client: KubeClient, req: SyncRequest, recorder: OperationRecorder | undefined, clusterScoped: ScopeResolver): Promise<SyncOutcome> {
  const previous = normalizeEntries(withRecorded(req.previous ?? [], recorder), clusterScoped);
  const planOpts = { previous: fromEntries(previous), defaultNamespace: req.namespace, prune: req.prune ?? true, createNamespace: req.createNamespace ?? false, clusterScoped };
  const plan = planSync(req.manifests, planOpts);
  // The namespace CreateNamespace=true makes is not the application's (Argo CD does not delete it either).
  const autoNs = autoNamespace(req.manifests, planOpts);
  const planned = plan.steps
    .flatMap((s) => s.tasks)
    .map((t) => t.object)
    .filter((o) => !(autoNs && o.kind === 'Namespace' && o.apiVersion === 'v1' && o.metadata.name === autoNs.metadata.name));
  // What exists after the operation: previous objects not pruned (Prune=false, prune disabled:
  // they still exist) plus what this sync applied.
  const inventoryAfter = (r: SyncResult): InventoryEntry[] => {
    const pruned = new Set(r.pruned.map(formatKey));
    return mergeEntries(previous.filter((e) => !pruned.has(entryId(e))), entriesFor(r.applied, planned, previous));
  };
  req.onPlan?.(plan);
  const prune = req.prune ?? true;
  const revision = recorder ? revisionOf(req.manifests, req.namespace, { prune }) : undefined;
  // With a record, the operation's history entry is written when it ends (best effort).
  const history = recorder && req.record ? new HistoryCollector(req.engine?.onEvent) : undefined;
  history?.prefetch(client, historyTarget(req.record!));
  try {
    const engine = recorder ? { ...req.engine, recorder, revision, ...(history ? { onEvent: history.onEvent } : {}) } : req.engine;
    const result = await runSync(client, plan, engine);
    if (history) await recordHistory(client, historyTarget(req.record!), 'sync', history, { result }, revision);
    return { result, inventory: inventoryAfter(result) };
  } catch (e) {
    // An operation that lost its lock writes nothing more, its history entry included (the app is the new holder's).
    if (history && !(e instanceof LockLostError)) await recordHistory(client, historyTarget(req.record!), 'sync', history, { error: e }, revision);
    if (e instanceof SyncFailedError) (e as SyncFailedError & { inventory?: InventoryEntry[] }).inventory = inventoryAfter(e.result);
    throw e;
  }
}

export interface TeardownRequest {
  manifests: KubeObject[];
  /** Inventory of the last sync: objects it applied that are no longer in the manifests are deleted too. */
  inventory?: InventoryEntry[];
  namespace?: string;
  engine?: TeardownOptions;
  /** Sees the plan before it runs (e.g. to print it). */
  onPlan?: (plan: TeardownPlan) => void;
  record?: AppRecordOptions;
}

export async function teardownManifests(client: KubeClient, request: TeardownRequest): Promise<TeardownResult> {
  validateManifests(prepareManifests(request.manifests), { defaultNamespace: request.namespace });
  const clusterScoped = await discoverScope(client, [...request.manifests, ...fromEntries(request.inventory ?? [])]);
  const req = { ...request, manifests: prepareManifests(request.manifests, clusterScoped) };
  const recorder = req.record ? await openRecord(client, 'teardown', req.record) : undefined;
  try {
    const plan = teardownPlanOf(req.manifests, normalizeEntries(withRecorded(req.inventory ?? [], recorder), clusterScoped), req.namespace, clusterScoped);
    req.onPlan?.(plan);
    const revision = recorder ? revisionOf(req.manifests, req.namespace, { inventory: req.inventory ?? [] }) : undefined;
    const history = recorder && req.record ? new HistoryCollector(req.engine?.onEvent) : undefined;
    const engine = recorder ? { ...req.engine, recorder, revision, ...(history ? { onEvent: history.onEvent } : {}) } : req.engine;
    try {
      const result = await runTeardown(client, plan, engine);
      if (history) await recordHistory(client, historyTarget(req.record!), 'teardown', history, { result }, revision);
      return result;
    } catch (e) {
      if (history && !(e instanceof LockLostError)) await recordHistory(client, historyTarget(req.record!), 'teardown', history, { error: e }, revision);
      throw e;
    }
  } finally {
    await recorder?.close();
  }
}

/** Teardown plan of the manifests plus inventory objects no longer in them (applied earlier, never pruned). */
export function planTeardownWithInventory(objects: KubeObject[], inventory: InventoryEntry[], namespace?: string): TeardownPlan {
  return teardownPlanOf(prepareManifests(objects), inventory, namespace);
}

function teardownPlanOf(manifests: KubeObject[], inventory: InventoryEntry[], namespace?: string, clusterScoped?: ScopeResolver): TeardownPlan {
  const withNs = manifests.map(namespaceDefaulter(manifests, namespace, clusterScoped));
  const ids = new Set(withNs.map((m) => formatKey(keyOf(m))));
  const extra = fromEntries(inventory).filter((o) => !ids.has(formatKey(keyOf(o))));
  return planTeardown([...withNs, ...extra], { defaultNamespace: namespace, clusterScoped });
}

/** Entries of cluster-scoped kinds without a namespace (an inventory written before keys were normalized may carry one). */
function normalizeEntries(entries: readonly InventoryEntry[], clusterScoped: ScopeResolver): InventoryEntry[] {
  return entries.map((e) => {
    if (!e.namespace || !clusterScoped(groupOf(e.apiVersion), e.kind)) return e;
    const copy = { ...e };
    delete copy.namespace;
    return copy;
  });
}
