/**
 * Resource sync options (`argocd.argoproj.io/sync-options`, spec §5.1): what each means for a
 * one-shot sync, as Argo CD defines it (gitops-engine `pkg/sync/common/types.go` option names,
 * `pkg/sync/sync_context.go` `applyObject`/`processCreateTasks`/`getSyncTasks`). Options the engine
 * does not implement are reported by the planner with the reason — never ignored silently.
 */
import { ANNOTATION_SYNC_OPTIONS } from './annotations';
import { parseSyncOptions } from './parse';
import { KubeObject } from './resource';

/** How the engine writes one object. */
export interface WriteOptions {
  /** `Replace=true`: create, or replace (PUT) the live object; CRDs and Namespaces are updated, never re-created. */
  replace: boolean;
  /** `Force=true`: with Replace, delete and re-create; with apply, re-create when the server refuses the change (422). */
  force: boolean;
  /** `Validate=false`: the API server ignores unknown fields (`fieldValidation=Ignore`, kubectl `--validate=false`). */
  validate: boolean;
  /** `SkipDryRunOnMissingResource=true`: a kind the cluster does not serve (yet) is not a validation error; no dry run. */
  skipDryRunOnMissingResource: boolean;
}

export function writeOptionsOf(obj: KubeObject): WriteOptions {
  const o = parseSyncOptions(obj.metadata?.annotations?.[ANNOTATION_SYNC_OPTIONS]);
  return {
    replace: o['Replace'] === 'true',
    force: o['Force'] === 'true',
    validate: o['Validate'] !== 'false',
    skipDryRunOnMissingResource: o['SkipDryRunOnMissingResource'] === 'true',
  };
}

/** Options honoured per resource (values as Argo CD spells them). */
export const HONOURED_SYNC_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  Prune: ['false'],
  Delete: ['false'],
  PruneLast: ['true'],
  Replace: ['true'],
  Force: ['true'],
  Validate: ['false'],
  SkipDryRunOnMissingResource: ['true'],
  ServerSideApply: ['true'],
};

/** Options known to Argo CD that the engine does not implement, with the reason given in the plan. */
export const IGNORED_SYNC_OPTIONS: Readonly<Record<string, string>> = {
  'ServerSideApply=false':
    'ignored: the engine always applies server-side (field manager sync-hooks, conflicts forced); there is no client-side apply',
  'ApplyOutOfSyncOnly=true':
    'ignored: an Application-level option in Argo CD; sync-hooks does not diff, it applies every object (server-side apply leaves unchanged objects unchanged)',
  'RespectIgnoreDifferences=true':
    'ignored: an Application-level option in Argo CD; sync-hooks has no ignoreDifferences configuration, every object is applied as written',
  'CreateNamespace=true':
    'ignored as a resource annotation (an Application-level option in Argo CD); use --create-namespace (CLI) or createNamespace (SyncedChart)',
  'PrunePropagationPolicy=':
    'ignored: an Application-level option in Argo CD; the engine prunes and deletes with Foreground propagation',
  'FailOnSharedResource=true': 'ignored: an Application-level option in Argo CD; sync-hooks does not track other applications',
  'Prune=confirm': 'ignored: a one-shot sync cannot wait for a confirmation; the object is pruned (set Prune=false to keep it)',
  'Delete=confirm': 'ignored: a one-shot teardown cannot wait for a confirmation; the object is deleted (set Delete=false to keep it)',
};

/** One message per sync option on `obj` that the engine does not honour (unknown ones included). */
export function syncOptionNotes(obj: KubeObject): string[] {
  const raw = obj.metadata?.annotations?.[ANNOTATION_SYNC_OPTIONS];
  const notes: string[] = [];
  for (const [k, v] of Object.entries(parseSyncOptions(raw))) {
    if (HONOURED_SYNC_OPTIONS[k]?.includes(v)) continue;
    const reason = IGNORED_SYNC_OPTIONS[`${k}=${v}`] ?? IGNORED_SYNC_OPTIONS[`${k}=`];
    notes.push(`sync option ${k}=${v}: ${reason ?? `ignored: not a sync option sync-hooks knows (honoured: ${Object.keys(HONOURED_SYNC_OPTIONS).join(', ')})`}`);
  }
  return notes;
}
