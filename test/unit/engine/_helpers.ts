/** Manifest builders, a fake cluster with a namespace, and an event recorder for engine tests. */
import { EngineEvent } from '../../../src/engine';
import { FakeKubeClient } from '../../support';
import { KubeObject } from '../../../src/model';

export const NS = 'app';

export interface HookOpts {
  phase?: string;
  wave?: number;
  policy?: string;
  generateName?: boolean;
  ns?: string;
  activeDeadlineSeconds?: number;
  containers?: string[];
  initContainers?: string[];
}

export function job(name: string, o: HookOpts = {}): KubeObject {
  const annotations: Record<string, string> = {};
  if (o.phase) annotations['argocd.argoproj.io/hook'] = o.phase;
  if (o.wave !== undefined) annotations['argocd.argoproj.io/sync-wave'] = String(o.wave);
  if (o.policy) annotations['argocd.argoproj.io/hook-delete-policy'] = o.policy;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...(o.generateName ? { generateName: `${name}-` } : { name }), namespace: o.ns ?? NS, annotations },
    spec: {
      backoffLimit: 0,
      ...(o.activeDeadlineSeconds ? { activeDeadlineSeconds: o.activeDeadlineSeconds } : {}),
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: (o.containers ?? ['main']).map((c) => ({ name: c, image: 'busybox', env: [{ name: 'KEEP', value: '1' }] })),
          ...(o.initContainers ? { initContainers: o.initContainers.map((c) => ({ name: c, image: 'busybox' })) } : {}),
        },
      },
    },
  };
}

export function deployment(name: string, o: { wave?: number; replicas?: number; image?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, annotations: o.wave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(o.wave) } : {} },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: o.image ?? 'nginx' }] } },
    },
  };
}

export function configMap(name: string, o: { wave?: number; ns?: string; data?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: o.ns ?? NS, annotations: o.wave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(o.wave) } : {} },
    data: o.data ?? { k: 'v' },
  };
}

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function fakeCluster(): FakeKubeClient {
  const fake = new FakeKubeClient();
  fake.seed(namespace(NS));
  return fake;
}

export class Recorder {
  readonly events: EngineEvent[] = [];
  readonly push = (e: EngineEvent) => {
    this.events.push(e);
  };
  types(): string[] {
    return this.events.map((e) => e.type);
  }
  /** Index of the first event of `type` whose object contains `objectPart` (if given). */
  index(type: EngineEvent['type'], objectPart?: string): number {
    return this.events.findIndex((e) => e.type === type && (!objectPart || ('object' in e && String(e.object).includes(objectPart))));
  }
  of<T extends EngineEvent['type']>(type: T): Extract<EngineEvent, { type: T }>[] {
    return this.events.filter((e) => e.type === type) as Extract<EngineEvent, { type: T }>[];
  }
}

/** Fast engine options for unit tests. */
export const fast = { pollIntervalMs: 20, resyncIntervalMs: 200 };

export function envOf(obj: KubeObject | undefined, container = 0): Record<string, string> {
  const spec = obj?.spec?.template?.spec ?? obj?.spec;
  const c = spec?.containers?.[container];
  return Object.fromEntries((c?.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
}

export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}
