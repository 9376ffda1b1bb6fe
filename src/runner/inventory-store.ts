/**
 * The CLI's inventory store: one ConfigMap per application, `sync-hooks-inventory-<app>`, holding
 * the InventoryEntry list of the last sync as JSON (data key `inventory.json`) plus when it ran and
 * how it ended. Written after every sync that applied something (failed ones too: what they
 * applied must not be orphaned), read before sync and delete, removed after a successful delete.
 *
 * Only the engine's `KubeClient` (get/apply/delete) is used, so `FakeKubeClient` can stand in.
 */
import type { KubeClient, ObjectRef } from '../engine';
import { KubeObject } from '../model';
import { InventoryEntry } from './inventory';

export const INVENTORY_NAME_PREFIX = 'sync-hooks-inventory-';
export const INVENTORY_DATA_KEY = 'inventory.json';
export const INVENTORY_FORMAT = 'v1';
export const DEFAULT_INVENTORY_NAMESPACE = 'default';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const MANAGED_BY = 'sync-hooks';

/** How the operation that last wrote the inventory ended. */
export type InventoryStatus = 'Succeeded' | 'Failed' | 'Cancelled' | 'Interrupted';

export interface StoredInventory {
  /** Application name (the ConfigMap is `sync-hooks-inventory-<app>`). */
  app: string;
  namespace: string;
  entries: InventoryEntry[];
  lastSyncTime?: string;
  lastSyncStatus?: string;
  lastOperationId?: string;
  lastSyncMessage?: string;
}

export interface WriteInventory {
  app: string;
  namespace?: string;
  entries: readonly InventoryEntry[];
  status: InventoryStatus;
  /** Default: now. */
  time?: Date;
  operationId?: string;
  /** Why the sync failed; stored truncated. */
  message?: string;
}

/** The stored inventory is not what sync-hooks writes (hand-edited, another tool's ConfigMap...). */
export class InventoryError extends Error {
  override name = 'InventoryError';
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_APP_NAME = 63;
const MAX_MESSAGE = 2000;

export function isValidAppName(name: string): boolean {
  return name.length <= MAX_APP_NAME && DNS1123_LABEL.test(name);
}

/**
 * Turns any string into a DNS-1123 label (lower case alphanumerics and '-', starting and ending
 * alphanumeric, at most 63 characters). Returns '' when nothing usable is left.
 */
export function sanitizeAppName(raw: string): string {
  const s = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+/, '');
  return s.slice(0, MAX_APP_NAME).replace(/-+$/, '');
}

export function inventoryConfigMapName(app: string): string {
  return `${INVENTORY_NAME_PREFIX}${app}`;
}

export function inventoryRef(app: string, namespace = DEFAULT_INVENTORY_NAMESPACE): ObjectRef {
  return { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: inventoryConfigMapName(app) };
}

/** `ConfigMap ns/sync-hooks-inventory-app`, for messages. */
export function describeInventory(app: string, namespace = DEFAULT_INVENTORY_NAMESPACE): string {
  return `ConfigMap ${namespace}/${inventoryConfigMapName(app)}`;
}

function assertAppName(app: string): void {
  if (!isValidAppName(app)) throw new InventoryError(`invalid application name "${app}": must be a DNS-1123 label (a-z, 0-9, '-', at most 63 characters)`);
}

const isString = (v: unknown): v is string => typeof v === 'string';

function checkEntry(v: unknown, i: number, where: string): InventoryEntry {
  const bad = (why: string) => new InventoryError(`${where}: ${INVENTORY_DATA_KEY}[${i}] ${why}`);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad('is not an object');
  const e = v as Record<string, unknown>;
  for (const f of ['apiVersion', 'kind', 'name'] as const) if (!isString(e[f]) || e[f] === '') throw bad(`has no ${f}`);
  if (e.namespace !== undefined && !isString(e.namespace)) throw bad('has a non-string namespace');
  const ann = e.annotations;
  if (ann !== undefined && (!ann || typeof ann !== 'object' || Array.isArray(ann) || !Object.values(ann).every(isString))) {
    throw bad('has annotations that are not a map of strings');
  }
  return {
    apiVersion: e.apiVersion as string,
    kind: e.kind as string,
    ...(e.namespace ? { namespace: e.namespace as string } : {}),
    name: e.name as string,
    ...(ann ? { annotations: { ...(ann as Record<string, string>) } } : {}),
  };
}

/** Parses the ConfigMap's data; throws InventoryError naming the ConfigMap when it is not ours or not valid. */
export function parseInventoryConfigMap(cm: KubeObject, app: string): StoredInventory {
  const namespace = cm.metadata?.namespace ?? DEFAULT_INVENTORY_NAMESPACE;
  const where = describeInventory(app, namespace);
  const data = (cm.data ?? {}) as Record<string, unknown>;
  const format = data.format;
  if (format !== undefined && format !== INVENTORY_FORMAT) throw new InventoryError(`${where}: unknown inventory format "${String(format)}" (this version reads ${INVENTORY_FORMAT})`);
  const raw = data[INVENTORY_DATA_KEY];
  if (!isString(raw)) throw new InventoryError(`${where} has no data key ${INVENTORY_DATA_KEY}; it was not written by sync-hooks`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new InventoryError(`${where}: ${INVENTORY_DATA_KEY} is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new InventoryError(`${where}: ${INVENTORY_DATA_KEY} must be a JSON array of objects`);
  const opt = (k: string) => (isString(data[k]) ? { [k]: data[k] as string } : {});
  return {
    app,
    namespace,
    entries: parsed.map((v, i) => checkEntry(v, i, where)),
    ...opt('lastSyncTime'),
    ...opt('lastSyncStatus'),
    ...opt('lastOperationId'),
    ...opt('lastSyncMessage'),
  };
}

/** One entry per line: readable with `kubectl get -o yaml`, and diffs line by line. */
export function serializeEntries(entries: readonly InventoryEntry[]): string {
  return entries.length === 0 ? '[]' : `[\n${entries.map((e) => `  ${JSON.stringify(e)}`).join(',\n')}\n]`;
}

export function inventoryConfigMap(w: WriteInventory): KubeObject {
  assertAppName(w.app);
  const ref = inventoryRef(w.app, w.namespace);
  const data: Record<string, string> = {
    format: INVENTORY_FORMAT,
    [INVENTORY_DATA_KEY]: serializeEntries(w.entries),
    lastSyncTime: (w.time ?? new Date()).toISOString(),
    lastSyncStatus: w.status,
  };
  if (w.operationId) data.lastOperationId = w.operationId;
  if (w.message) data.lastSyncMessage = w.message.length > MAX_MESSAGE ? `${w.message.slice(0, MAX_MESSAGE)}…` : w.message;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [INSTANCE_LABEL]: w.app },
    },
    data,
  };
}

/** The stored inventory, or `undefined` when there is none (first sync). */
export async function readInventory(client: KubeClient, app: string, namespace = DEFAULT_INVENTORY_NAMESPACE): Promise<StoredInventory | undefined> {
  assertAppName(app);
  const cm = await client.get(inventoryRef(app, namespace));
  if (!cm) return undefined;
  const managedBy = cm.metadata?.labels?.[MANAGED_BY_LABEL];
  if (managedBy !== MANAGED_BY) {
    throw new InventoryError(
      `${describeInventory(app, namespace)} exists but is not managed by sync-hooks (label ${MANAGED_BY_LABEL}=${managedBy ?? '<none>'}); choose another --name`,
    );
  }
  return parseInventoryConfigMap(cm, app);
}

/** Creates or replaces the inventory (server-side apply, field manager `sync-hooks`). */
export async function writeInventory(client: KubeClient, w: WriteInventory): Promise<StoredInventory> {
  const live = await client.apply(inventoryConfigMap(w));
  return parseInventoryConfigMap(live, w.app);
}

/** Removes the inventory. Resolves false when there was none. */
export async function deleteInventory(client: KubeClient, app: string, namespace = DEFAULT_INVENTORY_NAMESPACE): Promise<boolean> {
  assertAppName(app);
  return client.delete(inventoryRef(app, namespace), { propagationPolicy: 'Background' });
}
