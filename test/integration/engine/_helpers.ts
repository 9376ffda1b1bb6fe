/**
 * Helpers for engine tests on the real embedded cluster (kwok plays the kubelet): manifests whose
 * pods run for a given duration and succeed or fail, a client, a namespace per test, and waits on
 * conditions with deadlines (never fixed sleeps).
 */
import { EngineEvent, KubeClient, createKubeClient, formatEvent } from '../../../src/engine';
import { KubeObject } from '../../../src/model';
import { POD_EXIT_CODE_ANNOTATION, POD_FAIL_LABEL, POD_FAIL_MESSAGE_ANNOTATION, POD_RUN_DURATION_ANNOTATION } from '../../../src/localcluster';

export { kubeconfigPath as kubeconfig, uniqueName as uniqueNamespace } from '../helpers/kube';
import { kubeconfigPath as kubeconfig, uniqueName as uniqueNamespaceOf } from '../helpers/kube';

export function client(): KubeClient {
  return createKubeClient(kubeconfig());
}

/** Creates the namespace (through the engine's own client) and returns a cleanup function. */
export async function withNamespace(c: KubeClient, name: string): Promise<() => Promise<void>> {
  await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return async () => {
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', name }, { propagationPolicy: 'Background' }).catch(() => undefined);
  };
}

/**
 * Registers jest hooks for a test file: one client for the file (closed after it), and a fresh
 * namespace `<prefix>-<random>` per test, deleted after it. `use` receives both before each test.
 */
export function namespacePerTest(prefix: string, use: (c: KubeClient, ns: string) => void): void {
  let c: KubeClient;
  let cleanup: () => Promise<void> = async () => undefined;
  beforeAll(() => {
    c = client();
  });
  afterAll(() => c.close?.());
  beforeEach(async () => {
    const ns = uniqueNamespaceOf(prefix);
    cleanup = await withNamespace(c, ns);
    use(c, ns);
  });
  afterEach(async () => {
    await cleanup();
  });
}

export interface HookJobOpts {
  phase?: string;
  wave?: number;
  policy?: string;
  /** How long kwok runs the pod (Go duration). */
  duration?: string;
  fail?: { exitCode?: number; message?: string };
  generateName?: boolean;
  containers?: string[];
}

export function hookJob(ns: string, name: string, o: HookJobOpts = {}): KubeObject {
  const annotations: Record<string, string> = {};
  if (o.phase) annotations['argocd.argoproj.io/hook'] = o.phase;
  if (o.wave !== undefined) annotations['argocd.argoproj.io/sync-wave'] = String(o.wave);
  if (o.policy) annotations['argocd.argoproj.io/hook-delete-policy'] = o.policy;
  const podAnnotations: Record<string, string> = { [POD_RUN_DURATION_ANNOTATION]: o.duration ?? '200ms' };
  if (o.fail?.exitCode !== undefined) podAnnotations[POD_EXIT_CODE_ANNOTATION] = String(o.fail.exitCode);
  if (o.fail?.message) podAnnotations[POD_FAIL_MESSAGE_ANNOTATION] = o.fail.message;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...(o.generateName ? { generateName: `${name}-` } : { name }), namespace: ns, annotations },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { annotations: podAnnotations, labels: o.fail ? { [POD_FAIL_LABEL]: 'true' } : {} },
        spec: { restartPolicy: 'Never', containers: (o.containers ?? ['main']).map((c) => ({ name: c, image: 'busybox', command: ['true'] })) },
      },
    },
  };
}

export function deployment(ns: string, name: string, wave?: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, annotations: wave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(wave) } : {} },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
}

export function configMap(ns: string, name: string, wave?: number, data: Record<string, string> = { k: 'v' }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, annotations: wave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(wave) } : {} },
    data,
  };
}

export const ref = (ns: string, kind: 'Job' | 'Deployment' | 'ConfigMap' | 'Pod', name: string) => ({
  apiVersion: kind === 'Job' ? 'batch/v1' : kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  namespace: ns,
  name,
});

/** Records events; prints them when a test fails (jest shows console output of failed tests). */
export class Timeline {
  readonly events: EngineEvent[] = [];
  readonly push = (e: EngineEvent) => {
    this.events.push(e);
  };
  index(type: EngineEvent['type'], objectPart?: string): number {
    return this.events.findIndex((e) => e.type === type && (!objectPart || ('object' in e && String(e.object).includes(objectPart))));
  }
  at(type: EngineEvent['type'], objectPart?: string): EngineEvent {
    const i = this.index(type, objectPart);
    if (i < 0) throw new Error(`no ${type} event${objectPart ? ` for ${objectPart}` : ''} in:\n${this.render()}`);
    return this.events[i];
  }
  render(): string {
    return this.events.map(formatEvent).join('\n');
  }
}

export { eventually } from '../helpers/kube';

export function envOf(job: KubeObject | undefined, container = 0): Record<string, string> {
  const c = job?.spec?.template?.spec?.containers?.[container];
  return Object.fromEntries((c?.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
}

export const seconds = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

/** Engine options for the test cluster: kwok pods have no logs unless a ClusterLogs names a file, so do not ask for them. */
export const clusterOpts = { logTailLines: 0, pollIntervalMs: 500 };
