/**
 * The seeds' scenario as a real app, written with the sync-hooks constructs:
 *
 *   PreSync   db-migrate          schema migration before the new version starts
 *   Sync      web Deployment/Service (wave 0/1); a backup volume kept on teardown
 *   PostSync  slack-notification  "shop is live" (webhook URL from a Secret), deleted on success
 *   PostSync  cleanup (wave 5)    deleted only if the sync fails (HookFailed)
 *   SyncFail  failure-alert       runs only when the sync fails
 *   PreDelete db-backup           backup before teardown; a failure stops the teardown
 *   PostDelete dns-cleanup        external cleanup after everything is gone
 *
 * The `sync-hooks.local/*` pod annotations only matter on the embedded test cluster, where pods
 * are simulated: they set how long each hook "runs" and let you make the migration fail.
 */
import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  PostDeleteJob,
  PostSyncJob,
  PostSyncNotifier,
  PreDeleteBackup,
  PreSyncJob,
  setSyncOptions,
  setSyncWave,
  SyncFailHook,
} from 'pulumi-sync-hooks';

export interface ShopChartProps extends ChartProps {
  /** Application version (image tag). */
  version?: string;
  /** Make the PreSync migration fail (embedded cluster only), to see SyncFail at work. */
  failMigration?: boolean;
}

const runFor = (d: string) => ({ 'sync-hooks.local/run-duration': d });

export class ShopChart extends Chart {
  constructor(scope: Construct, id: string, props: ShopChartProps = {}) {
    super(scope, id, { namespace: 'shop', disableResourceNameHashes: true, ...props });
    const version = props.version ?? '1.8.0';

    new ApiObject(this, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });

    // The Slack webhook URL lives in a Secret (normally created out of band; here for the demo).
    const slack = new ApiObject(this, 'slack-webhook', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'slack-webhook' },
      stringData: { url: 'https://hooks.slack.example.invalid/services/T000/B000/XXXX' },
    });
    setSyncWave(slack, -1);

    // PreSync: the schema migration must finish before the new version starts.
    new PreSyncJob(this, 'db-migrate', {
      name: 'db-migrate',
      image: `registry.example.com/shop-migrations:${version}`,
      args: ['up'],
      backoffLimit: 0,
      podAnnotations: { ...runFor('2s'), ...(props.failMigration ? { 'sync-hooks.local/fail-message': 'relation "orders" already exists' } : {}) },
      podLabels: props.failMigration ? { 'sync-hooks.local/fail': 'true' } : undefined,
    });

    // Sync: the application.
    const labels = { app: 'web' };
    new ApiObject(this, 'web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: `nginx:1.27`, ports: [{ containerPort: 80 }] }] } },
      },
    });
    const svc = new ApiObject(this, 'web-svc', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 80 }] },
    });
    setSyncWave(svc, 1);

    // The backup volume outlives the application: its namespace, PV and PVC are never pruned and
    // kept on teardown (Delete=false), so `pulumi destroy` leaves the backups in place.
    const data = new ApiObject(this, 'data-ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop-data' } });
    const pv = new ApiObject(this, 'backups-pv', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'shop-backups' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: '', hostPath: { path: '/var/tmp/shop-backups' } },
    });
    const claim = new ApiObject(this, 'backups', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'shop-backups', namespace: 'shop-data' },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: '', volumeName: 'shop-backups', resources: { requests: { storage: '1Gi' } } },
    });
    for (const keep of [data, pv, claim]) setSyncOptions(keep, { prune: false, delete: false });

    // PostSync: tell Slack (a fresh Job per sync, deleted when the sync succeeds).
    new PostSyncNotifier(this, 'slack-notification', {
      appName: 'shop',
      message: `{app} ${version} is live`,
      slack: { webhookUrl: { secretName: 'slack-webhook', key: 'url' }, channel: '#deploys' },
      podAnnotations: runFor('500ms'),
    });

    // PostSync: cleanup, deleted only if the sync fails (kept otherwise, with its logs).
    new PostSyncJob(this, 'cleanup', {
      name: 'cleanup',
      image: 'alpine:3.20',
      command: ['/bin/sh', '-c', 'echo cleaning up temporary resources'],
      deletePolicy: 'HookFailed',
      wave: 5,
      podAnnotations: runFor('300ms'),
    });

    // SyncFail: alert the on-call channel, with the failure details from the engine.
    new SyncFailHook(this, 'failure-alert', {
      name: 'failure-alert',
      appName: 'shop',
      slack: { webhookUrl: { secretName: 'slack-webhook', key: 'url' }, channel: '#oncall' },
      podAnnotations: runFor('300ms'),
    });

    // PreDelete: back up the database before teardown; a failed backup stops the teardown.
    new PreDeleteBackup(this, 'db-backup', {
      name: 'db-backup',
      namespace: 'shop-data',
      image: 'postgres:16',
      command: ['/bin/sh', '-c', 'pg_dump "$DATABASE_URL" > "$BACKUP_DIR/shop-$(date +%s).sql"'],
      claimName: 'shop-backups',
      deletePolicy: 'HookSucceeded',
      podAnnotations: runFor('1s'),
    });

    // PostDelete: external cleanup once everything is gone.
    new PostDeleteJob(this, 'dns-cleanup', {
      name: 'dns-cleanup',
      namespace: 'default',
      image: 'alpine:3.20',
      command: ['/bin/sh', '-c', 'echo removing shop.example.com DNS records'],
      podAnnotations: runFor('500ms'),
    });
  }
}
