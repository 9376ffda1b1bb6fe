/**
 * Pure: splits a set of hook manifests into the two engine runs that `HookPhases` places around
 * resources managed by `@pulumi/kubernetes`.
 *
 * Pulumi creates in dependency order and deletes in reverse dependency order. A node that the
 * wrapped resources depend on ("before") is therefore created/updated before them and deleted after
 * them; a node that depends on them ("after") is created/updated after them and deleted before them.
 * So, by construction:
 *
 * | node   | on create/update (sync) | on delete (teardown)            |
 * |--------|-------------------------|---------------------------------|
 * | before | PreSync                 | PostDelete (wrapped are gone)   |
 * | after  | PostSync (wrapped ready)| PreDelete (wrapped still exist) |
 *
 * SyncFail hooks go into both nodes (each node's engine run starts them when its own phase fails)
 * and into `syncFail` (started in the program when a wrapped resource fails: see syncfail.ts).
 */
import { ANNOTATION_HOOK, HookPhase, KubeObject, describe, keyOf, parseHookInfo } from '../model';

export type NodeName = 'before' | 'after';

/** The hook phases each node runs (SyncFail aside). */
export const NODE_PHASES: Record<NodeName, readonly HookPhase[]> = {
  before: ['PreSync', 'PostDelete'],
  after: ['PostSync', 'PreDelete'],
};

export interface SplitHooks {
  /** PreSync + PostDelete (+ SyncFail) hooks, annotated for the before node only. */
  before: KubeObject[];
  /** PostSync + PreDelete (+ SyncFail) hooks, annotated for the after node only. */
  after: KubeObject[];
  /** SyncFail hooks, annotated `SyncFail` only. */
  syncFail: KubeObject[];
  /** Objects never applied (Argo `Skip`, Helm hooks Argo CD does not support, e.g. `test`). */
  skipped: Array<{ object: string; reason: string }>;
}

/** Every problem of the hook set, in one error, before anything is registered. */
export class InteropHookError extends Error {
  override name = 'InteropHookError';
  constructor(readonly problems: string[]) {
    super(`the hooks given to HookPhases cannot be placed around Pulumi-managed resources:\n  - ${problems.join('\n  - ')}`);
  }
}

function label(obj: KubeObject): string {
  try {
    return describe(keyOf(obj));
  } catch {
    return `${obj?.kind ?? '?'} ${obj?.metadata?.name ?? obj?.metadata?.generateName ?? '?'}`;
  }
}

/** A copy of `obj` whose Argo CD hook annotation lists exactly `phases` (wins over Helm's, per object). */
export function withPhases(obj: KubeObject, phases: readonly HookPhase[]): KubeObject {
  const copy = JSON.parse(JSON.stringify(obj)) as KubeObject;
  copy.metadata = copy.metadata ?? ({} as KubeObject['metadata']);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [ANNOTATION_HOOK]: phases.join(',') };
  return copy;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Splits `manifests` (Argo CD or Helm hook annotations) into the before and after nodes. Throws
 * InteropHookError listing every object that cannot be placed: managed (non-hook) objects, which
 * belong to `@pulumi/kubernetes` or a SyncedChart, `Sync` hooks, which run between the waves of
 * managed objects that Pulumi, not the engine, applies here, and annotation errors.
 */
export function splitHooks(manifests: readonly KubeObject[]): SplitHooks {
  const out: SplitHooks = { before: [], after: [], syncFail: [], skipped: [] };
  const problems: string[] = [];
  for (const obj of manifests) {
    if (obj === null || obj === undefined) continue;
    const info = parseHookInfo(obj);
    const what = label(obj);
    for (const p of info.problems) problems.push(`${what}: ${p.field}: ${p.message}`);
    if (info.skip || info.ignored) {
      out.skipped.push({ object: what, reason: info.ignoreReason ?? 'never applied' });
      continue;
    }
    if (!info.isHook) {
      problems.push(
        `${what} is not a hook (no argocd.argoproj.io/hook or helm.sh/hook annotation): manage it with @pulumi/kubernetes inside the wrapped resources, or with a SyncedChart`,
      );
      continue;
    }
    if (info.phases.includes('Sync')) {
      problems.push(
        `${what} is a Sync hook: Sync hooks run between the waves of managed objects, which Pulumi applies here, not the engine; make it PreSync or PostSync, or use a SyncedChart`,
      );
      continue;
    }
    const hasSyncFail = info.phases.includes('SyncFail');
    for (const node of ['before', 'after'] as const) {
      const phases = info.phases.filter((p) => NODE_PHASES[node].includes(p) || p === 'SyncFail');
      if (phases.length === 0) continue;
      const unchanged = info.source === 'argocd' && sameList(phases, info.phases);
      out[node].push(unchanged ? obj : withPhases(obj, phases));
    }
    if (hasSyncFail) out.syncFail.push(info.source === 'argocd' && info.phases.length === 1 ? obj : withPhases(obj, ['SyncFail']));
  }
  if (problems.length) throw new InteropHookError(problems);
  return out;
}
