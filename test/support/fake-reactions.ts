/**
 * Scripted "controllers" for FakeKubeClient: what happens to an object after it is applied.
 * Each factory returns a `Reaction` to pass to `fake.react(match, reaction)`.
 */
import { KubeObject } from '../../src/model';
import { refOf } from '../../src/engine/client';
import type { FakeKubeClient, Reaction } from './fake-client';

export interface FailureScript {
  afterMs?: number;
  exitCode?: number;
  /** Container termination reason (default "Error"). */
  reason?: string;
  /** Container termination message. */
  message?: string;
  /** Pod logs; when omitted, logs are unavailable (as with kwok). */
  logs?: string;
  /** Job condition reason (default BackoffLimitExceeded). */
  jobReason?: string;
}

function containersOf(obj: KubeObject): Array<{ name: string; image?: string }> {
  const spec = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  return spec?.containers ?? [{ name: 'main' }];
}

function terminated(obj: KubeObject, exitCode: number, reason: string, message?: string) {
  const now = new Date().toISOString();
  return containersOf(obj).map((c) => ({
    name: c.name,
    image: c.image ?? '',
    ready: false,
    restartCount: 0,
    state: { terminated: { exitCode, reason, ...(message ? { message } : {}), startedAt: now, finishedAt: now } },
  }));
}

/** Creates the pod a Job controller would have run, in its final state. */
function jobPod(fake: FakeKubeClient, job: KubeObject, phase: 'Succeeded' | 'Failed', statuses: unknown[]): KubeObject {
  const name = `${job.metadata.name}-${Math.random().toString(36).slice(2, 7)}`;
  return fake.put({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: job.metadata.namespace,
      labels: { 'batch.kubernetes.io/job-name': job.metadata.name!, 'job-name': job.metadata.name! },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name!, uid: job.metadata.uid! }],
    },
    spec: job.spec?.template?.spec ?? {},
    status: { phase, containerStatuses: statuses },
  });
}

/** Job: Complete after `afterMs` (a succeeded pod is created too). */
export function completeJob(afterMs = 0): Reaction {
  return (job, fake) =>
    fake.later(afterMs, () => {
      if (!fake.peek(refOf(job))) return;
      jobPod(fake, job, 'Succeeded', terminated(job, 0, 'Completed'));
      const now = new Date().toISOString();
      fake.writeStatus(refOf(job), {
        succeeded: 1,
        completionTime: now,
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: now },
          { type: 'Complete', status: 'True', lastTransitionTime: now },
        ],
      });
    });
}

/** Job: Failed (BackoffLimitExceeded) after `afterMs`, with a failed pod carrying the exit code. */
export function failJob(script: FailureScript = {}): Reaction {
  return (job, fake) =>
    fake.later(script.afterMs ?? 0, () => {
      if (!fake.peek(refOf(job))) return;
      const pod = jobPod(fake, job, 'Failed', terminated(job, script.exitCode ?? 1, script.reason ?? 'Error', script.message));
      if (script.logs !== undefined) fake.setPodLogs(pod.metadata.namespace!, pod.metadata.name!, script.logs);
      const now = new Date().toISOString();
      fake.writeStatus(refOf(job), {
        failed: 1,
        conditions: [
          { type: 'FailureTarget', status: 'True', reason: script.jobReason ?? 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: now },
          { type: 'Failed', status: 'True', reason: script.jobReason ?? 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: now },
        ],
      });
    });
}

/** Pod: Succeeded after `afterMs`. */
export function succeedPod(afterMs = 0): Reaction {
  return (pod, fake) => fake.later(afterMs, () => fake.peek(refOf(pod)) && fake.writeStatus(refOf(pod), { phase: 'Succeeded', containerStatuses: terminated(pod, 0, 'Completed') }));
}

/** Pod: Failed after `afterMs`. */
export function failPod(script: FailureScript = {}): Reaction {
  return (pod, fake) =>
    fake.later(script.afterMs ?? 0, () => {
      if (!fake.peek(refOf(pod))) return;
      if (script.logs !== undefined) fake.setPodLogs(pod.metadata.namespace!, pod.metadata.name!, script.logs);
      fake.writeStatus(refOf(pod), { phase: 'Failed', containerStatuses: terminated(pod, script.exitCode ?? 1, script.reason ?? 'Error', script.message) });
    });
}

/** Deployment/StatefulSet/ReplicaSet/DaemonSet: ready at the current generation after `afterMs`. */
export function readyWorkload(afterMs = 0): Reaction {
  return (obj, fake) =>
    fake.later(afterMs, () => {
      const live = fake.peek(refOf(obj));
      if (!live) return;
      const replicas = live.spec?.replicas ?? 1;
      const generation = live.metadata.generation ?? 1;
      if (live.kind === 'DaemonSet') {
        fake.writeStatus(refOf(live), { observedGeneration: generation, desiredNumberScheduled: 1, currentNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 1, numberReady: 1 });
        return;
      }
      fake.writeStatus(refOf(live), {
        observedGeneration: generation,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        currentReplicas: replicas,
        ...(live.kind === 'StatefulSet' ? { currentRevision: 'r1', updateRevision: 'r1' } : {}),
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
        ],
      });
    });
}

/** Deployment: progress deadline exceeded (Degraded) after `afterMs`. */
export function degradeDeployment(afterMs = 0, message = 'ReplicaSet "web-1" has timed out progressing.'): Reaction {
  return (obj, fake) =>
    fake.later(afterMs, () => {
      const live = fake.peek(refOf(obj));
      if (!live) return;
      fake.writeStatus(refOf(live), {
        observedGeneration: live.metadata.generation ?? 1,
        replicas: 1,
        updatedReplicas: 1,
        unavailableReplicas: 1,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message }],
      });
    });
}

/** Nothing ever happens (a stuck Job, an image that never pulls). */
export const never: Reaction = () => undefined;

/** CRD: its kinds become served and it is Established. */
export function establishCrd(afterMs = 0): Reaction {
  return (crd, fake) =>
    fake.later(afterMs, () => {
      if (!fake.peek(refOf(crd))) return;
      for (const v of crd.spec?.versions ?? []) {
        if (v.served !== false) fake.serve(`${crd.spec.group}/${v.name}`, crd.spec.names.kind, crd.spec.scope !== 'Cluster');
      }
      fake.writeStatus(refOf(crd), { conditions: [{ type: 'Established', status: 'True' }, { type: 'NamesAccepted', status: 'True' }] });
    });
}

/** What the kwok test cluster does by default: Jobs complete, Pods succeed, workloads become ready. */
export const defaultReaction: Reaction = (obj, fake) => {
  switch (obj.kind) {
    case 'Job':
      return completeJob()(obj, fake);
    case 'Pod':
      return succeedPod()(obj, fake);
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'DaemonSet':
      return readyWorkload()(obj, fake);
    case 'CustomResourceDefinition':
      return establishCrd()(obj, fake);
    default:
      return undefined;
  }
};
