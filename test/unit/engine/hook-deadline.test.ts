import { runSync } from '../../../src/engine';
import { planSync } from '../../../src/plan';
import { NS, Recorder, configMap, fakeCluster, fast, job } from './_helpers';

const STUCK = { apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name: 'stuck' };

test.each([
  ['without activeDeadlineSeconds, at hookTimeoutMs', job('stuck', { phase: 'PreSync' }), { hookTimeoutMs: 60 }],
  ['with activeDeadlineSeconds, at the deadline plus grace', job('stuck', { phase: 'PreSync', activeDeadlineSeconds: 1 }), { hookTimeoutMs: 600_000, hookDeadlineGraceMs: 50 }],
])('a hook %s is terminated (finalizer removed, deleted), not left running', async (_what, hook, opts) => {
  const fake = fakeCluster();
  fake.react({ kind: 'Job' }, () => undefined); // never completes
  const rec = new Recorder();
  try {
    const err = await runSync(fake, planSync([hook, configMap('x')], { defaultNamespace: NS }), { ...fast, ...opts, onEvent: rec.push }).catch((e) => e);
    expect(err.reason).toBe('HookTimeout');
    // Gone from the cluster: finalizer removed first, then deleted.
    expect(fake.peek(STUCK)).toBeUndefined();
    expect(fake.seqOf('patchFinalizers', '/Job/app/stuck')).toBeGreaterThan(-1);
    expect(fake.seqOf('delete', '/Job/app/stuck')).toBeGreaterThan(fake.seqOf('patchFinalizers', '/Job/app/stuck'));
    expect(rec.types()).toContain('hook.terminated');
    expect(rec.index('hook.terminated', 'stuck')).toBeGreaterThan(rec.index('hook.failed', 'stuck'));
    expect(err.result.hooks[0]).toMatchObject({ status: 'Failed', deleted: true, message: expect.stringMatching(/did not complete within .*; terminated/) });
  } finally {
    fake.dispose();
  }
});
