/**
 * A hook past its deadline on the real embedded cluster (issue 11): a Job without
 * `activeDeadlineSeconds` would run forever, so at `hookTimeoutMs` the engine fails the sync with
 * HookTimeout and terminates the hook: its finalizer removed first, then the Job deleted (and with
 * it its pod). An independent watch of the Job sees that order.
 */
import { KubeClient, SyncFailedError, runSync } from '../../../src/engine';
import { HOOK_FINALIZER } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { k8s, kubeConfig } from '../helpers/kube';
import { clusterOpts, configMap, eventually, hookJob, namespacePerTest, ref, Timeline } from './_helpers';

let c: KubeClient;
let ns: string;
namespacePerTest('engine-deadline', (client, namespace) => {
  c = client;
  ns = namespace;
});

interface JobEvent {
  type: string;
  finalizers: string[];
  deleting: boolean;
}

/** Watches one Job by name: every event with its finalizers and whether its deletion started. */
async function watchJob(namespace: string, name: string): Promise<{ events: JobEvent[]; stop(): void }> {
  const events: JobEvent[] = [];
  let stopped = false;
  let req: { abort(): void } | undefined;
  let resourceVersion: string | undefined;
  const watch = new (k8s().Watch)(kubeConfig());
  const open = async () => {
    req = await watch.watch(
      `/apis/batch/v1/namespaces/${namespace}/jobs`,
      { fieldSelector: `metadata.name=${name}`, allowWatchBookmarks: true, ...(resourceVersion ? { resourceVersion } : {}) },
      (type: string, obj: any) => {
        if (obj?.metadata?.resourceVersion) resourceVersion = obj.metadata.resourceVersion;
        if (type === 'BOOKMARK') return;
        events.push({ type, finalizers: obj?.metadata?.finalizers ?? [], deleting: !!obj?.metadata?.deletionTimestamp });
      },
      () => {
        if (!stopped) setTimeout(() => void open().catch(() => undefined), 100);
      },
    );
  };
  await open();
  return {
    events,
    stop: () => {
      stopped = true;
      req?.abort();
    },
  };
}

test('a Job hook without activeDeadlineSeconds past hookTimeoutMs: HookTimeout, finalizer removed, then the Job and its pod deleted', async () => {
  const jobWatch = await watchJob(ns, 'stuck');
  const tl = new Timeline();
  try {
    // kwok runs the pod for 10 minutes: only the engine's deadline can end it.
    const err = await runSync(c, planSync([hookJob(ns, 'stuck', { phase: 'PreSync', duration: '600s' }), configMap(ns, 'after')], { defaultNamespace: ns }), {
      ...clusterOpts,
      hookTimeoutMs: 4000,
      onEvent: tl.push,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(SyncFailedError);
    expect(err).toMatchObject({ reason: 'HookTimeout', phase: 'PreSync', object: `Job ${ns}/stuck` });
    expect(err.result.hooks[0]).toMatchObject({ status: 'Failed', deleted: true, message: expect.stringMatching(/did not complete within 4s; terminated/) });
    expect(tl.index('hook.failed', 'stuck')).toBeGreaterThanOrEqual(0);
    expect(tl.index('hook.terminated', 'stuck')).toBeGreaterThan(tl.index('hook.failed', 'stuck'));

    // Gone from the cluster, with its pod; nothing of the Sync phase was applied.
    expect(await c.get(ref(ns, 'Job', 'stuck'))).toBeUndefined();
    await eventually('the hook pod deleted', async () => (await c.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector: 'job-name=stuck' })).length === 0);
    expect(await c.get(ref(ns, 'ConfigMap', 'after'))).toBeUndefined();

    // The cluster's order: created with the hook finalizer; the finalizer removed while the Job was
    // not yet being deleted; then deletion; then DELETED.
    const ev = await eventually('the watch to see the Job DELETED', async () => (jobWatch.events.some((e) => e.type === 'DELETED') ? jobWatch.events : undefined));
    expect(ev[0]).toMatchObject({ type: 'ADDED', deleting: false });
    expect(ev[0].finalizers).toContain(HOOK_FINALIZER);
    const released = ev.findIndex((e) => !e.finalizers.includes(HOOK_FINALIZER));
    const deletionStarted = ev.findIndex((e) => e.deleting || e.type === 'DELETED');
    expect(released).toBeGreaterThan(0);
    expect(ev[released].deleting).toBe(false);
    expect(deletionStarted).toBeGreaterThan(released);
    expect(ev.filter((e) => e.deleting || e.type === 'DELETED').every((e) => !e.finalizers.includes(HOOK_FINALIZER))).toBe(true);
  } finally {
    jobWatch.stop();
  }
});
