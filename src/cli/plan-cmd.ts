/**
 * `sync-hooks plan -f <file|dir> [-f ...] [--teardown] [--namespace ns] [--json]`: the phase/wave
 * plan of a sync (or, with --teardown, of a delete), computed from the manifests alone. No cluster
 * is contacted, so the previous inventory is not read and no prunes appear.
 */
import { KubeObject, PlanStep, PlanTask, ResourceKey, SyncPlan, TeardownPlan } from '../model';
import { formatPlan, formatTeardownPlan, planSync, planTeardown } from '../plan';
import { bool, ParsedArgs } from './args';
import { PLAN_FLAGS } from './flag-lists';
import { EXIT_OK, loadInput, reportBadInput } from './input';
import { checkFlags, files, jsonFlag, stringFlag } from './options';
import { describeDefaultNamespace, resolveDefaultNamespace, usesDefaultNamespace } from './namespace';
import { CliIO, plural } from './report';

export { PLAN_FLAGS };

function keyJson(k: ResourceKey, apiVersion?: string): Record<string, string> {
  return { ...(apiVersion ? { apiVersion } : {}), kind: k.kind, ...(k.namespace ? { namespace: k.namespace } : {}), name: k.name };
}

function taskJson(t: PlanTask): Record<string, unknown> {
  return {
    action: t.action,
    ...keyJson(t.key, t.object.apiVersion),
    ...(t.generateName ? { generateName: t.generateName } : {}),
    hook: t.isHook,
    ...(t.isHook ? { deletePolicies: t.deletePolicies } : {}),
  };
}

const stepJson = (s: PlanStep) => ({ phase: s.phase, wave: s.wave, tasks: s.tasks.map(taskJson) });

const objectJson = (o: KubeObject) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
  name: o.metadata?.name ?? '',
});

export function syncPlanJson(plan: SyncPlan): Record<string, unknown> {
  return {
    operation: 'sync',
    steps: plan.steps.map(stepJson),
    syncFail: plan.syncFail.map(taskJson),
    warnings: plan.warnings.map((w) => w.message),
  };
}

export function teardownPlanJson(plan: TeardownPlan): Record<string, unknown> {
  return {
    operation: 'teardown',
    preDelete: plan.preDelete.map(stepJson),
    deleteWaves: plan.deleteWaves.map((w) => ({ wave: w.wave, objects: w.objects.map(objectJson) })),
    postDelete: plan.postDelete.map(stepJson),
    kept: plan.kept.map((k) => ({ ...keyJson(k.key), reason: k.reason })),
    warnings: plan.warnings.map((w) => w.message),
  };
}

/** `Sync plan: 3 steps; 1 object and 2 hooks to apply, 1 to prune; 1 SyncFail hook (runs only if the sync fails).` */
export function syncPlanSummary(plan: SyncPlan): string {
  const tasks = plan.steps.flatMap((s) => s.tasks);
  const applies = tasks.filter((t) => t.action === 'apply');
  const hooks = applies.filter((t) => t.isHook).length;
  const prunes = tasks.length - applies.length;
  const parts = [
    plural(plan.steps.length, 'step'),
    `${plural(applies.length - hooks, 'object')} and ${plural(hooks, 'hook')} to apply${prunes ? `, ${prunes} to prune` : ''}`,
  ];
  const sf = plan.syncFail.length ? `; ${plural(plan.syncFail.length, 'SyncFail hook')} (runs only if the sync fails)` : '';
  return `Sync plan: ${parts.join('; ')}${sf}.`;
}

/** `Teardown plan: 1 PreDelete hook; 2 objects to delete in 2 waves; 1 PostDelete hook; 1 kept.` */
export function teardownPlanSummary(plan: TeardownPlan): string {
  const count = (steps: PlanStep[]) => steps.reduce((n, s) => n + s.tasks.length, 0);
  const deletes = plan.deleteWaves.reduce((n, w) => n + w.objects.length, 0);
  const parts = [
    plural(count(plan.preDelete), 'PreDelete hook'),
    `${plural(deletes, 'object')} to delete in ${plural(plan.deleteWaves.length, 'wave')}`,
    plural(count(plan.postDelete), 'PostDelete hook'),
    ...(plan.kept.length ? [`${plan.kept.length} kept`] : []),
  ];
  return `Teardown plan: ${parts.join('; ')}.`;
}

export async function planCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  checkFlags('plan', args, PLAN_FLAGS);
  const paths = files('plan', args);
  const namespace = stringFlag(args, 'namespace');
  const json = jsonFlag(args);
  const teardown = bool(args, 'teardown');
  let manifests: KubeObject[];
  try {
    manifests = loadInput(paths, namespace);
  } catch (e) {
    const code = reportBadInput(e, teardown ? 'teardown' : 'sync', io, json);
    if (code !== undefined) return code;
    throw e;
  }
  // Without --namespace: what sync/delete will use, as kubectl (the $KUBECONFIG context's namespace, else default).
  const ns = resolveDefaultNamespace(namespace, process.env.KUBECONFIG ? { source: 'env', description: '' } : undefined);
  const used = usesDefaultNamespace(manifests);
  const nsJson = used ? { namespace: { name: ns.name, source: ns.source } } : {};
  const nsLine = used ? `${describeDefaultNamespace(ns)}\n` : '';
  if (teardown) {
    const plan = planTeardown(manifests, { defaultNamespace: ns.name });
    io.out(json ? JSON.stringify({ ...teardownPlanJson(plan), ...nsJson }, null, 2) : `${teardownPlanSummary(plan)}\n${nsLine}\n${formatTeardownPlan(plan)}`);
  } else {
    const plan = planSync(manifests, { defaultNamespace: ns.name });
    io.out(json ? JSON.stringify({ ...syncPlanJson(plan), ...nsJson }, null, 2) : `${syncPlanSummary(plan)}\n${nsLine}\n${formatPlan(plan)}`);
  }
  return EXIT_OK;
}
