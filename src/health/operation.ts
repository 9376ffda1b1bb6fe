/**
 * From health to the state of a sync task (spec §2.5).
 * Hooks (`getOperationPhase`): Healthy or no health check → Succeeded; Degraded or Unknown → Failed;
 * Progressing or Suspended → Running. Missing (the hook vanished) → Failed.
 * Managed resources: Degraded → Failed; Healthy or no check → Succeeded; anything else → Running.
 */
import { HealthStatus } from '../model';

export type OperationState = 'Running' | 'Succeeded' | 'Failed';

export function hookOperationState(health: HealthStatus | undefined): OperationState {
  if (!health) return 'Succeeded';
  switch (health.status) {
    case 'Healthy':
      return 'Succeeded';
    case 'Progressing':
    case 'Suspended':
      return 'Running';
    default:
      return 'Failed';
  }
}

export function resourceOperationState(health: HealthStatus | undefined): OperationState {
  if (!health || health.status === 'Healthy') return 'Succeeded';
  return health.status === 'Degraded' ? 'Failed' : 'Running';
}
