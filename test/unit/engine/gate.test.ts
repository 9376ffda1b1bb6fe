import { ListQuery, WatchEventType, WatchHandle, runSync } from '../../../src/engine';
import { FakeKubeClient, readyWorkload } from '../../support';
import { KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { NS, configMap, deployment, fast, namespace } from './_helpers';

/**
 * A fake cluster whose Deployment watches deliver, right after opening, one late event from
 * before the last apply: the old spec, fully rolled out (as an informer lagging behind would).
 */
class LateEventCluster extends FakeKubeClient {
  private stale?: KubeObject;

  override async apply(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const before = obj.kind === 'Deployment' && !opts.dryRun ? this.peek({ apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name! }) : undefined;
    const live = await super.apply(obj, opts);
    if (before) this.stale = before;
    return live;
  }

  override watch(query: ListQuery, onEvent: (type: WatchEventType, obj: KubeObject) => void, onClose: (err?: unknown) => void, onOpen?: () => void): WatchHandle {
    const handle = super.watch(query, onEvent, onClose, onOpen);
    const stale = query.kind === 'Deployment' ? this.stale : undefined;
    if (stale) queueMicrotask(() => onEvent('MODIFIED', structuredClone(stale)));
    return handle;
  }
}

test('the wave gate waits for the generation our apply returned: a late event from before the apply does not open it', async () => {
  const fake = new LateEventCluster();
  fake.seed(namespace(NS));
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'web' };
  // Rolled out at generation 1.
  fake.seed(deployment('web', { wave: 0, image: 'web:1' }));
  fake.setStatus(ref, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] });
  // The new spec (generation 2) rolls out 150 ms after the apply.
  fake.react({ kind: 'Deployment' }, readyWorkload(150));
  let observedWhenWave1Started: number | undefined;
  fake.react({ kind: 'ConfigMap' }, (_cm, f) => {
    observedWhenWave1Started = f.peek(ref)?.status?.observedGeneration;
  });
  try {
    const plan = planSync([deployment('web', { wave: 0, image: 'web:2' }), configMap('after', { wave: 1 })], { defaultNamespace: NS });
    await runSync(fake, plan, fast);
    expect(fake.peek(ref)?.metadata.generation).toBe(2);
    // Wave 1 started only once the controller had observed generation 2.
    expect(observedWhenWave1Started).toBe(2);
  } finally {
    fake.dispose();
  }
});

/** Counts the reads (GET) of each kind, and every watch opened. */
class CountingCluster extends FakeKubeClient {
  readonly gets = new Map<string, number>();
  readonly watched: string[] = [];
  override async get(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): Promise<KubeObject | undefined> {
    this.gets.set(ref.kind, (this.gets.get(ref.kind) ?? 0) + 1);
    return super.get(ref);
  }
  override watch(query: ListQuery, onEvent: (type: WatchEventType, obj: KubeObject) => void, onClose: (err?: unknown) => void, onOpen?: () => void): WatchHandle {
    this.watched.push(query.kind);
    return super.watch(query, onEvent, onClose, onOpen);
  }
}

test('the gate takes an object the apply response already shows ready (a ConfigMap) as ready: no read, no watch', async () => {
  const fake = new CountingCluster();
  fake.seed(namespace(NS));
  fake.react({ kind: 'Deployment' }, readyWorkload(30));
  const events: string[] = [];
  try {
    const plan = planSync([configMap('a', { wave: 0 }), configMap('b', { wave: 0 }), deployment('web', { wave: 0 }), configMap('after', { wave: 1 })], { defaultNamespace: NS });
    await runSync(fake, plan, { ...fast, onEvent: (e) => events.push(`${e.type} ${'object' in e ? e.object : ''}`) });
    // Wave 0 is gated (two steps): both ConfigMaps are ready at once, the Deployment is awaited.
    expect(events).toEqual(expect.arrayContaining(['object.ready ConfigMap app/a', 'object.ready ConfigMap app/b', 'object.ready Deployment app/web']));
    expect(fake.gets.get('ConfigMap') ?? 0).toBe(0);
    expect(fake.watched).not.toContain('ConfigMap');
    expect(fake.gets.get('Deployment')).toBeGreaterThan(0);
    // Wave 1 started only after the Deployment was ready.
    expect(events.indexOf('object.ready Deployment app/web')).toBeLessThan(events.findIndex((e) => e.startsWith('object.applied ConfigMap app/after')));
  } finally {
    fake.dispose();
  }
});
