/** The examples in docs/constructs.md, kept compiling and valid. */
import { KubeObject, parseHookInfo } from '../../../src/model';
import {
  HookJob,
  PostDeleteJob,
  PostgresBackup,
  PostSyncJob,
  PostSyncNotifier,
  PreDeleteBackup,
  PreSyncJob,
  SyncFailHook,
} from '../../../src/constructs';
import { newChart } from './_helpers';

test('every example in docs/constructs.md synthesizes with valid Argo CD annotations', () => {
  const chart = newChart('shop');
  new HookJob(chart, 'seed-cache', {
    phase: ['PreSync', 'PostSync'],
    wave: -1,
    deletePolicy: ['BeforeHookCreation', 'HookSucceeded'],
    image: 'registry.example.com/tools:2.3',
    command: ['seed-cache'],
    env: {
      MODE: 'warm',
      REDIS_PASSWORD: { secretKeyRef: { secretName: 'redis', key: 'password' } },
      LOG_LEVEL: { configMapKeyRef: { configMapName: 'shop-config', key: 'logLevel' } },
      POD_NAMESPACE: { fieldPath: 'metadata.namespace' },
    },
    serviceAccountName: 'cache-seeder',
  });
  new PreSyncJob(chart, 'db-migrate', {
    name: 'db-migrate',
    image: 'registry.example.com/shop-migrations:1.8.0',
    args: ['up'],
    envFrom: [{ secretName: 'shop-db' }],
    deletePolicy: 'HookSucceeded',
  });
  new PostSyncJob(chart, 'smoke-test', {
    image: 'curlimages/curl:8.11.1',
    command: ['curl', '-fsS', 'http://web.shop.svc/healthz'],
    backoffLimit: 2,
  });
  new PostDeleteJob(chart, 'deregister', {
    name: 'shop-deregister',
    image: 'registry.example.com/tools:2.3',
    command: ['deregister', '--service', 'shop'],
    env: { API_TOKEN: { secretKeyRef: { secretName: 'registry-api', key: 'token' } } },
  });
  new PostSyncNotifier(chart, 'slack-notification', {
    appName: 'shop',
    message: '{app} 1.8.0 is live',
    slack: { webhookUrl: { secretName: 'slack-webhook', key: 'url' }, channel: '#deploys' },
  });
  new PostSyncNotifier(chart, 'deploy-webhook', {
    appName: 'shop',
    webhook: {
      url: { secretName: 'deploy-hook', key: 'url' },
      headers: { 'X-Env': 'prod' },
      secretHeaders: { Authorization: { secretName: 'deploy-hook', key: 'authorization' } },
      fields: { cluster: 'eu-1' },
    },
  });
  new PostSyncNotifier(chart, 'email', {
    appName: 'shop',
    email: {
      smtpHost: 'smtp.example.com',
      username: 'argocd@example.com',
      password: { secretName: 'smtp', key: 'password' },
      from: 'argocd@example.com',
      to: ['ops@example.com'],
    },
  });
  const pagerduty = { routingKey: { secretName: 'pagerduty', key: 'routing-key' }, severity: 'critical' as const };
  new SyncFailHook(chart, 'page-oncall', { appName: 'shop', pagerduty });
  new PostSyncNotifier(chart, 'resolve-page', { appName: 'shop', pagerduty });
  new PostSyncNotifier(chart, 'teams', { appName: 'shop', teams: { webhookUrl: { secretName: 'teams-workflow', key: 'url' } } });
  new SyncFailHook(chart, 'failure-alert', {
    appName: 'shop',
    slack: { webhookUrl: { secretName: 'slack-webhook', key: 'url' }, channel: '#oncall' },
  });
  new SyncFailHook(chart, 'restore', {
    name: 'shop-restore-snapshot',
    image: 'registry.example.com/db-tools:1.4',
    command: ['restore-snapshot', '--latest'],
    envFrom: [{ secretName: 'shop-db' }],
  });
  new PreDeleteBackup(chart, 'files-backup', {
    name: 'shop-files-backup',
    image: 'alpine:3.20',
    command: ['/bin/sh', '-c', 'tar czf "$BACKUP_DIR/uploads-$(date +%s).tgz" -C /data .'],
    claimName: 'shop-backups',
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'shop-uploads', readOnly: true } }],
    volumeMounts: [{ volume: 'data', mountPath: '/data', readOnly: true }],
  });
  new PostgresBackup(chart, 'final-backup', {
    name: 'shop-final-backup',
    claimName: 'shop-backups',
    connection: { secretName: 'shop-db' },
  });

  const objs: KubeObject[] = chart.toJson();
  expect(objs).toHaveLength(14);
  const phases = objs.map((o) => {
    const info = parseHookInfo(o);
    expect(info.problems).toEqual([]);
    return info.phases.join(',');
  });
  expect(phases).toEqual([
    'PreSync,PostSync',
    'PreSync',
    'PostSync',
    'PostDelete',
    'PostSync',
    'PostSync',
    'PostSync',
    'SyncFail',
    'PostSync',
    'PostSync',
    'SyncFail',
    'SyncFail',
    'PreDelete',
    'PreDelete',
  ]);
});
