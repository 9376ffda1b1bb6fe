/**
 * batch/v1 Job (gitops-engine `health_job.go`, spec §4.1): Complete → Healthy, Failed → Degraded
 * with the condition message, Suspended → Suspended, otherwise Progressing.
 * Unlike Argo CD, a condition only counts when its status is "True": a resumed Job
 * (`Suspended=False`) is Progressing, not Healthy.
 */
import { HealthStatus, KubeObject } from '../model';
import { condition, isTrue } from './_util';

export function jobHealth(job: KubeObject): HealthStatus {
  const failed = condition(job, 'Failed');
  if (isTrue(failed)) return { status: 'Degraded', message: failed?.message || failed?.reason || 'Job failed' };
  const complete = condition(job, 'Complete');
  if (isTrue(complete)) return { status: 'Healthy', message: complete?.message || 'Job completed' };
  const suspended = condition(job, 'Suspended');
  if (isTrue(suspended)) return { status: 'Suspended', message: suspended?.message || 'Job suspended' };
  const active = job.status?.active ?? 0;
  return { status: 'Progressing', message: `Waiting for Job to complete (active: ${active}, succeeded: ${job.status?.succeeded ?? 0}, failed: ${job.status?.failed ?? 0})` };
}
