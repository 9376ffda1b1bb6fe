/**
 * Argo CD parity, round 2 (issue 13 item 7) on the embedded cluster: operation retry.
 *
 * Argo CD: `spec.syncPolicy.retry {limit, backoff: {duration, factor, maxDuration}}`; the n-th
 * retry waits duration·factor^n capped at maxDuration (argo-cd `pkg/apis/application/v1alpha1/types.go`
 * `RetryStrategy.NextRetryAt`), and a retry runs the whole operation again, PreSync hooks included
 * (`controller/appcontroller.go` `processRequestedAppOperation` clears the sync result). Off by
 * default. Here SyncFail runs once, after the last attempt (issue 13's choice; Argo CD runs it
 * inside every failed attempt). The PreSync hook is a Workflow whose phase the test sets.
 */
import { KubeClient, SyncFailedError, runSync } from '../../../src/engine';
import { HOOK_FINALIZER } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { Timeline, client, clusterOpts, configMap, eventually, hookJob, ref, uniqueNamespace, withNamespace } from '../engine/_helpers';
import { installWorkflowCrd, setWorkflowPhase, wfRef, workflowHook } from './_workflow';

let c: KubeClient;
let ns: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  c = client();
  await installWorkflowCrd(c);
});
afterAll(() => c.close?.());
beforeEach(async () => {
  ns = uniqueNamespace('parity-retry');
  cleanup = await withNamespace(c, ns);
});
afterEach(async () => {
  for (const wf of await c.list({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', namespace: ns }).catch(() => [])) {
    await c.patchFinalizers(wfRef(ns, wf.metadata.name!), { remove: [HOOK_FINALIZER] }).catch(() => undefined);
  }
  await cleanup();
});

const retry = { limit: 2, backoff: { durationMs: 300, factor: 2, maxDurationMs: 1000 } };
const manifests = () => [workflowHook(ns, 'migrate', 'PreSync'), configMap(ns, 'after'), hookJob(ns, 'notify', { phase: 'SyncFail' })];

/** Plays the Workflow controller for the `n`-th instance of the hook (a new uid each attempt). */
async function finishAttempt(seen: Set<string>, phase: 'Failed' | 'Succeeded'): Promise<void> {
  const wf = await eventually('a new instance of the Workflow hook', async () => {
    const live = await c.get(wfRef(ns, 'migrate'));
    return live && !live.metadata.deletionTimestamp && !seen.has(live.metadata.uid!) ? live : undefined;
  });
  seen.add(wf.metadata.uid!);
  await setWorkflowPhase(ns, 'migrate', phase, phase === 'Failed' ? `attempt ${seen.size} failed` : undefined);
}

test('a failed attempt is run again from PreSync after the backoff; the second attempt succeeds and SyncFail never runs', async () => {
  const tl = new Timeline();
  const sync = runSync(c, planSync(manifests()), { ...clusterOpts, retry, onEvent: tl.push });
  const seen = new Set<string>();
  await finishAttempt(seen, 'Failed');
  await finishAttempt(seen, 'Succeeded');
  const result = await sync;

  expect(result.hooks.filter((h) => h.name === 'migrate').map((h) => h.status)).toEqual(['Failed', 'Succeeded']);
  expect(result.warnings.some((w) => w.startsWith('attempt 1 of 3 failed: HookFailed:') && w.includes('retrying in 0.3s'))).toBe(true);
  expect(await c.get(ref(ns, 'Job', 'notify'))).toBeUndefined();
  expect(await c.get(ref(ns, 'ConfigMap', 'after'))).toBeDefined();
  // The retry started from PreSync: the second hook was created after the backoff, the Sync phase after it.
  const created = tl.events.filter((e) => e.type === 'hook.created' && 'object' in e && String(e.object).includes('migrate'));
  expect(created).toHaveLength(2);
  expect(created[1].elapsedMs - tl.at('hook.failed', 'migrate').elapsedMs).toBeGreaterThanOrEqual(300);
  expect(tl.index('object.applied', 'after')).toBeGreaterThan(tl.events.indexOf(created[1]));
});

test('every attempt fails: limit + 1 attempts, then SyncFail runs once, after the last', async () => {
  const tl = new Timeline();
  const sync = runSync(c, planSync(manifests()), { ...clusterOpts, retry: { ...retry, limit: 1 }, onEvent: tl.push }).catch((e) => e);
  const seen = new Set<string>();
  await finishAttempt(seen, 'Failed');
  await finishAttempt(seen, 'Failed');
  const err = await sync;
  expect(err).toBeInstanceOf(SyncFailedError);
  expect(err.message).toContain('attempt 2 failed');
  const notify = (await c.get(ref(ns, 'Job', 'notify')))!;
  expect(notify).toBeDefined();
  const failures = tl.events.filter((e) => e.type === 'hook.failed' && 'object' in e && String(e.object).includes('migrate'));
  expect(failures).toHaveLength(2);
  expect(tl.events.filter((e) => e.type === 'syncfail.started')).toHaveLength(1);
  expect(tl.index('syncfail.started')).toBeGreaterThan(tl.events.indexOf(failures[1]));
  expect(await c.get(ref(ns, 'ConfigMap', 'after'))).toBeUndefined();
});
