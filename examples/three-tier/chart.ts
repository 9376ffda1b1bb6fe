/**
 * Database, then backend, then frontend, in sync waves, each with its hooks:
 *
 *   PreSync   wave 0  schema-check          the database schema is compatible before anything changes
 *   Sync      wave 0  postgres StatefulSet + Service
 *   Sync      wave 1  db-seed (Sync hook)   seed reference data once the database is up
 *   Sync      wave 1  api Deployment + Service
 *   Sync      wave 2  frontend Deployment + Service
 *   PostSync  wave 0  smoke-test            the frontend answers through the API
 *   SyncFail          rollback-flag         flips the feature flag back when anything fails
 *   PostDelete        release-dns           frees the DNS name after teardown
 */
import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { PostDeleteJob, PostSyncJob, PreSyncJob, setSyncWave, SyncFailHook, SyncJob } from 'pulumi-sync-hooks';

export interface ThreeTierProps extends ChartProps {
  namespace?: string;
  version?: string;
}

function workload(scope: Construct, kind: 'Deployment' | 'StatefulSet', name: string, image: string, port: number, wave: number): void {
  const labels = { app: name };
  const spec: Record<string, unknown> = {
    replicas: 1,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name, image, ports: [{ containerPort: port }] }] } },
  };
  if (kind === 'StatefulSet') spec.serviceName = name;
  setSyncWave(new ApiObject(scope, name, { apiVersion: 'apps/v1', kind, metadata: { name }, spec }), wave);
  setSyncWave(
    new ApiObject(scope, `${name}-svc`, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: labels, ports: [{ port, targetPort: port }] } }),
    wave,
  );
}

export class ThreeTierChart extends Chart {
  constructor(scope: Construct, id: string, props: ThreeTierProps = {}) {
    const namespace = props.namespace ?? 'three-tier';
    super(scope, id, { ...props, namespace, disableResourceNameHashes: true });
    const version = props.version ?? '2.4.0';
    const sim = (d: string) => ({ 'sync-hooks.local/run-duration': d });

    new ApiObject(this, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });

    new PreSyncJob(this, 'schema-check', { name: 'schema-check', image: `example/api-migrations:${version}`, args: ['check'], podAnnotations: sim('500ms') });

    workload(this, 'StatefulSet', 'postgres', 'postgres:16', 5432, 0);
    new SyncJob(this, 'db-seed', {
      name: 'db-seed',
      image: `example/api-migrations:${version}`,
      args: ['seed'],
      wave: 1,
      deletePolicy: ['BeforeHookCreation', 'HookSucceeded'],
      podAnnotations: sim('500ms'),
    });
    workload(this, 'Deployment', 'api', `example/api:${version}`, 8080, 1);
    workload(this, 'Deployment', 'frontend', `example/frontend:${version}`, 80, 2);

    new PostSyncJob(this, 'smoke-test', {
      name: 'smoke-test',
      image: 'curlimages/curl:8.11.1',
      command: ['curl', '-fsS', 'http://frontend/healthz'],
      deletePolicy: 'HookSucceeded',
      podAnnotations: sim('300ms'),
    });
    new SyncFailHook(this, 'rollback-flag', {
      name: 'rollback-flag',
      image: 'example/flags:1',
      command: ['flags', 'set', 'new-checkout=false'],
      podAnnotations: sim('300ms'),
    });
    new PostDeleteJob(this, 'release-dns', {
      name: `release-dns-${namespace}`,
      namespace: 'default',
      image: 'example/dns:1',
      command: ['dns', 'release', `${namespace}.example.com`],
      podAnnotations: sim('300ms'),
    });
  }
}
