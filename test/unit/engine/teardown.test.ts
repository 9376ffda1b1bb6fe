import { TeardownFailedError, runTeardown } from '../../../src/engine';
import { completeJob, failJob } from '../../support';
import { KubeObject } from '../../../src/model';
import { planTeardown } from '../../../src/plan';
import { NS, Recorder, configMap, deployment, fakeCluster, fast, job } from './_helpers';

function app(): KubeObject[] {
  return [
    configMap('settings', { wave: 0 }),
    deployment('web', { wave: 1 }),
    configMap('late', { wave: 2 }),
    job('backup', { phase: 'PreDelete', wave: 0, policy: 'HookSucceeded' }),
    job('drain', { phase: 'PreDelete', wave: 1 }),
    job('goodbye', { phase: 'PostDelete', policy: 'HookSucceeded' }),
  ];
}

function seedManaged(fake: ReturnType<typeof fakeCluster>, objects: KubeObject[]): void {
  for (const o of objects) if (!o.metadata.annotations?.['argocd.argoproj.io/hook']) fake.seed(o);
}

test('teardown order: PreDelete waves (gated) → managed objects by reverse wave, each wave gone first → PostDelete → cleanup', async () => {
  const fake = fakeCluster();
  fake.deletionDelayMs = 20;
  fake.react({ name: 'backup' }, completeJob(20));
  seedManaged(fake, app());
  const rec = new Recorder();
  const result = await runTeardown(fake, planTeardown(app(), { defaultNamespace: NS }), { ...fast, onEvent: rec.push });

  const seq = (verb: 'apply' | 'delete' | 'removed' | 'status', id: string) => fake.seqOf(verb, id);
  // PreDelete wave 0 completed before wave 1 started.
  expect(seq('apply', 'Job/app/drain')).toBeGreaterThan(fake.entries('status', 'Job/app/backup')[0].seq);
  // Nothing deleted before the PreDelete hooks completed.
  expect(seq('delete', 'ConfigMap/app/late')).toBeGreaterThan(fake.entries('status', 'Job/app/drain')[0].seq);
  // Highest wave first, each wave gone before the next.
  expect(seq('removed', 'ConfigMap/app/late')).toBeLessThan(seq('delete', 'Deployment/app/web'));
  expect(seq('removed', 'Deployment/app/web')).toBeLessThan(seq('delete', 'ConfigMap/app/settings'));
  // PostDelete after everything is gone.
  expect(seq('apply', 'Job/app/goodbye')).toBeGreaterThan(seq('removed', 'ConfigMap/app/settings'));
  expect(fake.entries('delete', 'ConfigMap/app/late')[0].detail).toBe('Foreground');

  expect(rec.of('phase.started').map((e) => e.phase)).toEqual(['PreDelete', 'Delete', 'PostDelete']);
  expect(rec.of('wave.started').map((e) => `${e.phase}/${e.wave}`)).toEqual(['PreDelete/0', 'PreDelete/1', 'Delete/2', 'Delete/1', 'Delete/0', 'PostDelete/0']);
  expect(result.deleted.map((k) => k.name)).toEqual(['late', 'web', 'settings']);
  // Cleanup by policy: HookSucceeded hooks deleted; the one without a policy is left (Argo CD).
  const jobs = fake.objects({ kind: 'Job' }).map((j) => j.metadata.name);
  expect(jobs).toEqual(['drain']);
  expect(rec.of('object.deleted').filter((e) => e.reason === 'HookSucceeded').map((e) => e.object).sort()).toEqual(['Job app/backup', 'Job app/goodbye']);
  expect(rec.types().at(-1)).toBe('operation.succeeded');
  fake.dispose();
});

test('a failed PreDelete hook stops the teardown before anything is deleted; the failed hook is left for inspection', async () => {
  const fake = fakeCluster();
  fake.react({ name: 'backup' }, failJob({ exitCode: 4, message: 'bucket unreachable' }));
  seedManaged(fake, app());
  const err = await runTeardown(fake, planTeardown(app(), { defaultNamespace: NS }), fast).catch((e) => e);
  expect(err).toBeInstanceOf(TeardownFailedError);
  expect(err).toMatchObject({ reason: 'HookFailed', phase: 'PreDelete', wave: 0, object: 'Job app/backup' });
  expect(err.containers[0]).toMatchObject({ exitCode: 4, message: 'bucket unreachable' });
  expect(err.message).toContain('Nothing was deleted.');
  expect(fake.entries('delete')).toEqual([]);
  expect(fake.entries('apply', 'Job/app/drain')).toHaveLength(0);
  expect(fake.objects({ kind: 'ConfigMap' })).toHaveLength(2);
  expect(fake.objects({ name: 'backup' })).toHaveLength(1);
  expect(err.result.deleted).toEqual([]);
  fake.dispose();
});

test('a failed PreDelete hook with HookFailed is deleted; a re-run retries it (BeforeHookCreation)', async () => {
  const objs = [configMap('settings'), job('backup', { phase: 'PreDelete', policy: 'HookFailed,BeforeHookCreation' })];
  const fake = fakeCluster();
  fake.seed(configMap('settings'));
  fake.react({ name: 'backup' }, failJob());
  await expect(runTeardown(fake, planTeardown(objs, { defaultNamespace: NS }), fast)).rejects.toThrow(TeardownFailedError);
  expect(fake.objects({ name: 'backup' })).toHaveLength(0);

  fake.react({ name: 'backup' }, completeJob());
  const r = await runTeardown(fake, planTeardown(objs, { defaultNamespace: NS }), fast);
  expect(r.deleted.map((k) => k.name)).toEqual(['settings']);
  fake.dispose();
});

test('a failed PostDelete hook fails the teardown after the deletion; its HookFailed hooks are deleted', async () => {
  const objs = [configMap('settings'), job('goodbye', { phase: 'PostDelete', policy: 'HookFailed' })];
  const fake = fakeCluster();
  fake.seed(configMap('settings'));
  fake.react({ name: 'goodbye' }, failJob());
  const err = await runTeardown(fake, planTeardown(objs, { defaultNamespace: NS }), fast).catch((e) => e);
  expect(err).toMatchObject({ reason: 'HookFailed', phase: 'PostDelete' });
  expect(err.result.deleted.map((k: any) => k.name)).toEqual(['settings']);
  expect(fake.objects({ name: 'goodbye' })).toHaveLength(0);
  fake.dispose();
});

test('objects already gone, or of kinds no longer served, count as deleted', async () => {
  const fake = fakeCluster();
  const cr: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: NS } };
  const r = await runTeardown(fake, planTeardown([configMap('never-created'), cr], { defaultNamespace: NS }), fast);
  expect(r.deleted.map((k) => k.name).sort()).toEqual(['never-created', 'w']);
  fake.dispose();
});

test('a Namespace is deleted only once the other objects of its delete wave are gone, as the plan lists it (issue 13 item 4)', async () => {
  const fake = fakeCluster();
  fake.deletionDelayMs = 30;
  const objs: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, configMap('a'), deployment('web')].map((o) =>
    o.kind === 'Namespace' ? o : { ...o, metadata: { ...o.metadata, namespace: 'team' } },
  );
  for (const o of objs) fake.seed(o);
  const plan = planTeardown(objs);
  expect(plan.deleteWaves).toHaveLength(1);
  await runTeardown(fake, plan, fast);
  expect(fake.seqOf('delete', 'Namespace//team')).toBeGreaterThan(fake.seqOf('removed', 'ConfigMap/team/a'));
  expect(fake.seqOf('delete', 'Namespace//team')).toBeGreaterThan(fake.seqOf('removed', 'Deployment/team/web'));
  fake.dispose();
});
