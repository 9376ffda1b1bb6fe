/** (h) The Helm chart is generated from the engine's object list and means the same to the engine's parser. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { configMap, job } from '../../../src/bench/charts';
import { helmCompareChart, toHelmObject, writeHelmChart } from '../../../src/bench/helm-chart';
import { parseHookInfo } from '../../../src/model';

const shape = { configMaps: 3, deployments: 2, hookWaves: 2, hooksPerWave: 2, hookRunDuration: '1s' };

describe('helm chart from the object list', () => {
  const objects = helmCompareChart('ns1', shape, 1);

  test('the chart has the shape asked for: hooks per phase and wave, managed objects', () => {
    const hooks = objects.map((o) => ({ o, info: parseHookInfo(o) })).filter((x) => x.info.isHook);
    expect(hooks.map((x) => `${x.info.phases.join()}/${x.info.wave}`).sort()).toEqual(
      ['PostSync/0', 'PostSync/0', 'PostSync/1', 'PostSync/1', 'PreSync/0', 'PreSync/0', 'PreSync/1', 'PreSync/1'],
    );
    expect(objects.filter((o) => o.kind === 'ConfigMap')).toHaveLength(3);
    expect(objects.filter((o) => o.kind === 'Deployment')).toHaveLength(2);
  });

  test('each converted object has Helm annotations only, no namespace, and the same phases, weight and delete policies for the engine', () => {
    for (const o of objects) {
      const h = toHelmObject(o);
      expect(h.metadata.namespace).toBeUndefined();
      expect(Object.keys(h.metadata.annotations ?? {}).filter((k) => k.startsWith('argocd.argoproj.io/'))).toEqual([]);
      const before = parseHookInfo(o);
      const after = parseHookInfo(h);
      expect(after.problems).toEqual([]);
      expect({ isHook: after.isHook, phases: after.phases, wave: after.wave, deletePolicies: after.deletePolicies }).toEqual({
        isHook: before.isHook,
        phases: before.phases,
        wave: before.wave,
        deletePolicies: before.deletePolicies,
      });
      if (before.isHook) {
        expect(h.metadata.annotations?.['helm.sh/hook']).toBe(before.phases[0] === 'PreSync' ? 'pre-install,pre-upgrade' : 'post-install,post-upgrade');
        expect(h.metadata.annotations?.['helm.sh/hook-weight']).toBe(String(before.wave));
        expect(h.metadata.annotations?.['helm.sh/hook-delete-policy']).toBe('before-hook-creation');
      }
      expect(h.spec).toEqual(o.spec);
      expect(h.data).toEqual(o.data);
    }
  });

  test('explicit delete policies are carried over', () => {
    const o = job('ns1', 'j', { hook: 'PostSync', wave: 3, runDuration: '1s' });
    o.metadata.annotations!['argocd.argoproj.io/hook-delete-policy'] = 'HookSucceeded,BeforeHookCreation';
    expect(toHelmObject(o).metadata.annotations?.['helm.sh/hook-delete-policy']).toBe('hook-succeeded,before-hook-creation');
  });

  test('the upgrade revision changes every ConfigMap and every pod template', () => {
    const next = helmCompareChart('ns1', shape, 2);
    for (const [a, b] of objects.map((o, i) => [o, next[i]])) {
      if (a.kind === 'ConfigMap') expect(b.data).not.toEqual(a.data);
      if (a.kind === 'Deployment') expect(b.spec.template).not.toEqual(a.spec.template);
      if (a.kind === 'Job') expect(b).toEqual(a);
    }
  });

  test('writeHelmChart writes Chart.yaml and one template per object that parses back to the converted object', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-chart-test-'));
    try {
      writeHelmChart(dir, 'bench-h', '0.1.0', objects);
      expect(parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8'))).toEqual({ apiVersion: 'v2', name: 'bench-h', version: '0.1.0', type: 'application' });
      const files = fs.readdirSync(path.join(dir, 'templates')).sort();
      expect(files).toHaveLength(objects.length);
      expect(files.map((f) => parse(fs.readFileSync(path.join(dir, 'templates', f), 'utf8')))).toEqual(objects.map(toHelmObject));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('what Helm cannot express is refused, naming the object and the field', () => {
    expect(() => toHelmObject(job('ns1', 'sync-hook', { hook: 'Sync', wave: 0, runDuration: '1s' }))).toThrow(
      'Job ns1/sync-hook: metadata.annotations["argocd.argoproj.io/hook"]: Sync has no Helm equivalent',
    );
    expect(() => toHelmObject(configMap('ns1', 'late', 2))).toThrow('ConfigMap ns1/late: metadata.annotations["argocd.argoproj.io/sync-wave"]: Helm has no waves for non-hook objects');
    const templated = configMap('ns1', 'tpl');
    templated.data = { x: '{{ .Values.x }}' };
    expect(() => toHelmObject(templated)).toThrow('ConfigMap ns1/tpl: contains "{{"');
  });
});
