/**
 * A minimal argoproj.io Workflow CRD and the Argo Workflows controller's part, played by the test:
 * the cluster has no such controller, so the test writes `status.phase` (the API server, the watch
 * and the engine are real).
 */
import { KubeClient } from '../../../src/engine';
import { KubeObject } from '../../../src/model';
import { eventually } from '../engine/_helpers';
import { k8s, kubeConfig } from '../helpers/kube';

export const WORKFLOW_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'workflows.argoproj.io' },
  spec: {
    group: 'argoproj.io',
    scope: 'Namespaced',
    names: { kind: 'Workflow', plural: 'workflows', singular: 'workflow', listKind: 'WorkflowList' },
    // As Argo Workflows' own minimal CRD: no status subresource, fields preserved.
    versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

export async function installWorkflowCrd(c: KubeClient): Promise<void> {
  await c.apply(WORKFLOW_CRD);
  await eventually('the Workflow CRD to be served', async () => c.isServed('argoproj.io/v1alpha1', 'Workflow'));
}

export const wfRef = (ns: string, name: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', namespace: ns, name });

export function workflowHook(ns: string, name: string, phase: string, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: ns, annotations: { 'argocd.argoproj.io/hook': phase, ...annotations } },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox', command: ['true'] } }] },
  };
}

/** The controller's part: set status.phase (merge patch; the CRD has no status subresource). */
export async function setWorkflowPhase(ns: string, name: string, phase: string, message?: string): Promise<void> {
  const api = k8s().KubernetesObjectApi.makeApiClient(kubeConfig());
  await api.patch(
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name, namespace: ns }, status: { phase, ...(message ? { message } : {}) } } as any,
    undefined,
    undefined,
    'test-workflow-controller',
    undefined,
    k8s().PatchStrategy.MergePatch,
  );
}
