/**
 * Why did a hook fail? Its Job conditions, and for each failed container of its pod(s) the exit
 * code, reason and message and, when the cluster serves them, the tail of its logs.
 */
import { KubeObject } from '../model';
import { KubeClient } from './client';
import { ContainerFailure, FailureDetails, JobCondition } from './types';

const MAX_PODS = 3;

function jobConditions(job: KubeObject): JobCondition[] {
  return (job.status?.conditions ?? [])
    .filter((c: any) => c.status === 'True')
    .map((c: any) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) }));
}

async function jobPods(client: KubeClient, job: KubeObject): Promise<KubeObject[]> {
  const ns = job.metadata.namespace;
  const owned = (p: KubeObject) => (p.metadata.ownerReferences ?? []).some((r) => r.uid === job.metadata.uid) || !p.metadata.ownerReferences;
  for (const label of ['batch.kubernetes.io/job-name', 'job-name']) {
    const pods = (await client.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector: `${label}=${job.metadata.name}` })).filter(owned);
    if (pods.length) return pods;
  }
  return [];
}

async function podFailures(client: KubeClient, pod: KubeObject, tailLines: number): Promise<ContainerFailure[]> {
  const statuses: any[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const out: ContainerFailure[] = [];
  for (const s of statuses) {
    const t = s.state?.terminated ?? s.lastState?.terminated;
    const waiting = s.state?.waiting;
    const failed = (t && t.exitCode !== 0) || (waiting && /Err|BackOff|Invalid/.test(waiting.reason ?? ''));
    if (!failed && pod.status?.phase !== 'Failed') continue;
    if (!t && !waiting) continue;
    const c: ContainerFailure = { pod: pod.metadata.name!, container: s.name };
    if (t?.exitCode !== undefined) c.exitCode = t.exitCode;
    if (t?.reason ?? waiting?.reason) c.reason = t?.reason ?? waiting?.reason;
    if (t?.message ?? waiting?.message) c.message = t?.message ?? waiting?.message;
    if (tailLines > 0) {
      const logs = await client.podLogs(pod.metadata.namespace!, pod.metadata.name!, { container: s.name, tailLines });
      if (logs && logs.trim()) c.logTail = logs.replace(/\n$/, '');
    }
    out.push(c);
  }
  if (!out.length && pod.status?.phase === 'Failed' && (pod.status?.reason || pod.status?.message)) {
    out.push({ pod: pod.metadata.name!, container: '', reason: pod.status.reason, message: pod.status.message });
  }
  return out;
}

/** Never throws: diagnostics are best effort. */
export async function collectFailureDetails(client: KubeClient, live: KubeObject | undefined, tailLines: number): Promise<FailureDetails | undefined> {
  if (!live) return undefined;
  try {
    if (live.kind === 'Pod' && !live.apiVersion.includes('/')) return { containers: await podFailures(client, live, tailLines) };
    if (live.kind === 'Job' && live.apiVersion.startsWith('batch/')) {
      const pods = (await jobPods(client, live))
        .sort((a, b) => {
          const failedFirst = Number(b.status?.phase === 'Failed') - Number(a.status?.phase === 'Failed');
          return failedFirst || String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? ''));
        })
        .slice(0, MAX_PODS);
      const containers: ContainerFailure[] = [];
      for (const p of pods) containers.push(...(await podFailures(client, p, tailLines)));
      return { jobConditions: jobConditions(live), containers };
    }
  } catch {
    return undefined;
  }
  return undefined;
}
