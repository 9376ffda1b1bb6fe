/**
 * `sync-hooks status --name APP [-o json|yaml|table]`: each managed object's live health (read
 * now, judged by src/health) and the application's last operation with its hooks. The managed
 * objects are those of the inventory (CLI) and of the operation record (CLI and SyncedChart).
 */
import { KubeObject } from '../model';
import { getHealth, worstHealth } from '../health';
import { HealthStatus } from '../model';
import { KubeClient, ObjectRef, OperationRecord, parseRecord, recordRef, describeRecord } from '../engine';
import { HistoryEntry, readHistory } from '../history';
import { describeInventory, readInventory } from '../runner/inventory-store';
import { ParsedArgs } from './args';
import { STATUS_FLAGS } from './flag-lists';
import { AppSession, openAppSession } from './app-session';
import { entryJson, entryText } from './history-view';
import { EXIT_FAILED, EXIT_OK } from './input';
import { jsonFlag } from './options';
import { CliIO, table } from './report';
import type { EngineCmdDeps } from './session';

export { STATUS_FLAGS };

export interface ObjectStatus extends ObjectRef {
  health: HealthStatus['status'];
  message?: string;
}

const refKey = (r: ObjectRef) => `${r.apiVersion.split('/').length > 1 ? r.apiVersion.split('/')[0] : ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`;

/** Managed objects: the inventory's, then the record's (hooks excluded), each once. */
function managedObjects(inventory: readonly ObjectRef[], record: OperationRecord | undefined): ObjectRef[] {
  const seen = new Set<string>();
  const out: ObjectRef[] = [];
  for (const r of [...inventory, ...(record?.written ?? []).filter((w) => !w.hook)]) {
    const k = refKey(r);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ apiVersion: r.apiVersion, kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name });
  }
  return out;
}

/** Health of one object now: Missing when it is gone, Healthy when its kind has no check. */
export function liveHealth(ref: ObjectRef, live: KubeObject | undefined): ObjectStatus {
  if (!live) return { ...ref, health: 'Missing', message: 'not found in the cluster' };
  const h = getHealth(live);
  if (!h) return { ...ref, health: 'Healthy', message: 'exists (no health check for its kind)' };
  return { ...ref, health: h.status, ...(h.message ? { message: h.message } : {}) };
}

async function healthOf(client: KubeClient, refs: readonly ObjectRef[]): Promise<ObjectStatus[]> {
  const out: ObjectStatus[] = [];
  for (let i = 0; i < refs.length; i += 16) {
    const chunk = refs.slice(i, i + 16);
    out.push(...(await Promise.all(chunk.map(async (r) => liveHealth(r, await client.get(r))))));
  }
  return out;
}

async function readRecord(s: AppSession): Promise<OperationRecord | undefined> {
  const cm = await s.client.get(recordRef(s.app, s.namespace));
  return cm ? parseRecord(cm, s.app) : undefined;
}

/** The operation in progress, when the record says one runs (or a run died holding it). */
function running(record: OperationRecord | undefined): Record<string, unknown> | undefined {
  const op = record?.operation;
  if (!op || op.status !== 'Running') return undefined;
  return { id: op.id, kind: op.kind, status: op.status, startedAt: op.startedAt, updatedAt: op.updatedAt, holder: op.holder, ...(op.phase ? { phase: op.phase } : {}), ...(op.wave !== undefined ? { wave: op.wave } : {}) };
}

export async function statusCommand(args: ParsedArgs, io: CliIO, deps: EngineCmdDeps = {}): Promise<number> {
  const s = await openAppSession('status', args, io, deps, STATUS_FLAGS);
  try {
    const [inventory, record, history] = await Promise.all([readInventory(s.client, s.app, s.namespace), readRecord(s), readHistory(s.client, s.app, s.namespace)]);
    if (!inventory && !record && !history?.length) {
      io.err(
        `sync-hooks: no record of application "${s.app}" in namespace "${s.namespace}": no inventory (${describeInventory(s.app, s.namespace)}), operation record (${describeRecord(s.app, s.namespace)}) or history (Secret ${s.namespace}/sync-hooks-history-${s.app}); check --name and --inventory-namespace, and that the app was synced with sync-hooks on this cluster`,
      );
      return EXIT_FAILED;
    }
    const objects = await healthOf(s.client, managedObjects(inventory?.entries ?? [], record));
    const health = worstHealth(objects.map((o) => ({ status: o.health, ...(o.message ? { message: o.message } : {}) })));
    const last: HistoryEntry | undefined = history?.[0];
    const inProgress = running(record);
    if (jsonFlag(args)) {
      io.out(
        JSON.stringify(
          {
            app: s.app,
            namespace: s.namespace,
            health: objects.length ? health.status : 'Unknown',
            objects,
            ...(inProgress ? { operationInProgress: inProgress } : {}),
            lastOperation: last ? entryJson(last) : null,
          },
          null,
          2,
        ),
      );
      return EXIT_OK;
    }
    io.out(`application ${s.app} (record in namespace ${s.namespace}): ${objects.length ? health.status : 'no managed objects recorded'}`);
    if (objects.length) {
      io.out('');
      io.out(table(['KIND', 'NAMESPACE', 'NAME', 'HEALTH', 'MESSAGE'], objects.map((o) => [o.kind, o.namespace ?? '-', o.name, o.health, o.message ?? ''])));
    }
    if (inProgress) io.out(`\noperation in progress: ${inProgress.kind} ${String(inProgress.id).slice(0, 7)} since ${inProgress.startedAt} (${inProgress.holder}${inProgress.phase ? `, at ${inProgress.phase}${inProgress.wave !== undefined ? ` wave ${inProgress.wave}` : ''}` : ''})`);
    io.out(last ? ['', 'last operation:', ...entryText(last)].join('\n') : '\nno operation recorded in the history');
    return EXIT_OK;
  } finally {
    s.client.close?.();
  }
}
