/**
 * One entry point per operation, shared by the CLI and the Pulumi provider: validate the
 * manifests, plan, execute with the engine, and return the new inventory.
 */
import { runSync, runTeardown, SyncFailedError, SyncOptions, SyncResult, TeardownOptions, TeardownResult } from '../engine';
import type { KubeClient } from '../engine';
import { validateManifests } from '../manifests';
import { formatKey, keyOf, KubeObject, TeardownPlan } from '../model';
import { namespaceDefaulter, planSync, planTeardown } from '../plan';
import { prepareManifests } from './prepare';
import { entriesFor, entryId, fromEntries, InventoryEntry, mergeEntries } from './inventory';

export interface SyncRequest {
  manifests: KubeObject[];
  /** Inventory of the previous sync (for pruning). */
  previous?: InventoryEntry[];
  namespace?: string;
  prune?: boolean;
  engine?: SyncOptions;
}

export interface SyncOutcome {
  result: SyncResult;
  inventory: InventoryEntry[];
}

/** Runs a sync. On failure the thrown SyncFailedError gets `inventory` (what exists now) attached. */
export async function syncManifests(client: KubeClient, request: SyncRequest): Promise<SyncOutcome> {
  const req = { ...request, manifests: prepareManifests(request.manifests) };
  validateManifests(req.manifests, { defaultNamespace: req.namespace });
  const previous = req.previous ?? [];
  const plan = planSync(req.manifests, { previous: fromEntries(previous), defaultNamespace: req.namespace, prune: req.prune ?? true });
  const planned = plan.steps.flatMap((s) => s.tasks).map((t) => t.object);
  try {
    const result = await runSync(client, plan, req.engine);
    // Previous objects not pruned (Prune=false, prune disabled) stay in the inventory: they still exist.
    const pruned = new Set(result.pruned.map(formatKey));
    const survivors = previous.filter((e) => !pruned.has(entryId(e)));
    return { result, inventory: mergeEntries(survivors, entriesFor(result.applied, planned, previous)) };
  } catch (e) {
    if (e instanceof SyncFailedError) {
      const pruned = new Set(e.result.pruned.map(formatKey));
      const survivors = previous.filter((x) => !pruned.has(entryId(x)));
      (e as SyncFailedError & { inventory?: InventoryEntry[] }).inventory = mergeEntries(survivors, entriesFor(e.result.applied, planned, previous));
    }
    throw e;
  }
}

export interface TeardownRequest {
  manifests: KubeObject[];
  /** Inventory of the last sync: objects it applied that are no longer in the manifests are deleted too. */
  inventory?: InventoryEntry[];
  namespace?: string;
  engine?: TeardownOptions;
}

export async function teardownManifests(client: KubeClient, request: TeardownRequest): Promise<TeardownResult> {
  const req = { ...request, manifests: prepareManifests(request.manifests) };
  validateManifests(req.manifests, { defaultNamespace: req.namespace });
  const plan = planTeardownWithInventory(req.manifests, req.inventory ?? [], req.namespace);
  return runTeardown(client, plan, req.engine);
}

/** Teardown plan of the manifests plus inventory objects no longer in them (applied earlier, never pruned). */
export function planTeardownWithInventory(objects: KubeObject[], inventory: InventoryEntry[], namespace?: string): TeardownPlan {
  const manifests = prepareManifests(objects);
  const withNs = manifests.map(namespaceDefaulter(manifests, namespace));
  const ids = new Set(withNs.map((m) => formatKey(keyOf(m))));
  const extra = fromEntries(inventory).filter((o) => !ids.has(formatKey(keyOf(o))));
  return planTeardown([...withNs, ...extra], { defaultNamespace: namespace });
}
