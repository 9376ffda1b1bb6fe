/** Operation retry (issue 13 item 7): Argo CD's retry {limit, backoff}, SyncFail once after the last attempt. */
import { SyncFailedError, retryDelayMs, runSync } from '../../../src/engine';
import { Reaction, completeJob, failJob } from '../../support';
import { planSync } from '../../../src/plan';
import { NS, Recorder, configMap, fakeCluster, fast, job } from './_helpers';

test('backoff: duration · factor^n, capped at maxDuration; Argo CD defaults 5s, 2, 3m', () => {
  expect([0, 1, 2, 3, 10].map((n) => retryDelayMs({ limit: 5 }, n))).toEqual([5_000, 10_000, 20_000, 40_000, 180_000]);
  expect([0, 1, 2].map((n) => retryDelayMs({ limit: 2, backoff: { durationMs: 10, factor: 3, maxDurationMs: 50 } }, n))).toEqual([10, 30, 50]);
});

/** The n-th creation of the hook fails while n <= failures, then it completes. */
function failFirst(failures: number): Reaction {
  const seen = new Set<string>();
  return (obj, fake) => {
    if (seen.has(obj.metadata.uid!)) return;
    seen.add(obj.metadata.uid!);
    (seen.size <= failures ? failJob({ message: `attempt ${seen.size} failed` }) : completeJob())(obj, fake);
  };
}

const manifests = () => [job('migrate', { phase: 'PreSync' }), configMap('settings'), job('notify', { phase: 'SyncFail' })];
const backoff = { durationMs: 10, factor: 2, maxDurationMs: 50 };

test('a failed attempt is retried from the first step; success on the second attempt runs no SyncFail', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, failFirst(1));
  const rec = new Recorder();
  const result = await runSync(fake, planSync(manifests(), { defaultNamespace: NS }), { ...fast, retry: { limit: 2, backoff }, onEvent: rec.push });
  expect(result.hooks.filter((h) => h.name === 'migrate').map((h) => h.status)).toEqual(['Failed', 'Succeeded']);
  expect(fake.entries('apply', 'Job/app/notify')).toHaveLength(0);
  expect(result.warnings.some((w) => /^attempt 1 of 3 failed: HookFailed: .*retrying in 0s/.test(w))).toBe(true);
  expect(fake.objects({ name: 'settings' })).toHaveLength(1);
  fake.dispose();
});

test('every attempt fails: limit + 1 attempts, then SyncFail runs once', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, failFirst(99));
  fake.react({ name: 'notify' }, completeJob());
  const err = await runSync(fake, planSync(manifests(), { defaultNamespace: NS }), { ...fast, retry: { limit: 2, backoff } }).catch((e) => e);
  expect(err).toBeInstanceOf(SyncFailedError);
  expect(err.result.hooks.filter((h: any) => h.name === 'migrate')).toHaveLength(3);
  expect(fake.entries('apply', 'Job/app/notify')).toHaveLength(1);
  expect(err.syncFail).toMatchObject({ ran: true });
  expect(fake.objects({ name: 'settings' })).toHaveLength(0);
  fake.dispose();
});

test('off by default: one attempt', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, failFirst(1));
  fake.react({ name: 'notify' }, completeJob());
  const err = await runSync(fake, planSync(manifests(), { defaultNamespace: NS }), fast).catch((e) => e);
  expect(err).toBeInstanceOf(SyncFailedError);
  expect(err.result.hooks.filter((h: any) => h.name === 'migrate')).toHaveLength(1);
  fake.dispose();
});

test('no retry after a cancel', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'migrate' }, failFirst(99));
  const ctl = new AbortController();
  const p = runSync(fake, planSync(manifests(), { defaultNamespace: NS }), { ...fast, signal: ctl.signal, retry: { limit: 5, backoff: { durationMs: 60_000 } } });
  // Cancel during the (60 s) backoff wait after the first failure.
  setTimeout(() => ctl.abort(), 300);
  const err = await p.catch((e) => e);
  expect(err).toMatchObject({ reason: 'Cancelled' });
  expect(err.result.hooks.filter((h: any) => h.name === 'migrate')).toHaveLength(1);
  fake.dispose();
});
