/** Health codes ranked from best to worst (gitops-engine `healthOrder`), and aggregation. */
import { HealthStatus, HealthStatusCode } from '../model';

export const HEALTH_ORDER: readonly HealthStatusCode[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

/** True when `a` is worse than `b`. */
export function isWorse(a: HealthStatusCode, b: HealthStatusCode): boolean {
  return HEALTH_ORDER.indexOf(a) > HEALTH_ORDER.indexOf(b);
}

/** The worst of several health results; `undefined` (no check) counts as Healthy. */
export function worstHealth(all: ReadonlyArray<HealthStatus | undefined>): HealthStatus {
  let worst: HealthStatus = { status: 'Healthy' };
  for (const h of all) if (h && isWorse(h.status, worst.status)) worst = h;
  return worst;
}
