/**
 * "Printed once per `pulumi up`": `pulumi up` runs a preview and then the update in the same
 * pulumi process, each with its own provider process (dynamic provider and plugin alike). What
 * the preview printed (the plan, its warnings) is remembered in a marker file keyed by the text,
 * in a directory of the pulumi process (pid and start time), so the update does not print it
 * again; directories of pulumi processes that are gone are removed. A `pulumi up --skip-preview` (the
 * Automation API's) has no preview: the update prints it.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SyncPlan, TeardownPlan } from '../model';
import { compactSyncPlan } from './compact-plan';

/** A process's command name and the fields of `/proc/<pid>/stat` after it (field 3 onwards), or undefined. */
function procStat(pid: number): { comm: string; fields: string[] } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const end = stat.lastIndexOf(')');
    return { comm: stat.slice(stat.indexOf('(') + 1, end), fields: stat.slice(end + 2).split(' ') };
  } catch {
    return undefined;
  }
}

/** The pulumi CLI's pid: our parent, or its parent when we run under the `/bin/sh` shim (Linux /proc; without it, the parent). */
function pulumiPid(): number {
  const parent = procStat(process.ppid);
  const ppid = Number(parent?.fields[1]);
  return parent && parent.comm !== 'pulumi' && ppid > 1 ? ppid : process.ppid;
}

const PREFIX = 'sync-hooks-shown-';

/** A process as `<pid>-<start time>`: a pid used again by a later process is another key. */
function processKey(pid: number): string | undefined {
  const start = procStat(pid)?.fields[19]; // field 22, starttime
  return start === undefined ? undefined : `${pid}-${start}`;
}

/** Markers of the flat layout before per-process directories (never removed then). */
const LEGACY = new RegExp(`^${PREFIX}[0-9a-f]{16}$`);
const PER_PROCESS = new RegExp(`^${PREFIX}(\\d+)-\\d+$`);

/**
 * The markers of pulumi process `pid` under `base`: a directory made at the first use, which
 * removes the directories of pulumi processes that are gone (and old flat markers), so markers do
 * not pile up.
 */
export function processMarkers(base: string, pid: number): ShownStore {
  let dir: string | undefined;
  const marker = (what: string) => {
    if (!dir) {
      dir = path.join(base, `${PREFIX}${processKey(pid) ?? pid}`);
      if (!fs.existsSync(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        for (const name of fs.readdirSync(base)) {
          const m = PER_PROCESS.exec(name);
          if (LEGACY.test(name) || (m && processKey(Number(m[1])) !== name.slice(PREFIX.length))) fs.rmSync(path.join(base, name), { recursive: true, force: true });
        }
      }
    }
    return path.join(dir, crypto.createHash('sha256').update(what).digest('hex').slice(0, 16));
  };
  return {
    first: (what) => {
      try {
        fs.writeFileSync(marker(what), '', { flag: 'wx' });
        return true;
      } catch {
        return false;
      }
    },
    seen: (what) => fs.existsSync(marker(what)),
  };
}

let current: ShownStore | undefined;
const thisRun = () => (current ??= processMarkers(os.tmpdir(), pulumiPid()));

/** True the first time this pulumi process asks to print `what` (and records that it is printed now). */
export function firstTimeInThisPulumiRun(what: string): boolean {
  return thisRun().first(what);
}

/** Whether `what` was printed before in this pulumi process (nothing is recorded). */
export function shownInThisPulumiRun(what: string): boolean {
  return thisRun().seen(what);
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
