/**
 * Plans as `pulumi up`/`pulumi destroy` show them: one line per step (phase and wave) with its
 * objects counted or named and every hook named, then the warnings, one line each. The table with
 * a row per object stays with `sync-hooks plan` (src/plan/format.ts). Pure functions.
 */
import { describe, formatKey, PlanTask, PlanWarning, ResourceKey, SyncPlan, TeardownPlan } from '../model';
import type { KubeObject } from '../model';
import { safeKey } from '../plan/inspect';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function label(key: ResourceKey, generated = false): string {
  return describe(generated ? { ...key, name: `${key.name}*` } : key);
}

/** Up to two objects by name, more as a count with their kinds: `4 objects (2 ConfigMap, Deployment, Service)`. */
function objectsOf(keys: ResourceKey[]): string {
  if (keys.length <= 2) return keys.map((k) => label(k)).join(', ');
  const kinds = new Map<string, number>();
  for (const k of keys) kinds.set(k.kind, (kinds.get(k.kind) ?? 0) + 1);
  return `${plural(keys.length, 'object')} (${[...kinds].map(([kind, n]) => (n === 1 ? kind : `${n} ${kind}`)).join(', ')})`;
}

/** A hook by name, with its delete policies when they are not Argo's default (BeforeHookCreation). */
function hookOf(t: PlanTask): string {
  const policies = t.deletePolicies.join(',');
  return `hook ${label(t.key, t.generateName !== undefined)}${policies && policies !== 'BeforeHookCreation' ? ` (${policies})` : ''}`;
}

/** `Sync wave 0: 4 objects (…); prune ConfigMap app/old; hook Job app/smoke (HookSucceeded)` */
export function stepLine(where: string, tasks: readonly PlanTask[]): string {
  const applies = tasks.filter((t) => !t.isHook && t.action === 'apply').map((t) => t.key);
  const prunes = tasks.filter((t) => t.action === 'prune').map((t) => t.key);
  const parts = [applies.length ? objectsOf(applies) : '', prunes.length ? `prune ${objectsOf(prunes)}` : '', ...tasks.filter((t) => t.isHook && t.action === 'apply').map(hookOf)];
  return `${where}: ${parts.filter(Boolean).join('; ')}`;
}

function warningLines(warnings: readonly PlanWarning[]): string[] {
  return warnings.map((w) => `warning: ${w.message}`);
}

/** One line: `6 steps, 7 objects, 3 hooks (1 to prune, +1 SyncFail on failure)`. */
export function syncPlanCounts(plan: SyncPlan): string {
  const tasks = plan.steps.flatMap((s) => s.tasks);
  const hooks = tasks.filter((t) => t.isHook).length;
  const prunes = tasks.filter((t) => t.action === 'prune').length;
  const objects = tasks.length - hooks - prunes;
  const extra = [prunes ? `${prunes} to prune` : '', plan.syncFail.length ? `+${plan.syncFail.length} SyncFail on failure` : ''].filter(Boolean);
  return `${plural(plan.steps.length, 'step')}, ${plural(objects, 'object')}, ${plural(hooks, 'hook')}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/**
 * The sync plan in a few lines: a header with the counts, one line per step, SyncFail hooks, the
 * warnings. `title` starts the header (`plan for pulumi up`). With `teardown`, its one line
 * (`teardownTitle`) follows, and the warnings that only say a delete hook is not part of the sync
 * are left out: that line names those hooks.
 */
export function compactSyncPlan(plan: SyncPlan, title: string, teardown?: { plan: TeardownPlan; title: string }): string {
  const deleteHooks = new Set(teardown ? [...teardown.plan.preDelete, ...teardown.plan.postDelete].flatMap((s) => s.tasks.map((t) => formatKey(t.key))) : []);
  const inSync = new Set([...plan.steps.flatMap((s) => s.tasks), ...plan.syncFail].map((t) => formatKey(t.key)));
  const warnings = plan.warnings.filter((w) => !(w.key && deleteHooks.has(formatKey(w.key)) && !inSync.has(formatKey(w.key))));
  const tail = [...warningLines(warnings), ...(teardown ? [teardownPlanLine(teardown.plan, teardown.title)] : [])];
  if (plan.steps.length === 0 && plan.syncFail.length === 0) return [`${title}: nothing to sync`, ...tail].join('\n');
  return [
    `${title}: ${syncPlanCounts(plan)}`,
    ...plan.steps.map((s) => `  ${stepLine(`${s.phase} wave ${s.wave}`, s.tasks)}`),
    ...(plan.syncFail.length ? [`  ${stepLine('SyncFail (on failure)', plan.syncFail)}`] : []),
    ...tail,
  ].join('\n');
}

function deleteLine(wave: number, objects: readonly KubeObject[]): string {
  return `  Delete wave ${wave}: ${objectsOf(objects.map((o) => safeKey(o)))}`;
}

/** The teardown plan in a few lines: PreDelete hooks, deletions by wave, PostDelete hooks, kept objects, warnings. */
export function compactTeardownPlan(plan: TeardownPlan, title: string): string {
  const objects = plan.deleteWaves.reduce((n, w) => n + w.objects.length, 0);
  const hooks = [...plan.preDelete, ...plan.postDelete].reduce((n, s) => n + s.tasks.length, 0);
  const lines = [
    ...plan.preDelete.map((s) => `  ${stepLine(`${s.phase} wave ${s.wave}`, s.tasks)}`),
    ...plan.deleteWaves.map((w) => deleteLine(w.wave, w.objects)),
    ...plan.postDelete.map((s) => `  ${stepLine(`${s.phase} wave ${s.wave}`, s.tasks)}`),
    ...(plan.kept.length ? [`  kept: ${plan.kept.map((k) => `${label(k.key)} (${k.reason})`).join(', ')}`] : []),
  ];
  const head = lines.length === 0 ? `${title}: nothing to delete` : `${title}: ${plural(objects, 'object')} to delete, ${plural(hooks, 'hook')}`;
  return [head, ...lines, ...warningLines(plan.warnings)].join('\n');
}

/**
 * The teardown plan in one line, as `pulumi preview` shows it beside the sync plan (destroy prints
 * it a line per step when it runs): `plan for pulumi destroy: PreDelete hook Job app/backup, then
 * 4 objects deleted in 3 waves, then PostDelete hook Job default/dns; kept: PersistentVolume data (Delete=false)`.
 */
export function teardownPlanLine(plan: TeardownPlan, title: string): string {
  const hooks = (steps: readonly { phase: string; tasks: readonly PlanTask[] }[]) => steps.flatMap((s) => s.tasks.map((t) => `${s.phase} ${hookOf(t)}`));
  const objects = plan.deleteWaves.reduce((n, w) => n + w.objects.length, 0);
  const parts = [
    ...hooks(plan.preDelete),
    ...(objects ? [`${plural(objects, 'object')} deleted in ${plural(plan.deleteWaves.length, 'wave')}`] : []),
    ...hooks(plan.postDelete),
  ];
  const reasons = new Map<string, string[]>();
  for (const k of plan.kept) reasons.set(k.reason, [...(reasons.get(k.reason) ?? []), label(k.key)]);
  const kept = [...reasons].map(([reason, labels]) => `${labels.join(', ')} (${reason})`).join(', ');
  return `${title}: ${parts.length ? parts.join(', then ') : 'nothing to delete'}${kept ? `; kept: ${kept}` : ''}${plan.warnings.length ? `; ${plural(plan.warnings.length, 'warning')} (sync-hooks plan --teardown)` : ''}`;
}
