/**
 * What `sync` and `delete` share before the engine runs: flags, manifests (bad input stops here,
 * before any cluster is contacted), the cluster (said on stderr), the client, and the inventory.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createKubeClient, EngineEvent, formatEvent, KubeClient, SyncOptions } from '../engine';
import { KubeObject } from '../model';
import {
  DEFAULT_INVENTORY_NAMESPACE,
  describeInventory,
  InventoryError,
  isValidAppName,
  readInventory,
  StoredInventory,
} from '../runner/inventory-store';
import type { AppRecordOptions } from '../runner/record';
import { bool, ParsedArgs, UsageError } from './args';
import { COMMON_FLAGS } from './flag-lists';
import { EXIT_FAILED, loadInput, reportBadInput } from './input';
import { AppName, appName, checkFlags, durationFlag, files, jsonFlag, stringFlag } from './options';
import { CliIO, plural } from './report';
import { DefaultNamespace, definesContext, describeDefaultNamespace, kubeconfigFiles, resolveDefaultNamespace, usesDefaultNamespace } from './namespace';
import { ClusterTarget, resolveCluster } from './target';

/** Seams for tests: a fake cluster, fake signals, no process.exit. */
export interface EngineCmdDeps {
  resolveCluster?: (kubeconfigFlag: string | undefined) => Promise<ClusterTarget>;
  createClient?: (target: ClusterTarget) => KubeClient;
  /** Extra engine options (e.g. shorter poll intervals in tests); sync-only ones are ignored by delete. */
  engine?: Partial<SyncOptions>;
  signalSource?: NodeJS.EventEmitter;
  /** Called after the second Ctrl-C (default process.exit). */
  exit?: (code: number) => void;
}

export interface Session {
  operation: 'sync' | 'teardown';
  io: CliIO;
  json: boolean;
  paths: string[];
  /** `--namespace`, else the kubeconfig context's namespace, else `default` (as kubectl). */
  namespace: string;
  defaultNamespace: DefaultNamespace;
  app: AppName;
  inventoryNamespace: string;
  manifests: KubeObject[];
  target: ClusterTarget;
  client: KubeClient;
  previous?: StoredInventory;
  timeoutMs?: number;
  hookTimeoutMs?: number;
  /** `--restart`: start over instead of continuing an interrupted operation. */
  restart: boolean;
  /** `--lock-ttl`: a lock not renewed for this long is taken over. */
  lockTtlMs?: number;
  /** `--history-limit`: operations kept in the history Secret. */
  historyLimit?: number;
  /** `--timeline FILE.html`: the operation's events, drawn into that file when it ends. */
  timeline?: { file: string; events: EngineEvent[] };
  deps: EngineCmdDeps;
}

export { COMMON_FLAGS };

/** `--timeline FILE`: its directory must exist (checked before the cluster is touched). */
function timelineFlag(args: ParsedArgs): Session['timeline'] {
  const given = stringFlag(args, 'timeline');
  if (given === undefined) return undefined;
  const file = path.resolve(given);
  if (!existsSync(path.dirname(file))) throw new UsageError(`--timeline: directory ${path.dirname(file)} does not exist`);
  return { file, events: [] };
}

/** `--history-limit N`: a whole number, 0 or more. */
function historyLimitFlag(args: ParsedArgs): number | undefined {
  const v = stringFlag(args, 'history-limit');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`--history-limit: must be a whole number, 0 or more (got "${v}")`);
  return n;
}

/** Writes the `--timeline` page (after the operation, whatever its outcome). */
export function writeTimeline(s: Session): void {
  if (!s.timeline || s.timeline.events.length === 0) return;
  const { writeTimelineFile } = require('../timeline') as typeof import('../timeline'); // only with --timeline
  const error = writeTimelineFile(s.timeline.file, s.timeline.events, s.app.name);
  s.io.err(error ? `sync-hooks: ${error}` : `[sync-hooks] timeline: ${s.timeline.file}`);
}

function describePrevious(s: Session): string {
  const where = describeInventory(s.app.name, s.inventoryNamespace);
  if (!s.previous) return `inventory ${where}: none yet`;
  const last = s.previous.lastSyncStatus ? `, last sync ${s.previous.lastSyncStatus}${s.previous.lastSyncTime ? ` at ${s.previous.lastSyncTime}` : ''}` : '';
  return `inventory ${where}: ${plural(s.previous.entries.length, 'object')}${last}`;
}

/**
 * Parses flags, loads the manifests, connects, reads the inventory. Returns an exit code when it
 * cannot go on (bad input: 2; unreadable inventory: 1); throws UsageError for bad flags.
 */
export async function openSession(
  cmd: 'sync' | 'delete',
  args: ParsedArgs,
  io: CliIO,
  deps: EngineCmdDeps,
  extraFlags: readonly string[] = [],
): Promise<Session | number> {
  checkFlags(cmd, args, [...COMMON_FLAGS, ...extraFlags]);
  const operation = cmd === 'sync' ? 'sync' : 'teardown';
  const paths = files(cmd, args, cmd === 'delete' && args.flags.has('name'));
  const namespaceFlag = stringFlag(args, 'namespace');
  const app = appName(args, paths);
  const inventoryNamespace = stringFlag(args, 'inventory-namespace') ?? DEFAULT_INVENTORY_NAMESPACE;
  if (!isValidAppName(inventoryNamespace)) throw new UsageError(`--inventory-namespace "${inventoryNamespace}" is not a valid namespace name`);
  const timeoutMs = durationFlag(args, 'timeout');
  const hookTimeoutMs = durationFlag(args, 'hook-timeout');
  const json = jsonFlag(args);
  const restart = bool(args, 'restart');
  const lockTtlMs = durationFlag(args, 'lock-ttl');
  const timeline = timelineFlag(args);
  const historyLimit = historyLimitFlag(args);
  let manifests: KubeObject[];
  try {
    manifests = loadInput(paths, namespaceFlag);
  } catch (e) {
    const code = reportBadInput(e, operation, io, json);
    if (code !== undefined) return code;
    throw e;
  }
  const context = stringFlag(args, 'context');
  const resolved = await (deps.resolveCluster ?? resolveCluster)(stringFlag(args, 'kubeconfig'));
  const target: ClusterTarget = context === undefined ? resolved : { ...resolved, context, description: `${resolved.description}, with --context ${context}` };
  if (context !== undefined && definesContext(kubeconfigFiles(target), context) === false) {
    throw new UsageError(`--context ${context}: kubeconfig has no context "${context}"`);
  }
  io.err(`[sync-hooks] ${target.description}`);
  const defaultNamespace = resolveDefaultNamespace(namespaceFlag, target);
  const namespace = defaultNamespace.name;
  if (!namespaceFlag && usesDefaultNamespace(manifests)) io.err(`[sync-hooks] ${describeDefaultNamespace(defaultNamespace)}`);
  let client: KubeClient;
  try {
    client = (deps.createClient ?? ((t: ClusterTarget) => createKubeClient(t.kubeconfig, t.context)))(target);
  } catch (e) {
    if (context !== undefined && /context/.test((e as Error).message)) throw new UsageError(`--context ${context}: ${(e as Error).message}`);
    throw e;
  }
  const session: Session = { operation, io, json, paths, namespace, defaultNamespace, app, inventoryNamespace, manifests, target, client, timeoutMs, hookTimeoutMs, restart, lockTtlMs, historyLimit, timeline, deps };
  try {
    session.previous = await readInventory(client, app.name, inventoryNamespace);
  } catch (e) {
    client.close?.();
    if (!(e instanceof InventoryError)) throw e;
    io.err(`sync-hooks: ${e.message}`);
    return EXIT_FAILED;
  }
  io.err(`[sync-hooks] ${describePrevious(session)} (application ${app.name}, from ${app.from})`);
  return session;
}

/** The application's operation record and lock (in the inventory namespace). */
export function recordOptions(s: Session): AppRecordOptions {
  return {
    app: s.app.name,
    namespace: s.inventoryNamespace,
    restart: s.restart,
    ...(s.lockTtlMs !== undefined ? { lockTtlMs: s.lockTtlMs } : {}),
    ...(s.historyLimit !== undefined ? { historyLimit: s.historyLimit } : {}),
    log: (line) => s.io.err(`[sync-hooks] ${line}`),
  };
}

/** Engine options common to both operations: live progress, timeouts, cancellation. */
export function engineOptions(s: Session, signal: AbortSignal): SyncOptions {
  const progress = s.json ? s.io.err : s.io.out;
  return {
    ...s.deps.engine,
    onEvent: (e) => {
      s.timeline?.events.push(e);
      progress(formatEvent(e));
      s.deps.engine?.onEvent?.(e);
    },
    signal,
    ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
    ...(s.hookTimeoutMs !== undefined ? { hookTimeoutMs: s.hookTimeoutMs } : {}),
  };
}
