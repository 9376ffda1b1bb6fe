/**
 * autoscaling HorizontalPodAutoscaler (gitops-engine `health_hpa.go`): the first condition that
 * is a known failure (Degraded) or a known steady state (Healthy) decides; otherwise Progressing.
 * autoscaling/v1 objects carry their conditions in the `autoscaling.alpha.kubernetes.io/conditions`
 * annotation.
 */
import { HealthStatus, KubeObject } from '../model';
import { Condition, conditions } from './_util';

const DEGRADED = ['AbleToScale/FailedGetScale', 'AbleToScale/FailedUpdateScale', 'ScalingActive/FailedGetResourceMetric', 'ScalingActive/InvalidSelector'];
const HEALTHY = ['AbleToScale/SucceededRescale', 'ScalingLimited/DesiredWithinRange', 'ScalingLimited/TooFewReplicas', 'ScalingLimited/TooManyReplicas'];

function hpaConditions(hpa: KubeObject): Condition[] {
  const own = conditions(hpa);
  if (own.length > 0) return own;
  const raw = hpa.metadata?.annotations?.['autoscaling.alpha.kubernetes.io/conditions'];
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export function hpaHealth(hpa: KubeObject): HealthStatus {
  for (const c of hpaConditions(hpa)) {
    const id = `${c.type}/${c.reason}`;
    if (DEGRADED.includes(id)) return { status: 'Degraded', message: c.message };
    if (HEALTHY.includes(id)) return { status: 'Healthy', message: c.message };
  }
  return { status: 'Progressing', message: 'Waiting to Autoscale' };
}
