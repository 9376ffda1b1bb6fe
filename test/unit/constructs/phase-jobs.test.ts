import { HookJob, PhaseJobProps, PostDeleteJob, PostSyncJob, PreSyncJob, SyncJob } from '../../../src/constructs';
import { container, newChart, only, validationError } from './_helpers';

const props: PhaseJobProps = { image: 'migrate/migrate:v4.17.1', args: ['-path', '/migrations', 'up'] };

describe.each([
  ['PreSyncJob', PreSyncJob, 'PreSync'],
  ['SyncJob', SyncJob, 'Sync'],
  ['PostSyncJob', PostSyncJob, 'PostSync'],
] as const)('%s', (_name, Ctor, phase) => {
  test(`fixes the phase to ${phase} and writes no delete policy by default`, () => {
    const chart = newChart();
    const job = new Ctor(chart, 'job', props);
    expect(job).toBeInstanceOf(HookJob);
    expect(job.phases).toEqual([phase]);
    const m = only(chart);
    expect(m.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': phase });
    expect(m.spec.backoffLimit).toBe(0);
    expect(m.spec.activeDeadlineSeconds).toBe(600);
    expect(m.spec.template.spec.restartPolicy).toBe('Never');
    expect(container(m)).toEqual({ name: 'main', image: 'migrate/migrate:v4.17.1', args: ['-path', '/migrations', 'up'] });
  });

  test('a phase smuggled into the props is ignored', () => {
    const job = new Ctor(newChart(), 'job', { ...props, phase: 'SyncFail' } as PhaseJobProps);
    expect(job.phases).toEqual([phase]);
  });

  test('validates like HookJob', () => {
    const err = validationError(() => new Ctor(newChart(), 'job', { ...props, wave: 2.5 }));
    expect(err.message).toBe('[test/job] wave: must be an integer, got 2.5');
  });
});

describe('PreSyncJob', () => {
  test('the seed migration: PreSync + HookSucceeded, backoffLimit 2', () => {
    const chart = newChart();
    new PreSyncJob(chart, 'db-migration', {
      name: 'db-migration-job',
      image: 'alpine:3.12',
      command: ['/bin/sh', '-c', "echo 'Running Database Migration...'"],
      deletePolicy: 'HookSucceeded',
      backoffLimit: 2,
    });
    expect(only(chart)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'db-migration-job',
        annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' },
      },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 600,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'main', image: 'alpine:3.12', command: ['/bin/sh', '-c', "echo 'Running Database Migration...'"] }],
          },
        },
      },
    });
  });
});

describe('PostDeleteJob', () => {
  test('PostDelete with HookSucceeded by default (otherwise Argo CD leaves it behind)', () => {
    const chart = newChart();
    const job = new PostDeleteJob(chart, 'deregister', { ...props, name: 'deregister' });
    expect(job.phases).toEqual(['PostDelete']);
    expect(job.deletePolicies).toEqual(['HookSucceeded']);
    expect(only(chart).metadata).toEqual({
      name: 'deregister',
      annotations: { 'argocd.argoproj.io/hook': 'PostDelete', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' },
    });
  });

  test('the delete policy can be overridden', () => {
    const job = new PostDeleteJob(newChart(), 'j', { ...props, deletePolicy: ['HookSucceeded', 'HookFailed'] });
    expect(job.deletePolicies).toEqual(['HookSucceeded', 'HookFailed']);
  });

  test('an explicit undefined delete policy still gets the default', () => {
    const job = new PostDeleteJob(newChart(), 'j', { ...props, deletePolicy: undefined });
    expect(job.deletePolicies).toEqual(['HookSucceeded']);
  });

  test('generateName is rejected', () => {
    const err = validationError(() => new PostDeleteJob(newChart(), 'cleanup', { ...props, generateName: 'cleanup-' }));
    expect(err.message).toBe(
      "[test/cleanup] generateName: is not supported on PostDelete hooks (Argo CD creates delete hooks by name); set 'name' or leave both unset",
    );
  });
});
