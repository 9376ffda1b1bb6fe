/**
 * "Printed once per `pulumi up`": `pulumi up` runs a preview and then the update in the same
 * pulumi process, each with its own provider process (dynamic provider and plugin alike). What
 * the preview printed (the plan, its warnings) is remembered in a marker file keyed by the pulumi
 * process and the text, so the update does not print it again. A `pulumi up --skip-preview` (the
 * Automation API's) has no preview: the update prints it.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SyncPlan, TeardownPlan } from '../model';
import { compactSyncPlan } from './compact-plan';

/** The pulumi CLI's pid: our parent, or its parent when we run under the `/bin/sh` shim (Linux /proc). */
function pulumiPid(): number {
  try {
    const stat = fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (comm !== 'pulumi' && ppid > 1) return ppid;
  } catch {
    /* no /proc: the parent it is */
  }
  return process.ppid;
}

function marker(what: string): string {
  const key = crypto.createHash('sha256').update(`${pulumiPid()}\0${what}`).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `sync-hooks-shown-${key}`);
}

/** True the first time this pulumi process asks to print `what` (and records that it is printed now). */
export function firstTimeInThisPulumiRun(what: string): boolean {
  try {
    fs.writeFileSync(marker(what), String(pulumiPid()), { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}

/** Whether `what` was printed before in this pulumi process (nothing is recorded). */
export function shownInThisPulumiRun(what: string): boolean {
  return fs.existsSync(marker(what));
}

/** Keys of what is printed once: a chart's plan (its compact text) and each of its warnings. */
export const shownKey = {
  plan: (app: string, text: string) => `plan\0${app}\0${text}`,
  warning: (app: string, message: string) => `warning\0${app}\0${message}`,
};

/** Where "printed in this pulumi run" is remembered (tests pass their own). */
export interface ShownStore {
  /** Records `what` as printed; true if it was not before. */
  first(what: string): boolean;
  /** Whether `what` was printed before. */
  seen(what: string): boolean;
}

export const pulumiRunStore: ShownStore = { first: firstTimeInThisPulumiRun, seen: shownInThisPulumiRun };

/**
 * The compact plan of a chart (with `teardown`: and the teardown plan's line), printed through
 * `print` unless this pulumi run printed the same plan before (`always`: print anyway, as preview
 * does); its warnings are recorded as printed either way, so the sync does not repeat them.
 * Returns whether it printed.
 */
export function printPlanOnce(
  app: string,
  plan: SyncPlan,
  title: string,
  print: (text: string) => void,
  opts: { store?: ShownStore; always?: boolean; teardown?: { plan: TeardownPlan; title: string } } = {},
): boolean {
  const store = opts.store ?? pulumiRunStore;
  const first = store.first(shownKey.plan(app, compactSyncPlan(plan, 'plan')));
  for (const w of plan.warnings) store.first(shownKey.warning(app, w.message));
  if (!first && !opts.always) return false;
  print(compactSyncPlan(plan, title, opts.teardown));
  return true;
}
