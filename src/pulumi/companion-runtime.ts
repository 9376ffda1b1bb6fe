/**
 * The SyncedChartApp companion's implementation (see companion.ts). Create and update touch
 * nothing; delete tears the application down from its operation record when the chart's own
 * teardown did not run, which is the case when the chart never reached the Pulumi state (a first
 * `pulumi up` killed or failed before Pulumi recorded it).
 */
import * as crypto from 'node:crypto';
import { createKubeClient, KubeClient, parseRecord, recordRef } from '../engine';
import { stableStringify } from '../runner/normalize';
import { CompanionInputs } from './companion';
import { ChartOutputs } from './inputs';
import { remove as removeChart, RuntimeContext } from './runtime';

export async function diff(_id: string, olds: CompanionInputs, news: CompanionInputs) {
  const keys = ['appName', 'recordApp', 'kubeconfig', 'timeouts'] as const;
  const changed = keys.filter((k) => stableStringify(olds[k] ?? null) !== stableStringify(news[k] ?? null));
  // Never replaced: a replacement would delete the old companion, whose delete may tear down.
  return { changes: changed.length > 0, replaces: [] as string[], deleteBeforeReplace: false, stables: [] as string[] };
}

export async function create(inputs: CompanionInputs) {
  return { id: `${inputs.recordApp}-${crypto.randomBytes(4).toString('hex')}`, outs: inputs };
}

export async function update(_id: string, _olds: CompanionInputs, news: CompanionInputs) {
  return { outs: news };
}

/** What the companion's delete does with the record it finds (pure). */
export function companionAction(record: { operation: { kind: string; status: string } } | undefined): { teardown: boolean; why: string } {
  if (!record) return { teardown: false, why: 'no operation record: nothing of the application is left' };
  const op = record.operation;
  if (op.kind === 'sync' && op.status === 'Succeeded') {
    // The chart is (or was) in the state with all of it: its own teardown decides, never its companion.
    return { teardown: false, why: 'the last sync succeeded: the chart owns what it applied' };
  }
  return { teardown: true, why: `its last ${op.kind} ${op.status === 'Running' ? 'was interrupted' : 'failed'} and the chart did not tear it down` };
}

function logger(app: string, ctx: RuntimeContext) {
  return ctx.log ?? ((line: string) => void process.stdout.write(`[${app}] ${line}\n`));
}

export async function remove(id: string, props: CompanionInputs, ctx: RuntimeContext = {}): Promise<void> {
  const c: KubeClient = ctx.createClient ? ctx.createClient() : createKubeClient(props.kubeconfig || ctx.kubeconfig || undefined, ctx.context);
  const log = logger(props.appName, ctx);
  let action: { teardown: boolean; why: string };
  try {
    const cm = await c.get(recordRef(props.recordApp));
    action = companionAction(cm ? parseRecord(cm, props.recordApp) : undefined);
  } finally {
    c.close?.();
  }
  if (!action.teardown) return;
  log(
    `application "${props.recordApp}": ${action.why}; tearing down what its operation record lists ` +
      `(as sync-hooks delete --name ${props.recordApp}; the chart's PreDelete/PostDelete hooks do not run: its manifests never reached the state)`,
  );
  const chart: ChartOutputs = {
    appName: props.appName,
    recordApp: props.recordApp,
    manifests: [],
    prune: true,
    runHooks: 'on-change',
    objects: [],
    hooks: [],
    lastSync: { operation: 'sync', status: 'Failed', time: new Date().toISOString(), durationMs: 0 },
    ...(props.kubeconfig ? { kubeconfig: props.kubeconfig } : {}),
    ...(props.timeouts ? { timeouts: props.timeouts } : {}),
  };
  await removeChart(id, chart, ctx);
}
