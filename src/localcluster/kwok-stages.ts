/**
 * kwok stage configuration for the embedded cluster.
 *
 * node-initialize, node-heartbeat-with-lease, pod-ready and pod-delete are kwok v0.8.0's shipped
 * stages (Apache-2.0, sigs.k8s.io/kwok kustomize/stage). pod-complete and pod-fail are ours: they
 * end finite pods (restartPolicy Never/OnFailure) after a duration read from a pod annotation,
 * successfully unless the pod carries the fail label. Pods of Deployments (restartPolicy Always)
 * stay Running and Ready.
 */

/** Pod annotation: how long a finite pod "runs" before it ends, as a Go duration ("2s", "500ms"). */
export const POD_RUN_DURATION_ANNOTATION = 'sync-hooks.local/run-duration';
/** Default run duration of a finite pod when the annotation is absent. */
export const DEFAULT_POD_RUN_MS = 200;
/** Pod label: "true" makes a finite pod fail (phase Failed) after its run duration. */
export const POD_FAIL_LABEL = 'sync-hooks.local/fail';
/** Pod annotation: exit code of the failing container (default "1"). */
export const POD_EXIT_CODE_ANNOTATION = 'sync-hooks.local/exit-code';
/** Pod annotation: termination message of the failing container. */
export const POD_FAIL_MESSAGE_ANNOTATION = 'sync-hooks.local/fail-message';

const NODE_INITIALIZE = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: node-initialize
spec:
  resourceRef:
    apiGroup: v1
    kind: Node
  selector:
    matchExpressions:
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'NotIn'
      values: ['True']
  next:
    statusTemplate: |
      {{ $now := Now }}
      {{ $lastTransitionTime := or .metadata.creationTimestamp $now }}
      conditions:
      {{ range NodeConditions }}
      - lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $lastTransitionTime | Quote }}
        message: {{ .message | Quote }}
        reason: {{ .reason | Quote }}
        status: {{ .status | Quote }}
        type: {{ .type  | Quote}}
      {{ end }}
      addresses:
      {{ with NodeIP }}
      - address: {{ . | Quote }}
        type: InternalIP
      {{ end }}
      {{ with NodeName }}
      - address: {{ . | Quote }}
        type: Hostname
      {{ end }}
      {{ with NodePort }}
      daemonEndpoints:
        kubeletEndpoint:
          Port: {{ . }}
      {{ end }}
      allocatable:
        cpu: 1k
        memory: 1Ti
        pods: 1M
      capacity:
        cpu: 1k
        memory: 1Ti
        pods: 1M
      {{ $kwokVersion := printf "kwok-%s" Version }}
      nodeInfo:
        architecture: amd64
        bootID: ""
        containerRuntimeVersion: {{ $kwokVersion }}
        kernelVersion: {{ $kwokVersion }}
        kubeProxyVersion: {{ $kwokVersion }}
        kubeletVersion: {{ $kwokVersion }}
        machineID: ""
        operatingSystem: linux
        osImage: ""
        systemUUID: ""
      phase: Running
`;

const NODE_HEARTBEAT = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: node-heartbeat-with-lease
spec:
  resourceRef:
    apiGroup: v1
    kind: Node
  selector:
    matchExpressions:
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'In'
      values: ['True']
  delay:
    durationMilliseconds: 600000
    jitterDurationMilliseconds: 610000
  next:
    statusTemplate: |
      {{ $now := Now }}
      {{ $lastTransitionTime := or .metadata.creationTimestamp $now }}
      conditions:
      {{ range NodeConditions }}
      - lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $lastTransitionTime | Quote }}
        message: {{ .message | Quote }}
        reason: {{ .reason | Quote }}
        status: {{ .status | Quote }}
        type: {{ .type | Quote }}
      {{ end }}
`;

const POD_READY = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-ready
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values: ['Pending']
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'NotIn'
      values: ['True']
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Initialized
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Ready
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: ContainersReady
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: true
        restartCount: 0
        started: true
        state:
          running:
            startedAt: {{ $now | Quote }}
      {{ end }}
      {{ with NodeIPWith .spec.nodeName }}
      hostIP: {{ . | Quote }}
      {{ end }}
      {{ with PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
      podIP: {{ . | Quote }}
      {{ end }}
      phase: Running
      startTime: {{ $now | Quote }}
`;

const FINITE_RUNNING = `    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
    - key: '.spec.restartPolicy'
      operator: 'In'
      values: ['Never', 'OnFailure']`;

interface PodEnd {
  name: string;
  /** Whether this stage takes pods with the fail label (`In`) or without it (`NotIn`). */
  failLabel: 'In' | 'NotIn';
  phase: 'Succeeded' | 'Failed';
  /** Template lines computing `$exitCode` and `$message` (and anything else the state needs). */
  vars: string;
  /** The container's `terminated` state, besides the times. */
  terminated: string;
}

/** A stage ending a finite pod after its run duration, successfully or not. */
function podEndStage(e: PodEnd): string {
  return `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: ${e.name}
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
${FINITE_RUNNING}
    - key: '.metadata.labels["${POD_FAIL_LABEL}"]'
      operator: '${e.failLabel}'
      values: ['true']
  delay:
    durationMilliseconds: ${DEFAULT_POD_RUN_MS}
    durationFrom:
      expressionFrom: '.metadata.annotations["${POD_RUN_DURATION_ANNOTATION}"]'
  next:
    statusTemplate: |
      {{ $now := Now }}
${e.vars}
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        reason: Pod${e.phase === 'Succeeded' ? 'Completed' : 'Failed'}
        type: Ready
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        reason: Pod${e.phase === 'Succeeded' ? 'Completed' : 'Failed'}
        type: ContainersReady
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
${e.terminated}
            finishedAt: {{ $now | Quote }}
            startedAt: {{ $now | Quote }}
      {{ end }}
      phase: ${e.phase}
`;
}

const POD_COMPLETE = podEndStage({
  name: 'pod-complete',
  failLabel: 'NotIn',
  phase: 'Succeeded',
  vars: '',
  terminated: `            exitCode: 0
            reason: Completed`,
});

const POD_FAIL = podEndStage({
  name: 'pod-fail',
  failLabel: 'In',
  phase: 'Failed',
  vars: `      {{ $annotations := or .metadata.annotations dict }}
      {{ $exitCode := or ( index $annotations "${POD_EXIT_CODE_ANNOTATION}" ) "1" }}
      {{ $message := or ( index $annotations "${POD_FAIL_MESSAGE_ANNOTATION}" ) "container failed (${POD_FAIL_LABEL}=true)" }}`,
  terminated: `            exitCode: {{ $exitCode }}
            reason: Error
            message: {{ $message | Quote }}`,
});

const POD_DELETE = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-delete
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'Exists'
  next:
    delete: true
`;

/** The full kwok --config document. */
export function kwokStagesYaml(): string {
  return [NODE_INITIALIZE, NODE_HEARTBEAT, POD_READY, POD_COMPLETE, POD_FAIL, POD_DELETE].join('---\n');
}
