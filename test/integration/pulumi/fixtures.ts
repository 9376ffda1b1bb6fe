/** Manifests for the SyncedChart integration tests (plain objects, one namespace per test). */
import { KubeObject } from '../../../src/model';

const RUN = 'sync-hooks.local/run-duration';

export interface AppOptions {
  ns: string;
  /** Extra ConfigMaps by wave, e.g. { 'cfg-a': 0, 'cfg-c': 2 }. */
  configMaps?: Record<string, number>;
  failPreSync?: boolean;
  /** Kind of the PreSync hook `migrate` (default Job). */
  preSyncKind?: 'Job' | 'Pod';
  /** Termination message of the failing PreSync hook's container (default `migrate failed on purpose`). */
  failMessage?: string;
  failPreDelete?: boolean;
  secretValue?: string;
  version?: string;
}

export function job(name: string, ns: string, hook: string, opts: { policy?: string; wave?: number; fail?: boolean; failMessage?: string; duration?: string; generateName?: boolean } = {}): KubeObject {
  const annotations: Record<string, string> = { 'argocd.argoproj.io/hook': hook };
  if (opts.policy) annotations['argocd.argoproj.io/hook-delete-policy'] = opts.policy;
  if (opts.wave !== undefined) annotations['argocd.argoproj.io/sync-wave'] = String(opts.wave);
  const podAnnotations: Record<string, string> = { [RUN]: opts.duration ?? '500ms' };
  const podLabels: Record<string, string> = opts.fail ? { 'sync-hooks.local/fail': 'true' } : {};
  if (opts.fail) podAnnotations['sync-hooks.local/fail-message'] = opts.failMessage ?? `${name} failed on purpose`;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...(opts.generateName ? { generateName: `${name}-` } : { name }), namespace: ns, annotations },
    spec: {
      backoffLimit: 0,
      template: { metadata: { labels: podLabels, annotations: podAnnotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
    },
  };
}

/** A bare Pod hook (Argo CD judges it by health_pod.go: its termination message is its health message). */
export function podHook(name: string, ns: string, hook: string, opts: { fail?: boolean; failMessage?: string; duration?: string } = {}): KubeObject {
  const annotations: Record<string, string> = { 'argocd.argoproj.io/hook': hook, [RUN]: opts.duration ?? '500ms' };
  if (opts.fail) annotations['sync-hooks.local/fail-message'] = opts.failMessage ?? `${name} failed on purpose`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, annotations, labels: opts.fail ? { 'sync-hooks.local/fail': 'true' } : {} },
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
  };
}

export function app(o: AppOptions): KubeObject[] {
  const cms = o.configMaps ?? { 'cfg-a': 0, 'cfg-b': 2 };
  const objs: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.ns } },
    (o.preSyncKind === 'Pod' ? podHook : job)('migrate', o.ns, 'PreSync', { fail: o.failPreSync, failMessage: o.failMessage, duration: '1s' }),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: o.ns, annotations: { 'argocd.argoproj.io/sync-wave': '1' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: `nginx:${o.version ?? '1.27'}` }] } },
      },
    },
    job('notify', o.ns, 'PostSync', { policy: 'HookSucceeded', generateName: true }),
    job('alert', o.ns, 'SyncFail'),
    job('backup', o.ns, 'PreDelete', { fail: o.failPreDelete, duration: '1s' }),
    job(`cleanup-${o.ns}`, 'default', 'PostDelete', { policy: 'HookSucceeded' }),
  ];
  for (const [name, wave] of Object.entries(cms)) {
    objs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: o.ns, annotations: { 'argocd.argoproj.io/sync-wave': String(wave) } }, data: { v: o.version ?? '1' } });
  }
  if (o.secretValue) objs.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: o.ns }, stringData: { password: o.secretValue } });
  return objs;
}
