/** Only the values of Secrets leave the manifest list (for a secret input); the diff still names everything else. */
import { changedFields } from '../../../src/pulumi/runtime';
import { mergeSecretData, splitSecretData, WITHHELD_VALUE } from '../../../src/pulumi/secret-data';
import { ChartOutputs } from '../../../src/pulumi/inputs';
import { KubeObject } from '../../../src/model';

const chart = (password: string, replicas = 1): KubeObject[] => [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'app' }, data: { replicas: String(replicas) } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'app' }, data: { token: 'dG9rZW4=' }, stringData: { password } },
  { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 'not-core', namespace: 'app' }, data: { x: 'y' } },
];

test('split: Secret values move out, keys stay with a placeholder; other objects (and non-core "Secret" kinds) are untouched', () => {
  const { manifests, secretData } = splitSecretData(chart('hunter2'));
  expect(JSON.stringify(manifests)).not.toContain('hunter2');
  expect(JSON.stringify(manifests)).not.toContain('dG9rZW4=');
  expect(manifests[1]).toEqual({ ...chart('x')[1], data: { token: WITHHELD_VALUE }, stringData: { password: WITHHELD_VALUE } });
  expect(manifests[0]).toEqual(chart('x')[0]);
  expect(manifests[2]).toEqual(chart('x')[2]);
  expect(secretData).toEqual({ 1: { data: { token: 'dG9rZW4=' }, stringData: { password: 'hunter2' } } });
  expect(mergeSecretData(manifests, secretData)).toEqual(chart('hunter2'));
});

test('merge without secretData (a state from before it existed) is the identity', () => {
  expect(mergeSecretData(chart('p'), undefined)).toEqual(chart('p'));
});

function state(c: KubeObject[]): ChartOutputs {
  const s = splitSecretData(c);
  return { appName: 'app', manifests: s.manifests, secretData: s.secretData, prune: true, runHooks: 'on-change', objects: [], hooks: [], lastSync: { operation: 'sync', status: 'Succeeded', time: '', durationMs: 0 } };
}

test('diff: a changed password changes secretData only; a changed ConfigMap changes manifests only', () => {
  const old = state(chart('a'));
  const pw = state(chart('b'));
  expect(changedFields(old, pw).filter((f) => f !== 'objects')).toEqual(['secretData']);
  const cm = state(chart('a', 2));
  expect(changedFields(old, cm).filter((f) => f !== 'objects')).toEqual(['manifests']);
});

test('diff: a state without appName (written by the native plugin, moved here by alias) is not a change; a different stored name is', () => {
  const now = state(chart('a'));
  const { appName: _drop, ...fromPlugin } = now;
  void _drop;
  expect(changedFields(fromPlugin as ChartOutputs, now).filter((f) => f !== 'objects')).toEqual([]);
  expect(changedFields({ ...now, appName: 'old-name' }, now).filter((f) => f !== 'objects')).toEqual(['appName']);
});

test('diff: a state without the dynamic provider code (the plugin wrote it) is only "adopted", which update takes over without a sync', () => {
  const now = { ...state(chart('a')), __provider: 'code' } as ChartOutputs & { __provider: string };
  const { __provider: _code, ...fromPlugin } = now;
  void _code;
  expect(changedFields(fromPlugin as ChartOutputs, now).filter((f) => f !== 'objects')).toEqual(['adopted']);
  expect(changedFields(now, now).filter((f) => f !== 'objects')).toEqual([]);
});
