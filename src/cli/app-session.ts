/**
 * What `status`, `history` and `timeline` share: `--name` (required), the namespace of the
 * application's record, the cluster (said on stderr) and the client. Bad flags are usage errors
 * before any cluster is contacted.
 */
import { createKubeClient, KubeClient } from '../engine';
import { DEFAULT_INVENTORY_NAMESPACE, isValidAppName } from '../runner/inventory-store';
import { ParsedArgs, UsageError } from './args';
import { APP_FLAGS } from './flag-lists';
import { definesContext, kubeconfigFiles } from './namespace';
import { appName, checkFlags, stringFlag } from './options';
import { CliIO } from './report';
import type { EngineCmdDeps } from './session';
import { ClusterTarget, resolveCluster } from './target';

export { APP_FLAGS };

export interface AppSession {
  app: string;
  /** Namespace of the inventory, record, lock and history. */
  namespace: string;
  target: ClusterTarget;
  client: KubeClient;
}

/** Checks the flags; `before` runs after that, before the cluster is contacted (more flag checks). */
export async function openAppSession(cmd: string, args: ParsedArgs, io: CliIO, deps: EngineCmdDeps, extraFlags: readonly string[], before?: () => void): Promise<AppSession> {
  checkFlags(cmd, args, [...APP_FLAGS, ...extraFlags]);
  if (!args.flags.has('name')) throw new UsageError(`${cmd}: give the application with --name <app>`);
  const app = appName(args, []).name;
  const namespace = stringFlag(args, 'inventory-namespace') ?? DEFAULT_INVENTORY_NAMESPACE;
  if (!isValidAppName(namespace)) throw new UsageError(`--inventory-namespace "${namespace}" is not a valid namespace name`);
  before?.();
  const context = stringFlag(args, 'context');
  const resolved = await (deps.resolveCluster ?? resolveCluster)(stringFlag(args, 'kubeconfig'));
  const target: ClusterTarget = context === undefined ? resolved : { ...resolved, context, description: `${resolved.description}, with --context ${context}` };
  if (context !== undefined && definesContext(kubeconfigFiles(target), context) === false) {
    throw new UsageError(`--context ${context}: kubeconfig has no context "${context}"`);
  }
  io.err(`[sync-hooks] ${target.description}`);
  let client: KubeClient;
  try {
    client = (deps.createClient ?? ((t: ClusterTarget) => createKubeClient(t.kubeconfig, t.context)))(target);
  } catch (e) {
    if (context !== undefined && /context/.test((e as Error).message)) throw new UsageError(`--context ${context}: ${(e as Error).message}`);
    throw e;
  }
  return { app, namespace, target, client };
}

/** The error when an application has nothing recorded in the cluster. */
export function noRecordMessage(s: AppSession, what: string): string {
  return `no ${what} of application "${s.app}" in namespace "${s.namespace}" (looked for Secret ${s.namespace}/sync-hooks-history-${s.app}); check --name and --inventory-namespace, and that the app was synced with sync-hooks on this cluster`;
}
