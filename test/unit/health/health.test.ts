import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { getHealth } from '../../../src/health';
import { HealthStatus, KubeObject } from '../../../src/model';

const fixture = (name: string): KubeObject => parse(readFileSync(join(__dirname, 'fixtures', `${name}.yaml`), 'utf8'));

const cases: Array<[fixture: string, expected: HealthStatus | undefined]> = [
  ['job-running', { status: 'Progressing', message: 'Waiting for Job to complete (active: 1, succeeded: 0, failed: 0)' }],
  ['job-complete', { status: 'Healthy', message: 'Reached expected number of succeeded pods' }],
  ['job-failed', { status: 'Degraded', message: 'Job has reached the specified backoff limit' }],
  ['job-failure-target', { status: 'Progressing', message: 'Waiting for Job to complete (active: 1, succeeded: 0, failed: 0)' }],
  ['job-suspended', { status: 'Suspended', message: 'Job suspended' }],
  ['job-resumed', { status: 'Progressing', message: 'Waiting for Job to complete (active: 1, succeeded: 0, failed: 0)' }],
  ['pod-pending', { status: 'Progressing', message: '0/1 nodes are available' }],
  ['pod-hook-running', { status: 'Progressing', message: undefined }],
  ['pod-hook-image-pull-backoff', { status: 'Progressing', message: undefined }],
  ['pod-image-pull-backoff', { status: 'Degraded', message: 'Back-off pulling image "nope", back-off 10s restarting' }],
  ['pod-succeeded', { status: 'Healthy', message: undefined }],
  ['pod-failed-message', { status: 'Degraded', message: 'Pod was evicted' }],
  ['pod-failed-exit-code', { status: 'Degraded', message: 'container "main" failed with exit code 3' }],
  ['pod-failed-oom', { status: 'Degraded', message: 'OOMKilled' }],
  ['pod-running-ready', { status: 'Healthy', message: undefined }],
  ['pod-running-not-ready', { status: 'Progressing', message: undefined }],
  ['pod-running-restarted', { status: 'Degraded', message: 'container restarted' }],
  ['pod-no-phase', { status: 'Unknown', message: undefined }],
  ['deployment-healthy', { status: 'Healthy' }],
  ['deployment-generation-lag', { status: 'Progressing', message: 'Waiting for the controller to observe generation 3 (observed 2)' }],
  ['deployment-no-status', { status: 'Progressing', message: 'Waiting for rollout to finish: observed deployment generation less than desired generation' }],
  ['deployment-updating', { status: 'Progressing', message: 'Waiting for rollout to finish: 1 out of 3 new replicas have been updated...' }],
  ['deployment-old-replicas', { status: 'Progressing', message: 'Waiting for rollout to finish: 1 old replicas are pending termination...' }],
  ['deployment-unavailable', { status: 'Progressing', message: 'Waiting for rollout to finish: 0 of 1 updated replicas are available...' }],
  ['deployment-deadline', { status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' }],
  ['deployment-paused', { status: 'Suspended', message: 'Deployment is paused' }],
  ['statefulset-healthy', { status: 'Healthy', message: 'statefulset rolling update complete 2 pods at revision db-1...' }],
  ['statefulset-generation-lag', { status: 'Progressing', message: 'Waiting for the controller to observe generation 2 (observed 1)' }],
  ['statefulset-not-ready', { status: 'Progressing', message: 'Waiting for 2 pods to be ready...' }],
  ['statefulset-rolling', { status: 'Progressing', message: 'waiting for statefulset rolling update to complete 1 pods at revision db-2...' }],
  ['statefulset-partition', { status: 'Progressing', message: 'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...' }],
  ['statefulset-ondelete', { status: 'Healthy', message: 'statefulset has 1 ready pods' }],
  ['daemonset-healthy', { status: 'Healthy' }],
  ['daemonset-generation-lag', { status: 'Progressing', message: 'Waiting for the controller to observe generation 2 (observed 1)' }],
  ['daemonset-updating', { status: 'Progressing', message: 'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...' }],
  ['daemonset-unavailable', { status: 'Progressing', message: 'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...' }],
  ['daemonset-ondelete', { status: 'Healthy', message: 'daemon set 1 out of 3 new pods have been updated' }],
  ['replicaset-healthy', { status: 'Healthy' }],
  ['replicaset-generation-lag', { status: 'Progressing', message: 'Waiting for the controller to observe generation 2 (observed 1)' }],
  ['replicaset-progressing', { status: 'Progressing', message: 'Waiting for rollout to finish: 1 out of 2 new replicas are available...' }],
  ['replicaset-failure', { status: 'Degraded', message: 'pods "web-1-x" is forbidden: exceeded quota' }],
  ['service-clusterip', { status: 'Healthy' }],
  ['service-lb-pending', { status: 'Progressing', message: 'Waiting for the load balancer to get an address' }],
  ['service-lb-ready', { status: 'Healthy' }],
  ['ingress-pending', { status: 'Progressing', message: 'Waiting for the ingress controller to publish an address' }],
  ['ingress-ready', { status: 'Healthy' }],
  ['ingress-extensions-ready', { status: 'Healthy' }],
  ['pvc-bound', { status: 'Healthy' }],
  ['pvc-pending', { status: 'Progressing', message: 'Waiting for the claim to be bound' }],
  ['pvc-lost', { status: 'Degraded', message: 'The claim lost its volume' }],
  ['hpa-healthy', { status: 'Healthy', message: 'the desired count is within the acceptable range' }],
  ['hpa-degraded', { status: 'Degraded', message: 'unable to get metrics for resource cpu' }],
  ['hpa-progressing', { status: 'Progressing', message: 'Waiting to Autoscale' }],
  ['hpa-v1-annotation', { status: 'Healthy', message: 'rescaled' }],
  ['hpa-generation-lag', { status: 'Progressing', message: 'Waiting for the controller to observe generation 2 (observed 1)' }],
  ['apiservice-available', { status: 'Healthy', message: 'Passed: all checks passed' }],
  ['apiservice-unavailable', { status: 'Progressing', message: 'MissingEndpoints: endpoints for service/metrics-server have no addresses' }],
  ['apiservice-new', { status: 'Progressing', message: 'Waiting to be processed' }],
  ['crd-established', { status: 'Healthy' }],
  ['crd-pending', { status: 'Progressing', message: 'Waiting for the CRD to be established' }],
  ['crd-names-rejected', { status: 'Degraded', message: '"widgets" is already in use' }],
  ['namespace-active', { status: 'Healthy' }],
  ['namespace-terminating', { status: 'Progressing', message: 'Pending deletion' }],
  ['workflow-running', { status: 'Progressing', message: undefined }],
  ['workflow-failed', { status: 'Degraded', message: 'child failed' }],
  ['configmap', undefined],
  ['configmap-deleting', { status: 'Progressing', message: 'Pending deletion' }],
  ['job-deleting-hook-finalizer', { status: 'Healthy', message: 'Job completed' }],
  ['widget', undefined],
];

describe('getHealth', () => {
  test.each(cases)('%s', (name, expected) => {
    expect(getHealth(fixture(name))).toEqual(expected);
  });

  test('a Namespace in Terminating phase without deletionTimestamp is Progressing', () => {
    expect(getHealth({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, status: { phase: 'Terminating' } })).toEqual({
      status: 'Progressing',
      message: 'Namespace is terminating',
    });
  });

  test('a Deployment kind outside the apps group has no check', () => {
    expect(getHealth({ apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'x' } })).toBeUndefined();
  });

  test('a just-created Deployment without status (manifest only) is Progressing, never Healthy', () => {
    expect(getHealth({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } })?.status).toBe('Progressing');
    expect(getHealth({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', generation: 1 } })?.status).toBe('Progressing');
  });
});
