/**
 * v1 Pod (gitops-engine `health_pod.go`, spec §4.1). Pods with `restartPolicy: Never/OnFailure`
 * have a finite life (they are typically hooks): Running is Progressing, Succeeded is Healthy, and
 * ImagePullBackOff is deliberately not Degraded. Long-running pods (`Always`, the default) are
 * Degraded on a waiting reason `Err*`, `*Error` or `*BackOff`, Healthy when Ready.
 */
import { HealthStatus, KubeObject } from '../model';
import { condition, isTrue } from './_util';

interface ContainerStatus {
  name?: string;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; message?: string; exitCode?: number } };
  lastState?: { terminated?: unknown };
}

function containerStatuses(pod: KubeObject, init = false): ContainerStatus[] {
  const list = init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  return Array.isArray(list) ? list : [];
}

const isErrorReason = (r: string) => r.startsWith('Err') || r.endsWith('Error') || r.endsWith('BackOff');

function waitingErrors(pod: KubeObject): HealthStatus | undefined {
  const bad = containerStatuses(pod).filter((c) => isErrorReason(c.state?.waiting?.reason ?? ''));
  if (bad.length === 0) return undefined;
  return { status: 'Degraded', message: bad.map((c) => c.state?.waiting?.message || c.state?.waiting?.reason).join(', ') };
}

function failMessage(c: ContainerStatus): string {
  const t = c.state?.terminated;
  if (!t) return '';
  if (t.message) return t.message;
  if (t.reason === 'OOMKilled') return t.reason;
  if (t.exitCode) return `container "${c.name}" failed with exit code ${t.exitCode}`;
  return '';
}

function failedHealth(pod: KubeObject): HealthStatus {
  if (pod.status?.message) return { status: 'Degraded', message: pod.status.message };
  const all = [...containerStatuses(pod, true), ...containerStatuses(pod)];
  const message = all.map(failMessage).find((m) => m !== '') ?? '';
  return { status: 'Degraded', message };
}

function runningHealth(pod: KubeObject, restartPolicy: string): HealthStatus {
  const message = pod.status?.message;
  if (restartPolicy !== 'Always') return { status: 'Progressing', message };
  if (isTrue(condition(pod, 'Ready'))) return { status: 'Healthy', message };
  if (containerStatuses(pod).some((c) => c.lastState?.terminated)) return { status: 'Degraded', message };
  return { status: 'Progressing', message };
}

export function podHealth(pod: KubeObject): HealthStatus {
  const restartPolicy: string = pod.spec?.restartPolicy ?? 'Always';
  if (restartPolicy === 'Always') {
    const degraded = waitingErrors(pod);
    if (degraded) return degraded;
  }
  switch (pod.status?.phase) {
    case 'Pending':
      return { status: 'Progressing', message: pod.status?.message };
    case 'Succeeded':
      return { status: 'Healthy', message: pod.status?.message };
    case 'Failed':
      return failedHealth(pod);
    case 'Running':
      return runningHealth(pod, restartPolicy);
    default:
      return { status: 'Unknown', message: pod.status?.message };
  }
}
