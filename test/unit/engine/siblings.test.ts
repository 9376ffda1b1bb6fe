/** siblingShape: objects that differ only where the API server's checks are syntactic share a key. */
import { KubeObject } from '../../../src/model';
import { namePattern, siblingShape } from '../../../src/engine/siblings';

function deployment(name: string, o: { wave?: number; image?: string; ns?: string; labels?: Record<string, string>; port?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: o.ns ?? 'app', labels: o.labels ?? { tier: 'web' }, annotations: { 'argocd.argoproj.io/sync-wave': String(o.wave ?? 0) } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: o.image ?? 'nginx', ...(o.port ? { ports: [{ name: o.port, containerPort: 80 }] } : {}) }] },
      },
    },
  };
}

test('same template, own name (also as labels and container name), own wave: one shape', () => {
  const a = siblingShape(deployment('w0-web-01', { wave: 0 }));
  expect(a).toBeDefined();
  expect(siblingShape(deployment('w7-api-93', { wave: 7, labels: { tier: 'api' } }))).toBe(a);
});

test.each<[string, KubeObject]>([
  ['another image', deployment('w7-api-93', { image: 'httpd' })],
  ['another namespace', deployment('w7-api-93', { ns: 'other' })],
  ['a longer name', deployment('w7-api-931')],
  ['a digit where the other has a letter', deployment('w7-ap1-93')],
  ['another label key', deployment('w7-api-93', { labels: { role: 'web' } })],
  ['a selector that is not its own name', { ...deployment('w7-api-93'), spec: { ...deployment('w7-api-93').spec, selector: { matchLabels: { app: 'w0-web-01' } } } }],
])('a different shape: %s', (_, other) => {
  expect(siblingShape(other)).not.toBe(siblingShape(deployment('w0-web-01')));
});

test('names of one length and class pattern: a rule on length or characters holds for all or none', () => {
  expect(namePattern('w0-web-01')).toBe('a0-aaa-00');
  expect(namePattern('my.app-2')).toBe('aa.aaa-0');
  // A port name named after the object must have a letter: '12-34' has none, 'a1-34' has one.
  expect(siblingShape(deployment('a1-34', { port: 'a1-34' }))).not.toBe(siblingShape(deployment('12-34', { port: '12-34' })));
});

test.each<[string, KubeObject]>([
  ['a kind whose validation may look at anything (a custom resource)', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'app' }, spec: {} }],
  ['a Service (the server allocates its ports)', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'app' }, spec: { ports: [{ port: 80 }] } }],
  ['metadata beyond name, namespace, labels, annotations', { ...deployment('d'), metadata: { ...deployment('d').metadata, finalizers: ['x/y'] } }],
  ['a name that is not a DNS subdomain', deployment('Not_A_Name')],
  ['a label value the server refuses', deployment('d', { labels: { tier: 'not a label value' } })],
  ['an annotation key the server refuses', { ...deployment('d'), metadata: { ...deployment('d').metadata, annotations: { 'bad key!': 'x' } } }],
])('not judged by shape: %s', (_, obj) => {
  expect(siblingShape(obj)).toBeUndefined();
});

test('what the caller says must be equal is part of the key', () => {
  expect(siblingShape(deployment('d1'), 'create')).not.toBe(siblingShape(deployment('d2'), 'apply'));
  expect(siblingShape(deployment('d1'), 'create')).toBe(siblingShape(deployment('d2'), 'create'));
});
