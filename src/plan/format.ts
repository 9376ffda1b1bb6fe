/**
 * Human-readable plan tables, as shown by `sync-hooks plan` and in `pulumi preview`.
 * Columns: PHASE, WAVE, ACTION, KIND, NAME (namespace/name), HOOK (delete policies of hooks).
 */
import { KubeObject, PlanTask, PlanWarning, ResourceKey, SyncPlan, TeardownPlan } from '../model';
import { safeKey } from './inspect';
import { flattenSteps } from './steps';

type Row = [phase: string, wave: string, action: string, kind: string, name: string, hook: string];

const HEADER: Row = ['PHASE', 'WAVE', 'ACTION', 'KIND', 'NAME', 'HOOK'];

function qualifiedName(key: ResourceKey, generated: boolean): string {
  const name = generated ? `${key.name}*` : key.name;
  return key.namespace ? `${key.namespace}/${name}` : name;
}

function taskRow(t: PlanTask, phase: string = t.phase): Row {
  const hook = t.isHook ? t.deletePolicies.join(',') : '-';
  return [phase, String(t.wave), t.action, t.key.kind, qualifiedName(t.key, t.generateName !== undefined), hook];
}

function deleteRow(obj: KubeObject, wave: number): Row {
  const key = safeKey(obj);
  return ['Delete', String(wave), 'delete', key.kind, qualifiedName(key, false), '-'];
}

/** Renders rows as aligned columns (WAVE right-aligned), no trailing spaces. */
export function renderTable(rows: readonly Row[]): string {
  const all = [HEADER, ...rows];
  const widths = HEADER.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return all
    .map((r) => r.map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

function warningLines(warnings: readonly PlanWarning[]): string[] {
  return warnings.length === 0 ? [] : ['', 'Warnings:', ...warnings.map((w) => `  - ${w.message}`)];
}

/** The sync plan as a table; SyncFail hooks are listed with phase `SyncFail (on failure)`. */
export function formatPlan(plan: SyncPlan): string {
  const rows = [...flattenSteps(plan.steps).map((t) => taskRow(t)), ...plan.syncFail.map((t) => taskRow(t, 'SyncFail (on failure)'))];
  const body = rows.length === 0 ? 'Nothing to sync.' : renderTable(rows);
  return [body, ...warningLines(plan.warnings)].join('\n');
}

/** The teardown plan as a table: PreDelete hooks, deletes by wave, PostDelete hooks, kept objects. */
export function formatTeardownPlan(plan: TeardownPlan): string {
  const rows: Row[] = [
    ...flattenSteps(plan.preDelete).map((t) => taskRow(t)),
    ...plan.deleteWaves.flatMap((w) => w.objects.map((o) => deleteRow(o, w.wave))),
    ...flattenSteps(plan.postDelete).map((t) => taskRow(t)),
  ];
  const body = rows.length === 0 ? 'Nothing to delete.' : renderTable(rows);
  const kept = plan.kept.length === 0 ? [] : ['', 'Kept:', ...plan.kept.map((k) => `  - ${qualifiedName(k.key, false)} (${k.key.kind}): ${k.reason}`)];
  return [body, ...kept, ...warningLines(plan.warnings)].join('\n');
}
