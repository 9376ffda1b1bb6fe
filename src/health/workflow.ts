/** argoproj.io Workflow (gitops-engine `health_argo.go`): Argo Workflows used as hooks. */
import { HealthStatus, KubeObject } from '../model';

export function workflowHealth(wf: KubeObject): HealthStatus {
  const phase: string | undefined = wf.status?.phase;
  const message: string | undefined = wf.status?.message;
  if (phase === 'Succeeded') return { status: 'Healthy', message };
  if (phase === 'Failed' || phase === 'Error') return { status: 'Degraded', message };
  if (!phase || phase === 'Pending' || phase === 'Running') return { status: 'Progressing', message };
  return { status: 'Unknown', message };
}
