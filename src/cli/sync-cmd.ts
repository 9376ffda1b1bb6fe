/**
 * `sync-hooks sync -f ... [--namespace ns] [--name app] [--no-prune] [--timeout 30m]
 * [--hook-timeout 10m] [--kubeconfig file] [--inventory-namespace ns] [--json]`:
 * PreSync → Sync (waves) → PostSync, SyncFail on failure, with live progress and the inventory
 * ConfigMap read before and written after (a failed sync's too).
 */
import { EngineEvent, ObjectRef, OperationRetry, describeRetries, SyncCancelledError, SyncFailedError, SyncResult } from '../engine';
import { groupOf, HOOK_FINALIZER, keyOf, KubeObject, parseKey } from '../model';
import { namespaceDefaulter } from '../plan';
import { entryId, InventoryEntry, mergeEntries, syncManifests, toEntry } from '../runner';
import { describeInventory, inventoryConfigMapName, InventoryStatus, writeInventory } from '../runner/inventory-store';
import { bool, ParsedArgs } from './args';
import { EXIT_BAD_INPUT, EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, reportBadInput } from './input';
import { handleInterrupts } from './interrupt';
import { SYNC_FLAGS } from './flag-lists';
import { createNamespaceFlag, retryFlags } from './sync-flags';
import { CliIO, errorJson, formatMs, hookTable, keys, plural } from './report';
import { EngineCmdDeps, engineOptions, openSession, recordOptions, Session, writeTimeline } from './session';

/** How long the second Ctrl-C waits for the inventory write before exiting anyway. */
const FORCED_WRITE_MS = 3_000;

/** What the engine reported applied and pruned so far (for the inventory when the user forces an exit). */
export class Progress {
  readonly applied = new Set<string>();
  readonly pruned = new Set<string>();
  /** Hooks created (keys): they carry the hook finalizer until the engine has read their result. */
  readonly hooks = new Set<string>();
  see(e: EngineEvent): void {
    if (e.type === 'object.applied') this.applied.add(e.key);
    else if (e.type === 'object.pruned') this.pruned.add(e.key);
    else if (e.type === 'hook.created') this.hooks.add(e.key);
  }
  /** Refs of the created hooks (apiVersion from the manifests of the same group and kind). */
  hookRefs(manifests: KubeObject[]): ObjectRef[] {
    return [...this.hooks].flatMap((id) => {
      const k = parseKey(id);
      const m = manifests.find((o) => groupOf(o.apiVersion) === k.group && o.kind === k.kind);
      return m ? [{ apiVersion: m.apiVersion, kind: k.kind, name: k.name, ...(k.namespace ? { namespace: k.namespace } : {}) }] : [];
    });
  }
  /** The previous inventory minus what was pruned, plus what was applied (as `syncManifests` computes it at the end). */
  entries(manifests: KubeObject[], namespace: string | undefined, previous: InventoryEntry[]): InventoryEntry[] {
    const withNs = manifests.map(namespaceDefaulter(manifests, namespace));
    const applied: InventoryEntry[] = [];
    for (const id of this.applied) {
      const k = parseKey(id);
      // The runner may drop metadata.namespace from cluster-scoped objects: match those by group/kind/name.
      const m = withNs.find((o) => {
        const ok = keyOf(o);
        return ok.group === k.group && ok.kind === k.kind && ok.name === k.name && (ok.namespace === k.namespace || k.namespace === '');
      });
      if (!m) continue;
      const entry = toEntry(m);
      if (k.namespace) entry.namespace = k.namespace;
      else delete entry.namespace;
      applied.push(entry);
    }
    const survivors = previous.filter((e) => !this.pruned.has(entryId(e)));
    return mergeEntries(survivors, applied);
  }
}

/** The inventory ConfigMap must have a namespace to live in: existing, or created by this sync. */
async function inventoryNamespaceMissing(s: Session): Promise<boolean> {
  if (s.previous) return false;
  const ns = s.inventoryNamespace;
  if (s.manifests.some((m) => m.kind === 'Namespace' && groupOf(m.apiVersion) === '' && m.metadata?.name === ns)) return false;
  return !(await s.client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }));
}

async function record(s: Session, entries: InventoryEntry[], status: InventoryStatus, operationId?: string, message?: string): Promise<string | undefined> {
  try {
    await writeInventory(s.client, { app: s.app.name, namespace: s.inventoryNamespace, entries, status, operationId, message });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function syncJson(s: Session, status: string, result: SyncResult, entries: InventoryEntry[], written: boolean, error?: SyncFailedError): string {
  return JSON.stringify(
    {
      operation: 'sync',
      status,
      app: s.app.name,
      cluster: s.target.description,
      inventory: { configMap: `${s.inventoryNamespace}/${inventoryConfigMapName(s.app.name)}`, written, entries },
      operationId: result.operationId,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      applied: keys(result.applied),
      pruned: keys(result.pruned),
      hooks: result.hooks,
      warnings: result.warnings,
      ...(error ? { error: errorJson(error) } : {}),
    },
    null,
    2,
  );
}

/** What happened to the inventory, for the summary line. */
function inventoryText(s: Session, entries: InventoryEntry[], written: boolean, writeError?: string): string {
  const inv = describeInventory(s.app.name, s.inventoryNamespace);
  if (writeError) return `inventory ${inv} NOT written: ${writeError}`;
  return written ? `inventory ${inv} (${plural(entries.length, 'object')})` : 'no inventory written (nothing was applied)';
}

function summary(status: string, result: SyncResult, ms: number, invText: string): string {
  return [
    '',
    hookTable(result.hooks),
    '',
    `sync ${status} in ${formatMs(ms)}: ${plural(result.applied.length, 'object')} applied, ${result.pruned.length} pruned, ${plural(result.hooks.length, 'hook')}; ${invText}`,
  ].join('\n');
}

/** Releases the finalizers of the hooks started, again for hooks the engine creates meanwhile. */
async function releaseHookFinalizers(s: Session, progress: Progress): Promise<void> {
  const done = new Set<string>();
  for (;;) {
    const todo = progress.hookRefs(s.manifests).filter((r) => !done.has(`${r.kind}/${r.namespace}/${r.name}`));
    if (!todo.length) return;
    for (const r of todo) done.add(`${r.kind}/${r.namespace}/${r.name}`);
    await Promise.all(todo.map((r) => s.client.patchFinalizers(r, { remove: [HOOK_FINALIZER] }).catch(() => undefined)));
  }
}

/**
 * The second Ctrl-C: record what was applied so far (status Interrupted) and release the hook
 * finalizers of the hooks started (they would block the deletion of their namespace; the hooks
 * themselves keep running), within FORCED_WRITE_MS; then exit 130.
 */
async function forcedExit(s: Session, progress: Progress, previous: InventoryEntry[]): Promise<void> {
  s.io.err('[sync-hooks] exiting now; recording what was applied so far in the inventory');
  const write = record(s, progress.entries(s.manifests, s.namespace, previous), 'Interrupted', undefined, 'exited by a second Ctrl-C during the sync');
  const release = releaseHookFinalizers(s, progress);
  const timeout = new Promise<string>((r) => setTimeout(() => r('timed out'), FORCED_WRITE_MS).unref());
  const err = await Promise.race([Promise.all([write, release]).then(([e]) => e), timeout]);
  if (err) s.io.err(`sync-hooks: could not write the inventory: ${err}`);
  (s.deps.exit ?? process.exit)(EXIT_CANCELLED);
}

async function runSync(s: Session, prune: boolean, policy: { createNamespace: boolean; retry?: OperationRetry }): Promise<number> {
  const { io, deps } = s;
  if (await inventoryNamespaceMissing(s)) {
    io.err(`sync-hooks: the inventory namespace "${s.inventoryNamespace}" does not exist; create it or choose another with --inventory-namespace (nothing was written)`);
    return EXIT_BAD_INPUT;
  }
  const previous = s.previous?.entries ?? [];
  const progress = new Progress();
  const interrupts = handleInterrupts({
    source: deps.signalSource,
    onCancel: (sig) => io.err(`[sync-hooks] ${sig}: cancelling (running hooks are terminated, then SyncFail runs); press Ctrl-C again to exit now`),
    onForce: () => {
      void forcedExit(s, progress, previous);
    },
  });
  const base = engineOptions(s, interrupts.signal);
  const started = Date.now();
  try {
    const { result, inventory } = await syncManifests(s.client, {
      manifests: s.manifests,
      previous,
      namespace: s.namespace,
      prune,
      record: recordOptions(s),
      createNamespace: policy.createNamespace,
      engine: {
        ...base,
        ...(policy.retry ? { retry: policy.retry } : {}),
        onEvent: (e) => {
          progress.see(e);
          base.onEvent?.(e);
        },
      },
    });
    const writeError = await record(s, inventory, 'Succeeded', result.operationId);
    const invText = inventoryText(s, inventory, !writeError, writeError);
    io.out(s.json ? syncJson(s, 'Succeeded', result, inventory, !writeError) : summary('succeeded', result, Date.now() - started, invText));
    if (!writeError) return EXIT_OK;
    io.err(`sync-hooks: the sync succeeded but the inventory could not be written (${writeError}); the next sync cannot prune what this one applied`);
    return EXIT_FAILED;
  } catch (e) {
    const bad = reportBadInput(e, 'sync', io, s.json);
    if (bad !== undefined) return bad;
    if (!(e instanceof SyncFailedError)) throw e;
    const cancelled = e instanceof SyncCancelledError;
    const status = cancelled ? 'Cancelled' : 'Failed';
    const entries = (e as SyncFailedError & { inventory?: InventoryEntry[] }).inventory ?? previous;
    // Nothing applied and no inventory before: nothing to remember, leave the cluster untouched.
    const writeError = entries.length || s.previous ? await record(s, entries, status, e.result.operationId, e.message) : undefined;
    const written = !writeError && (entries.length > 0 || !!s.previous);
    const invText = inventoryText(s, entries, written, writeError);
    io.out(s.json ? syncJson(s, status, e.result, entries, written, e) : summary(cancelled ? 'CANCELLED' : 'FAILED', e.result, Date.now() - started, invText));
    io.err(`sync-hooks: ${e.message}`);
    return cancelled ? EXIT_CANCELLED : EXIT_FAILED;
  } finally {
    interrupts.dispose();
  }
}

export { SYNC_FLAGS };

export async function syncCommand(args: ParsedArgs, io: CliIO, deps: EngineCmdDeps = {}): Promise<number> {
  // Bad retry flags are usage errors before the cluster is contacted.
  const policy = { createNamespace: createNamespaceFlag(args), retry: retryFlags(args) };
  const s = await openSession('sync', args, io, deps, SYNC_FLAGS);
  if (typeof s === 'number') return s;
  try {
    return await runSync(s, !bool(args, 'no-prune'), policy);
  } finally {
    writeTimeline(s);
    const retried = describeRetries(s.client.requestStats?.());
    if (retried) s.io.err(`[sync-hooks] ${retried}`);
    s.client.close?.();
  }
}
