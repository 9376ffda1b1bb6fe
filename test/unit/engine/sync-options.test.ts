/** How managed objects are written per their sync options (issue 13 item 6), on the fake cluster. */
import { ClusterValidationError, runSync } from '../../../src/engine';
import { KubeObject } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { NS, configMap, fakeCluster, fast } from './_helpers';

const withOptions = (o: KubeObject, v: string): KubeObject => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, 'argocd.argoproj.io/sync-options': v } } });
const plan = (objs: KubeObject[]) => planSync(objs, { defaultNamespace: NS });

test('Replace=true: create when absent, PUT at the live resourceVersion when present (no apply)', async () => {
  const fake = fakeCluster();
  const cm = withOptions(configMap('r', { data: { v: '1' } }), 'Replace=true');
  await runSync(fake, plan([cm]), fast);
  expect(fake.entries('create', 'ConfigMap/app/r')).toHaveLength(1);
  const rv = fake.objects({ name: 'r' })[0].metadata.resourceVersion;
  await runSync(fake, plan([{ ...cm, data: { v: '2' } }]), fast);
  const put = fake.entries('replace', 'ConfigMap/app/r');
  expect(put).toHaveLength(1);
  expect((put[0].detail as KubeObject).metadata.resourceVersion).toBe(rv);
  expect(fake.entries('apply', 'ConfigMap/app/r')).toHaveLength(0);
  expect(fake.objects({ name: 'r' })[0].data).toEqual({ v: '2' });
  fake.dispose();
});

test('Replace=true,Force=true: delete and re-create (a new uid), with a warning', async () => {
  const fake = fakeCluster();
  const cm = withOptions(configMap('f'), 'Replace=true,Force=true');
  fake.seed(configMap('f'));
  const uid = fake.objects({ name: 'f' })[0].metadata.uid;
  const r = await runSync(fake, plan([cm]), fast);
  expect(fake.seqOf('delete', 'ConfigMap/app/f')).toBeLessThan(fake.seqOf('create', 'ConfigMap/app/f'));
  expect(fake.objects({ name: 'f' })[0].metadata.uid).not.toBe(uid);
  expect(r.warnings.some((w) => w.includes('ConfigMap app/f: deleted and re-created (Replace=true,Force=true)'))).toBe(true);
  fake.dispose();
});

test('Replace=true on a Namespace updates it, never re-creates it (gitops-engine applyObject)', async () => {
  const fake = fakeCluster();
  const ns: KubeObject = withOptions({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, 'Replace=true,Force=true');
  fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  await runSync(fake, planSync([ns]), fast);
  expect(fake.entries('delete', 'Namespace//team')).toHaveLength(0);
  expect(fake.entries('replace', 'Namespace//team')).toHaveLength(1);
  fake.dispose();
});

test('Force=true without Replace: apply; when the server refuses the change (422), delete and re-create', async () => {
  const fake = fakeCluster();
  fake.seed(configMap('imm'));
  fake.failOn('apply', { name: 'imm' }, 'field is immutable', { times: 2 }); // the dry run and the apply
  const r = await runSync(fake, plan([withOptions(configMap('imm', { data: { v: 'new' } }), 'Force=true')]), fast);
  expect(fake.seqOf('delete', 'ConfigMap/app/imm')).toBeGreaterThan(0);
  expect(fake.objects({ name: 'imm' })[0].data).toEqual({ v: 'new' });
  expect(r.warnings.some((w) => w.includes('Force=true: the server refused the change'))).toBe(true);
  fake.dispose();
});

test('without Force, the same 422 fails validation before anything is written', async () => {
  const fake = fakeCluster();
  fake.seed(configMap('imm'));
  fake.failOn('apply', { name: 'imm' }, 'field is immutable', { times: 1, dryRun: true });
  await expect(runSync(fake, plan([configMap('imm', { data: { v: 'new' } })]), fast)).rejects.toBeInstanceOf(ClusterValidationError);
  expect(fake.entries('delete')).toEqual([]);
  fake.dispose();
});

test('SkipDryRunOnMissingResource=true: a kind not served is not a validation error (a warning); without it, it is', async () => {
  const cr: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: NS } };
  const fake = fakeCluster();
  await expect(runSync(fake, plan([cr]), fast)).rejects.toThrow(/kind Widget is not served/);
  const fake2 = fakeCluster();
  const p = plan([withOptions(cr, 'SkipDryRunOnMissingResource=true'), configMap('c')]);
  // Validation passes; the apply itself then fails because the kind is still not served.
  const err = await runSync(fake2, p, fast).catch((e) => e);
  expect(err).not.toBeInstanceOf(ClusterValidationError);
  expect(err).toMatchObject({ reason: 'ApplyFailed' });
  fake.dispose();
  fake2.dispose();
});
