/**
 * A failed Pod hook's health message is its container's termination message (Argo CD parity): the
 * workload's own output, which may hold secrets. It must not reach any message (hook results,
 * events, the error message): only `details` (a secret sink) and the cluster keep it.
 */
import { runSync } from '../../../src/engine';
import { KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { failPod } from '../../support';
import { NS, Recorder, configMap, fakeCluster, fast } from './_helpers';

const PLANTED = 'password=hunter2-planted';

function podHook(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
  };
}

test('a failed Pod hook: the termination message is withheld from messages, kept in details', async () => {
  const fake = fakeCluster();
  fake.react({ kind: 'Pod' }, failPod({ exitCode: 4, message: `migrate failed: ${PLANTED}` }));
  const rec = new Recorder();
  try {
    const err = await runSync(fake, planSync([podHook('bad-pod'), configMap('after')], { defaultNamespace: NS }), { ...fast, onEvent: rec.push }).catch((e) => e);
    expect(err).toMatchObject({ reason: 'HookFailed', phase: 'PreSync', object: `Pod ${NS}/bad-pod` });
    const hook = err.result.hooks[0];
    expect(hook.status).toBe('Failed');
    expect(hook.message).toBe('container "main" terminated (exit code 4, Error): termination message withheld (it may hold secrets): read it from the pod in the cluster');
    expect(err.message).toContain('termination message withheld');
    for (const [where, text] of [
      // `failure` is the exit details (in memory, like `details`); every other field is a message.
      ['hook result', JSON.stringify(err.result.hooks.map(({ failure: _, ...h }: { failure?: unknown }) => h))],
      ['error message', err.message],
      ['error detail', err.detail],
      ['events', JSON.stringify(rec.events)],
    ]) expect(`${where}: ${text.includes(PLANTED)}`).toBe(`${where}: false`);
    // The full text: in details (SyncedChart's secret output failureDetails) and in the cluster.
    expect(err.details).toContain(PLANTED);
    expect(err.containers[0]).toMatchObject({ container: 'main', exitCode: 4, message: `migrate failed: ${PLANTED}` });
  } finally {
    fake.dispose();
  }
});

test('a failed Pod without a termination message keeps its health message (exit code)', async () => {
  const fake = fakeCluster();
  fake.react({ kind: 'Pod' }, failPod({ exitCode: 3 }));
  try {
    const err = await runSync(fake, planSync([podHook('bad-pod')], { defaultNamespace: NS }), fast).catch((e) => e);
    expect(err.result.hooks[0].message).toBe('container "main" failed with exit code 3');
  } finally {
    fake.dispose();
  }
});
