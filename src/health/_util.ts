/** @internal Helpers for reading loosely typed status fields. */
import { KubeObject } from '../model';

export interface Condition {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
}

export function conditions(obj: KubeObject): Condition[] {
  const c = obj.status?.conditions;
  return Array.isArray(c) ? c.filter((x): x is Condition => x && typeof x.type === 'string') : [];
}

export function condition(obj: KubeObject, type: string): Condition | undefined {
  return conditions(obj).find((c) => c.type === type);
}

export function isTrue(c: Condition | undefined): boolean {
  return c?.status === 'True';
}

/** A number field, or `fallback` when absent or not a number. */
export function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** `spec.replicas`, defaulting to 1 like the API server. */
export function desiredReplicas(obj: KubeObject): number {
  return num(obj.spec?.replicas, 1);
}

/** True when the controller has seen the current spec (`status.observedGeneration >= metadata.generation`). */
export function generationObserved(obj: KubeObject): boolean {
  return num(obj.metadata?.generation) <= num(obj.status?.observedGeneration);
}
