import {
  SYNC_FAIL_ENV_VARS,
  SYNC_HOOKS_FAILED_OBJECT,
  SYNC_HOOKS_FAILED_PHASE,
  SYNC_HOOKS_FAILURE_MESSAGE,
  SyncFailHook,
  SyncFailHookProps,
} from '../../../src/constructs';
import { container, envOf, newChart, only, validationError } from './_helpers';

const slack = { webhookUrl: { secretName: 'slack', key: 'url' } };

test('the engine env var names are exported', () => {
  expect(SYNC_HOOKS_FAILED_PHASE).toBe('SYNC_HOOKS_FAILED_PHASE');
  expect(SYNC_HOOKS_FAILED_OBJECT).toBe('SYNC_HOOKS_FAILED_OBJECT');
  expect(SYNC_HOOKS_FAILURE_MESSAGE).toBe('SYNC_HOOKS_FAILURE_MESSAGE');
  expect(SYNC_FAIL_ENV_VARS).toEqual(['SYNC_HOOKS_FAILED_PHASE', 'SYNC_HOOKS_FAILED_OBJECT', 'SYNC_HOOKS_FAILURE_MESSAGE']);
});

describe('SyncFailHook, alert mode', () => {
  test('manifest: SyncFail, no delete policy (kept until the next failure), notifier deadline and retries', () => {
    const chart = newChart();
    const hook = new SyncFailHook(chart, 'alert', { appName: 'shop', slack });
    const m = only(chart);
    expect(hook.phases).toEqual(['SyncFail']);
    expect(hook.deletePolicies).toEqual([]);
    expect(m.metadata).toEqual({ name: hook.name, annotations: { 'argocd.argoproj.io/hook': 'SyncFail' } });
    expect(m.spec.activeDeadlineSeconds).toBe(120);
    expect(m.spec.backoffLimit).toBe(1);
    expect(container(m).name).toBe('notify');
    expect(envOf(m).NOTIFY_MESSAGE).toBe('shop: sync failed');
    // The engine sets these at run time; the manifest does not.
    for (const v of SYNC_FAIL_ENV_VARS) expect(envOf(m)).not.toHaveProperty([v]);
  });
  // Delivery (failure details appended, plain Argo CD, webhook phase) runs with the real curl in notifiers-curl.test.ts.
});

describe('SyncFailHook, run mode', () => {
  test('runs the given image with HookJob defaults', () => {
    const chart = newChart();
    new SyncFailHook(chart, 'undo', {
      name: 'restore-snapshot',
      image: 'registry.local/db-tools:1.4',
      command: ['restore'],
      args: ['--latest'],
      deletePolicy: 'HookSucceeded',
      env: { DB_HOST: 'db' },
    });
    expect(only(chart)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'restore-snapshot',
        annotations: { 'argocd.argoproj.io/hook': 'SyncFail', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' },
      },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: 600,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'main',
                image: 'registry.local/db-tools:1.4',
                command: ['restore'],
                args: ['--latest'],
                env: [{ name: 'DB_HOST', value: 'db' }],
              },
            ],
          },
        },
      },
    });
  });
});

describe('SyncFailHook validation', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['neither image nor a channel', {}, 'image: is required unless one of slack, webhook, email, pagerduty, teams is set'],
    [
      'command with a channel',
      { slack, command: ['sh'] },
      'command: cannot be combined with a notification channel (slack, webhook, email, pagerduty, teams: the notification sets the command)',
    ],
    [
      'an engine env var in env',
      { image: 'x', env: { SYNC_HOOKS_FAILURE_MESSAGE: 'x' } },
      'env.SYNC_HOOKS_FAILURE_MESSAGE: is set by the sync-hooks engine at run time',
    ],
    [
      'inline Slack URL',
      { slack: { webhookUrl: 'https://hooks.slack.com/x' } },
      'slack.webhookUrl: must be a Secret key reference { secretName, key }, not an inline value: store the webhook URL in a Secret and reference it',
    ],
    ['non-integer wave', { image: 'x', wave: 'high' }, 'wave: must be an integer, got "high"'],
  ];
  test.each(cases)('%s', (_title, props, message) => {
    const err = validationError(() => new SyncFailHook(newChart(), 'fail', props as unknown as SyncFailHookProps));
    expect(err.message).toBe(`[test/fail] ${message}`);
  });
});
