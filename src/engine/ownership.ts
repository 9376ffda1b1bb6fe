/**
 * Ownership marks: every object the engine writes for an application (managed objects and hooks)
 * carries the label `sync-hooks.dev/app=<app>` and the annotation `sync-hooks.dev/operation-id=<id>`,
 * so what a killed run wrote can be found without its record (`-l sync-hooks.dev/app=<app>`).
 */
import { KubeObject } from '../model';

export const APP_LABEL = 'sync-hooks.dev/app';
export const OPERATION_ANNOTATION = 'sync-hooks.dev/operation-id';

/** A copy of `obj` marked as written by `operationId` for `app`. */
export function withOwnership(obj: KubeObject, app: string, operationId: string): KubeObject {
  const out = structuredClone(obj);
  out.metadata = {
    ...out.metadata,
    labels: { ...(out.metadata?.labels ?? {}), [APP_LABEL]: app },
    annotations: { ...(out.metadata?.annotations ?? {}), [OPERATION_ANNOTATION]: operationId },
  };
  return out;
}

/** Whether a live object carries the app's label. */
export function ownedBy(obj: KubeObject | undefined, app: string): boolean {
  return obj?.metadata?.labels?.[APP_LABEL] === app;
}
