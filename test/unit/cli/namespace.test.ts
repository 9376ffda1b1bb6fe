/** The namespace of objects without one when --namespace is not given: kubectl's rule (issue 13 item 2). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contextNamespace, resolveDefaultNamespace, usesDefaultNamespace } from '../../../src/cli/namespace';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-ns-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function kubeconfig(name: string, current: string | undefined, contexts: Record<string, string | undefined>): string {
  const file = path.join(dir, name);
  const ctx = Object.entries(contexts).map(([n, ns]) => `  - name: ${n}\n    context:\n      cluster: c\n      user: u${ns ? `\n      namespace: ${ns}` : ''}`);
  fs.writeFileSync(file, `apiVersion: v1\nkind: Config\n${current ? `current-context: ${current}\n` : ''}contexts:\n${ctx.join('\n')}\n`);
  return file;
}

test('--namespace wins', () => {
  expect(resolveDefaultNamespace('team', { kubeconfig: kubeconfig('a', 'x', { x: 'other' }), source: 'flag', description: '' })).toEqual({ name: 'team', source: '--namespace' });
});

test("the current context's namespace, as kubectl", () => {
  const file = kubeconfig('b', 'dev', { prod: 'p', dev: 'apps' });
  expect(resolveDefaultNamespace(undefined, { kubeconfig: file, source: 'flag', description: '' })).toEqual({
    name: 'apps',
    source: 'the namespace of kubeconfig context dev',
  });
});

test('a context without a namespace, or no kubeconfig: default', () => {
  const file = kubeconfig('c', 'dev', { dev: undefined });
  expect(resolveDefaultNamespace(undefined, { kubeconfig: file, source: 'flag', description: '' })).toEqual({
    name: 'default',
    source: "kubectl's default: no --namespace and kubeconfig context dev sets no namespace",
  });
  expect(resolveDefaultNamespace(undefined, undefined).name).toBe('default');
});

test('$KUBECONFIG with several files: the first current-context, the first definition of that context', () => {
  const a = kubeconfig('d1', undefined, { dev: 'from-a' });
  const b = kubeconfig('d2', 'dev', { dev: 'from-b' });
  expect(contextNamespace([a, b])).toEqual({ context: 'dev', namespace: 'from-a' });
  const env = { KUBECONFIG: [a, b].join(path.delimiter) };
  expect(resolveDefaultNamespace(undefined, { source: 'env', description: '' }, env).name).toBe('from-a');
});

test('usesDefaultNamespace: only namespaced objects without a namespace count', () => {
  expect(usesDefaultNamespace([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' } }])).toBe(false);
  expect(usesDefaultNamespace([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }])).toBe(true);
});
