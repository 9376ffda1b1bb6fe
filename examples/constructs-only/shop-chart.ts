/**
 * The seeds' scenario with the sync-hooks constructs: a PreSync migration, the app, a PostSync
 * Slack notification, a PostSync cleanup kept for troubleshooting unless the sync fails, a
 * SyncFail alert and a PreDelete database backup.
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  PostgresBackup,
  PostSyncJob,
  PostSyncNotifier,
  PreSyncJob,
  setSyncOptions,
  setSyncWave,
  SyncFailHook,
} from '../../src/constructs';

export class ShopChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'shop', disableResourceNameHashes: true });

    // PreSync: the schema migration must finish before the new version starts.
    new PreSyncJob(this, 'db-migrate', {
      name: 'db-migrate',
      image: 'registry.example.com/shop-migrations:1.8.0',
      args: ['up'],
      envFrom: [{ secretName: 'shop-db' }],
      deletePolicy: 'HookSucceeded',
      backoffLimit: 2,
    });

    // The application (Sync phase): plain cdk8s objects.
    const labels = { app: 'shop' };
    new ApiObject(this, 'web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'registry.example.com/shop:1.8.0' }] } },
      },
    });
    const svc = new ApiObject(this, 'web-svc', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    });
    setSyncWave(svc, 1);

    // The backup volume outlives the application.
    const backups = new ApiObject(this, 'backups', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'shop-backups' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    });
    setSyncOptions(backups, { prune: false, delete: false });

    // PostSync: tell Slack (a fresh Job per sync, deleted when the sync succeeds).
    new PostSyncNotifier(this, 'slack-notification', {
      appName: 'shop',
      message: '{app} 1.8.0 is live',
      slack: { webhookUrl: { secretName: 'slack-webhook', key: 'url' }, channel: '#deploys' },
    });

    // PostSync: cleanup, deleted only if the sync fails (kept otherwise, with its logs).
    new PostSyncJob(this, 'cleanup', {
      name: 'cleanup-job',
      image: 'alpine:3.20',
      command: ['/bin/sh', '-c', 'echo cleaning up temporary resources'],
      deletePolicy: 'HookFailed',
      wave: 5,
    });

    // SyncFail: alert the on-call channel, with the failure details from the engine.
    new SyncFailHook(this, 'failure-alert', {
      appName: 'shop',
      webhook: {
        url: { secretName: 'oncall-webhook', key: 'url' },
        secretHeaders: { Authorization: { secretName: 'oncall-webhook', key: 'authorization' } },
      },
    });

    // PreDelete: dump the database before the application is torn down.
    new PostgresBackup(this, 'final-backup', {
      name: 'shop-final-backup',
      claimName: 'shop-backups',
      connection: { secretName: 'shop-db' },
    });
  }
}
