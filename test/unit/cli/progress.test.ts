/** The inventory recorded on a forced exit: built from the engine's events, like the runner's at the end. */
import { Progress } from '../../../src/cli/sync-cmd';
import { EngineEvent } from '../../../src/engine';
import { KubeObject } from '../../../src/model';

const ev = (type: 'object.applied' | 'object.pruned' | 'hook.created', key: string): EngineEvent =>
  ({ type, key, object: key, phase: 'Sync', wave: 0, time: '', elapsedMs: 0, operationId: 'op' }) as unknown as EngineEvent;

// cdk8s charts with a namespace set it on cluster-scoped objects too; the runner drops it before applying.
const manifests: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'shop' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', annotations: { 'argocd.argoproj.io/sync-wave': '1' } } },
  { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } } },
];

test('applied objects (cluster-scoped ones without their namespace), previous ones minus the pruned', () => {
  const p = new Progress();
  p.see(ev('object.applied', '/Namespace//shop'));
  p.see(ev('object.applied', 'apps/Deployment/shop/web'));
  p.see(ev('object.pruned', '/ConfigMap/shop/old'));
  p.see(ev('hook.created', 'batch/Job/shop/migrate'));
  const previous = [
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'old' },
    { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'kept' },
  ];
  expect(p.entries(manifests, 'shop', previous)).toEqual([
    { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'kept' },
    { apiVersion: 'v1', kind: 'Namespace', name: 'shop' },
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', annotations: { 'argocd.argoproj.io/sync-wave': '1' } },
  ]);
  expect(p.hookRefs(manifests)).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', namespace: 'shop', name: 'migrate' }]);
});
