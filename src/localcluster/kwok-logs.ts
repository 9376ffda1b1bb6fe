/**
 * Pod logs on the embedded cluster. kwok plays the kubelet: with its server on (TLS, the API
 * server's own self-signed certificate; the API server does not verify kubelet certificates
 * without --kubelet-certificate-authority) it answers `pods/log` from CRI-format files named by
 * `ClusterLogs` objects (kwok.x-k8s.io/v1alpha1), which tests create: a selector of namespaces (or
 * pod names) and the file to serve. A pod no ClusterLogs selects has no logs, as before.
 */

/** The ClusterLogs CRD (schema left open: kwok validates what it reads). */
export const CLUSTER_LOGS_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'clusterlogs.kwok.x-k8s.io' },
  spec: {
    group: 'kwok.x-k8s.io',
    names: { kind: 'ClusterLogs', listKind: 'ClusterLogsList', plural: 'clusterlogs', singular: 'clusterlogs' },
    scope: 'Cluster',
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

/** One line of a CRI log file (what kwok serves): `<RFC3339Nano> stdout F <text>`. */
export function criLogLines(lines: readonly string[], at = new Date()): string {
  const ts = at.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
  return lines.map((l) => `${ts} stdout F ${l}\n`).join('');
}

/** A ClusterLogs object serving `file` for every container of the pods in `namespaces`. */
export function clusterLogs(name: string, namespaces: readonly string[], file: string) {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name },
    spec: { selector: { matchNamespaces: [...namespaces] }, logs: [{ logsFile: file }] },
  };
}
