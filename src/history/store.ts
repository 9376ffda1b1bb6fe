/**
 * Where an application's history lives: the Secret `sync-hooks-history-<app>` (a Secret, not a
 * ConfigMap, because failed hooks' log tails and termination messages may hold secrets), next to
 * the operation record. `history.json.gz` holds the entries, newest first, as gzipped JSON (as
 * Helm stores its releases); at most `limit` of them, and at most `maxBytes` compressed, the
 * oldest dropped first, so the Secret stays under Kubernetes' 1 MiB limit.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { KubeClient, ObjectRef } from '../engine';
import { KubeObject } from '../model';
import { addEntry, fitEntries, HISTORY_FORMAT, HistoryEntry } from './entry';

export const HISTORY_NAME_PREFIX = 'sync-hooks-history-';
export const HISTORY_DATA_KEY = 'history.json.gz';
export const HISTORY_SECRET_TYPE = 'sync-hooks.dev/history';
/** Operations kept per application by default. */
export const DEFAULT_HISTORY_LIMIT = 10;
/** Compressed bytes kept at most (a Secret's data may hold 1 MiB). */
export const MAX_HISTORY_BYTES = 900 * 1024;

const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
const INSTANCE_LABEL = 'app.kubernetes.io/instance';

export class HistoryError extends Error {
  override name = 'HistoryError';
}

export function historyRef(app: string, namespace = 'default'): ObjectRef {
  return { apiVersion: 'v1', kind: 'Secret', namespace, name: `${HISTORY_NAME_PREFIX}${app}` };
}

export function describeHistory(app: string, namespace = 'default'): string {
  return `Secret ${namespace}/${HISTORY_NAME_PREFIX}${app}`;
}

export function encodeHistory(entries: readonly HistoryEntry[]): Buffer {
  return gzipSync(JSON.stringify({ format: HISTORY_FORMAT, entries }));
}

export function decodeHistory(data: Buffer, where: string): HistoryEntry[] {
  let doc: { format?: string; entries?: unknown };
  try {
    doc = JSON.parse(gunzipSync(data).toString('utf8'));
  } catch (e) {
    throw new HistoryError(`${where}: ${HISTORY_DATA_KEY} is not gzipped JSON (${(e as Error).message})`);
  }
  if (doc?.format !== HISTORY_FORMAT || !Array.isArray(doc.entries)) throw new HistoryError(`${where}: not a history of format ${HISTORY_FORMAT}`);
  return doc.entries as HistoryEntry[];
}

/** The application's history, newest first; `undefined` when there is none. */
export async function readHistory(client: KubeClient, app: string, namespace = 'default'): Promise<HistoryEntry[] | undefined> {
  const secret = await client.get(historyRef(app, namespace));
  if (!secret) return undefined;
  const where = describeHistory(app, namespace);
  if (secret.metadata.labels?.[MANAGED_BY_LABEL] !== 'sync-hooks') throw new HistoryError(`${where} exists but was not written by sync-hooks (no label ${MANAGED_BY_LABEL}=sync-hooks)`);
  const raw = (secret.data as Record<string, unknown> | undefined)?.[HISTORY_DATA_KEY];
  if (typeof raw !== 'string') throw new HistoryError(`${where} has no data key ${HISTORY_DATA_KEY}`);
  return decodeHistory(Buffer.from(raw, 'base64'), where);
}

export interface AppendOptions {
  limit?: number;
  maxBytes?: number;
}

/**
 * Adds `entry` as the newest, keeps `limit` entries within `maxBytes`, writes the Secret.
 * `read`: the history as read earlier under the same lock (saves the read at the end of an operation).
 */
export async function appendHistory(
  client: KubeClient,
  app: string,
  namespace: string,
  entry: HistoryEntry,
  opts: AppendOptions = {},
  read?: Promise<HistoryEntry[] | undefined>,
): Promise<HistoryEntry[]> {
  let prior: HistoryEntry[] = [];
  try {
    prior = (await (read ?? readHistory(client, app, namespace))) ?? [];
  } catch (e) {
    // A corrupt history is replaced (it only serves reading); another tool's Secret is not.
    if (!(e instanceof HistoryError) || /not written by sync-hooks/.test(e.message)) throw e;
  }
  const maxBytes = opts.maxBytes ?? MAX_HISTORY_BYTES;
  const entries = fitEntries(addEntry(prior, entry, opts.limit ?? DEFAULT_HISTORY_LIMIT), maxBytes, (es) => encodeHistory(es).length);
  const ref = historyRef(app, namespace);
  const body: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: HISTORY_SECRET_TYPE,
    metadata: { name: ref.name, namespace: ref.namespace, labels: { [MANAGED_BY_LABEL]: 'sync-hooks', [INSTANCE_LABEL]: app } },
    data: { [HISTORY_DATA_KEY]: encodeHistory(entries).toString('base64') },
  };
  await client.apply(body);
  return entries;
}

/** Removes the history (the application is gone). Resolves whether it existed. */
export async function removeHistory(client: KubeClient, app: string, namespace = 'default'): Promise<boolean> {
  return client.delete(historyRef(app, namespace), { propagationPolicy: 'Background' });
}
