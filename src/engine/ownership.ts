/**
 * Ownership marks: every object the engine writes for an application (managed objects and hooks)
 * carries the label `sync-hooks.dev/app=<app>` and the annotation `sync-hooks.dev/operation-id=<id>`,
 * so what a killed run wrote can be found without its record (`-l sync-hooks.dev/app=<app>`).
 */
import { ANNOTATION_OPERATION_ID, KubeObject, LABEL_APP } from '../model';

/** The keys are defined once, with the rest of the vocabulary, in src/model/annotations.ts. */
export const APP_LABEL = LABEL_APP;
export const OPERATION_ANNOTATION = ANNOTATION_OPERATION_ID;

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
