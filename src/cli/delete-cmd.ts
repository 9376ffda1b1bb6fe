/**
 * `sync-hooks delete -f ... [--name app] [--namespace ns] [--timeout 30m] [--hook-timeout 10m]
 * [--kubeconfig file] [--inventory-namespace ns] [--json]`: PreDelete → delete (reverse waves) →
 * PostDelete for the manifests plus everything the inventory lists; the inventory ConfigMap is
 * removed once the teardown succeeded. With `--name` and no `-f`, the inventory alone is torn down.
 */
import { describeRecord, describeRetries, recordRef, TeardownFailedError, TeardownResult } from '../engine';
import { teardownManifests } from '../runner';
import { deleteInventory, describeInventory, inventoryConfigMapName } from '../runner/inventory-store';
import { ParsedArgs } from './args';
import { DELETE_FLAGS } from './flag-lists';
import { EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, reportBadInput } from './input';
import { handleInterrupts } from './interrupt';
import { CliIO, errorJson, formatMs, hookTable, keys, plural } from './report';
import { EngineCmdDeps, engineOptions, openSession, recordOptions, Session, writeTimeline } from './session';

function deleteJson(s: Session, status: string, result: TeardownResult, inventoryRemoved: boolean, error?: TeardownFailedError): string {
  return JSON.stringify(
    {
      operation: 'teardown',
      status,
      app: s.app.name,
      cluster: s.target.description,
      inventory: { configMap: `${s.inventoryNamespace}/${inventoryConfigMapName(s.app.name)}`, removed: inventoryRemoved },
      operationId: result.operationId,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      deleted: keys(result.deleted),
      hooks: result.hooks,
      warnings: result.warnings,
      ...(error ? { error: errorJson(error) } : {}),
    },
    null,
    2,
  );
}

function summary(status: string, result: TeardownResult, ms: number, invText: string): string {
  return ['', hookTable(result.hooks), '', `delete ${status} in ${formatMs(ms)}: ${plural(result.deleted.length, 'object')} deleted, ${plural(result.hooks.length, 'hook')}; ${invText}`].join('\n');
}

async function runDelete(s: Session): Promise<number> {
  const { io, deps } = s;
  const inv = describeInventory(s.app.name, s.inventoryNamespace);
  const record = s.previous ? undefined : await s.client.get(recordRef(s.app.name, s.inventoryNamespace));
  if (!s.previous && !s.manifests.length && !record) {
    io.err(`sync-hooks: nothing is known about application "${s.app.name}": no -f manifests, no inventory ${inv} and no operation record ${describeRecord(s.app.name, s.inventoryNamespace)}`);
    return EXIT_FAILED;
  }
  if (!s.previous) io.err(`[sync-hooks] no inventory: deleting what the manifests name${record ? ' and what the operation record lists as written' : ''}`);
  const interrupts = handleInterrupts({
    source: deps.signalSource,
    onCancel: (sig) => io.err(`[sync-hooks] ${sig}: cancelling the delete (running hooks are terminated); press Ctrl-C again to exit now`),
    // The inventory still lists everything: a re-run of delete carries on.
    onForce: () => (deps.exit ?? process.exit)(EXIT_CANCELLED),
  });
  const started = Date.now();
  try {
    const result = await teardownManifests(s.client, {
      manifests: s.manifests,
      inventory: s.previous?.entries ?? [],
      namespace: s.namespace,
      record: recordOptions(s),
      engine: engineOptions(s, interrupts.signal),
    });
    let removeError: string | undefined;
    let removed = false;
    try {
      // Gone already when it lived in a namespace the teardown deleted.
      removed = (await deleteInventory(s.client, s.app.name, s.inventoryNamespace)) || !!s.previous;
    } catch (e) {
      removeError = (e as Error).message;
    }
    const invText = removeError ? `inventory ${inv} NOT removed: ${removeError}` : removed ? `inventory ${inv} removed` : 'there was no inventory';
    io.out(s.json ? deleteJson(s, 'Succeeded', result, removed) : summary('succeeded', result, Date.now() - started, invText));
    if (!removeError) return EXIT_OK;
    io.err(`sync-hooks: the delete succeeded but the inventory could not be removed (${removeError})`);
    return EXIT_FAILED;
  } catch (e) {
    const bad = reportBadInput(e, 'teardown', io, s.json);
    if (bad !== undefined) return bad;
    if (!(e instanceof TeardownFailedError)) throw e;
    const cancelled = e.reason === 'Cancelled' && interrupts.signal.aborted;
    const invText = s.previous ? `inventory ${inv} kept (run delete again to retry)` : 'no inventory';
    io.out(s.json ? deleteJson(s, cancelled ? 'Cancelled' : 'Failed', e.result, false, e) : summary(cancelled ? 'CANCELLED' : 'FAILED', e.result, Date.now() - started, invText));
    io.err(`sync-hooks: ${e.message}`);
    return cancelled ? EXIT_CANCELLED : EXIT_FAILED;
  } finally {
    interrupts.dispose();
  }
}

export { DELETE_FLAGS };

export async function deleteCommand(args: ParsedArgs, io: CliIO, deps: EngineCmdDeps = {}): Promise<number> {
  const s = await openSession('delete', args, io, deps, DELETE_FLAGS);
  if (typeof s === 'number') return s;
  try {
    return await runDelete(s);
  } finally {
    writeTimeline(s);
    const retried = describeRetries(s.client.requestStats?.());
    if (retried) s.io.err(`[sync-hooks] ${retried}`);
    s.client.close?.();
  }
}
