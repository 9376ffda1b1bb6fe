import * as path from 'node:path';
import { helmHooks, helmTemplateOpts, isHelmHook } from '../../../src/interop';
import { KubeObject } from '../../../src/model';

describe('helmTemplateOpts', () => {
  test('a local chart directory is sent as path (parent) + chart (base name), like helm.v3.Chart', () => {
    expect(helmTemplateOpts({ chart: '/charts/app', releaseName: 'rel', namespace: 'ns', values: { a: 1 } })).toEqual({
      release_name: 'rel',
      values: { a: 1 },
      namespace: 'ns',
      path: '/charts',
      chart: 'app',
    });
    expect(helmTemplateOpts({ chart: './app', releaseName: 'r' })).toMatchObject({ path: path.resolve('.'), chart: 'app', values: {} });
  });

  test('a chart reference keeps version and repository', () => {
    expect(helmTemplateOpts({ chart: 'nginx', releaseName: 'r', version: '1.2.3', repo: 'https://charts.example' })).toEqual({
      release_name: 'r',
      values: {},
      chart: 'nginx',
      version: '1.2.3',
      fetch_opts: { repo: 'https://charts.example' },
    });
  });
});

test('helmHooks keeps only objects with a helm.sh/hook annotation', () => {
  const mk = (name: string, ann?: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations: ann as Record<string, string> } });
  const objs = [mk('a'), mk('b', { 'helm.sh/hook': 'pre-install' }), mk('c', { 'helm.sh/hook': ' ' }), mk('d', { 'argocd.argoproj.io/hook': 'PreSync' })];
  expect(helmHooks(objs).map((o) => o.metadata.name)).toEqual(['b']);
  expect(isHelmHook(objs[2])).toBe(false);
});
