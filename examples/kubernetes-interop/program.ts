/**
 * Hook phases around resources managed by @pulumi/kubernetes, and a Helm chart whose hooks run.
 *
 *  - `web`: a Deployment and a Service managed by @pulumi/kubernetes, wrapped by `HookPhases` with
 *    cdk8s hook constructs: a PreSync migration (wave -1) and cache warm-up (wave 1), a PostSync
 *    smoke test, a SyncFail rollback, a PreDelete backup and a PostDelete deregistration.
 *  - `reports`: the Helm chart in ./chart deployed with helm.v4.Chart through `HookedChart`, so its
 *    pre-install/post-install/pre-delete hooks run (helm.v4.Chart alone drops them).
 *
 * `pulumi up`: migrate → warm-cache → Deployment/Service (ready) → smoke-test, and for the chart
 * schema (weight -10) → backfill (5) → chart objects → check. `pulumi destroy`: backup and the
 * chart's export run while the apps still exist, deregister once they are gone, then the namespace.
 */
import * as path from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { HookJob, PostDeleteJob, PostSyncJob, PreSyncJob, SyncFailHook } from 'pulumi-sync-hooks';
import { HookedChart, HookPhases } from 'pulumi-sync-hooks/interop';

export interface InteropExampleOptions {
  /** Kubeconfig contents (used by the k8s.Provider and the hook engine). */
  kubeconfig: pulumi.Input<string>;
  namespace?: string;
  /** The web image: changing it re-runs the hooks around the Deployment update. */
  image?: string;
  /** Values of the reports chart. */
  reportsValues?: Record<string, unknown>;
  /** Pod annotations for every hook (e.g. to tune a test cluster). */
  podAnnotations?: Record<string, string>;
  /**
   * Annotations of the web Service (the chart's: value `serviceAnnotations`). @pulumi/kubernetes
   * waits for a Service to have endpoints; on a cluster without the endpoints controllers pass
   * `{ 'pulumi.com/skipAwait': 'true' }`.
   */
  serviceAnnotations?: Record<string, string>;
}

/** The hooks of `web`, as cdk8s constructs (Argo CD annotations). */
export function webHooks(namespace: string, image: string, podAnnotations: Record<string, string> = {}): Chart {
  const chart = new Chart(new App(), 'web-hooks', { namespace });
  const tools = 'busybox:1.37';
  new PreSyncJob(chart, 'migrate', { name: 'web-migrate', image: tools, command: ['sh', '-c', `echo migrating for ${image}`], wave: -1, podAnnotations });
  new PreSyncJob(chart, 'warm-cache', { name: 'web-warm-cache', image: tools, command: ['sh', '-c', 'echo warming'], wave: 1, deletePolicy: 'HookSucceeded', podAnnotations });
  new PostSyncJob(chart, 'smoke', { name: 'web-smoke', image: tools, command: ['wget', '-qO-', 'http://web/'], deletePolicy: 'HookSucceeded', podAnnotations });
  new SyncFailHook(chart, 'rollback', { name: 'web-rollback', image: tools, command: ['sh', '-c', 'echo "rolling back after $SYNC_HOOKS_FAILED_OBJECT"'], podAnnotations });
  new HookJob(chart, 'backup', { phase: 'PreDelete', name: 'web-backup', image: tools, command: ['sh', '-c', 'echo backing up'], deletePolicy: 'HookSucceeded', podAnnotations });
  new PostDeleteJob(chart, 'deregister', { name: 'web-deregister', image: tools, command: ['sh', '-c', 'echo deregistering'], podAnnotations });
  return chart;
}

export function interopExample(o: InteropExampleOptions) {
  const namespace = o.namespace ?? 'interop-example';
  const image = o.image ?? 'nginx:1.27';
  const provider = new k8s.Provider('k8s', { kubeconfig: o.kubeconfig });
  // Created before the hooks run (their `namespace` input depends on it), deleted after PostDelete.
  const ns = new k8s.core.v1.Namespace('ns', { metadata: { name: namespace } }, { provider });

  const web = new HookPhases(
    'web',
    { hooks: webHooks(namespace, image, o.podAnnotations), kubeconfig: o.kubeconfig, namespace: ns.metadata.name },
    (wrap) => {
      const labels = { app: 'web' };
      const deployment = new k8s.apps.v1.Deployment(
        'web',
        {
          metadata: { name: 'web', namespace: ns.metadata.name },
          spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image }] } } },
        },
        wrap({ provider }),
      );
      const service = new k8s.core.v1.Service(
        'web',
        { metadata: { name: 'web', namespace: ns.metadata.name, annotations: o.serviceAnnotations }, spec: { selector: labels, ports: [{ port: 80 }] } },
        wrap({ provider }),
      );
      return { deployment, service };
    },
  );

  const reports = new HookedChart('reports', {
    chart: path.join(__dirname, 'chart'),
    releaseName: 'reports',
    namespace: ns.metadata.name,
    values: o.reportsValues ?? {},
    provider,
    kubeconfig: o.kubeconfig,
  });

  return {
    webPreSync: web.before.hooks,
    webPostSync: web.after.hooks,
    reportsHooks: reports.hooks.apply((hs) => hs.map((h) => h.metadata.name)),
    reportsPreSync: reports.phases.before.hooks,
  };
}
