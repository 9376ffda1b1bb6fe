/**
 * The bad-input corpus: each case is a chart (a fixture file under fixtures/, or generated when it
 * is too big to keep) or a kubeconfig that cannot work, with what the error must name. Every case
 * must be rejected by every entry point it is run through, before anything is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const CORPUS_NS = 'corpus';

export interface BadInput {
  id: string;
  /** The chart: a fixture file name, or text generated at run time. */
  file?: string;
  generate?: () => string;
  /** Kubeconfig to use instead of the test cluster's: a fixture file, or made from the real one. */
  kubeconfig?: 'unreachable' | 'garbage' | 'missing' | 'wrong-token';
  /** Every pattern must appear in the error: the object and the field (or document and line). */
  expect: RegExp[];
  /** Also run through HookPhases' input path (its charts hold only hooks). */
  hookPhases?: boolean;
}

const ANN = (key: string) => new RegExp(`metadata\\.annotations\\["argocd\\.argoproj\\.io/${key}"\\]`);
const MIGRATE = /Job (corpus\/)?migrate/;
const CM_OK = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: corpus-ok\ndata: {k: v}\n';

export const CASES: BadInput[] = [
  // annotation values
  { id: 'hook-unknown-type', file: '01-hook-unknown-type.yaml', expect: [MIGRATE, ANN('hook'), /PreSink/], hookPhases: true },
  { id: 'delete-policy-unknown', file: '02-delete-policy-unknown.yaml', expect: [MIGRATE, ANN('hook-delete-policy'), /WhenDone/], hookPhases: true },
  { id: 'wave-not-integer', file: '03-wave-not-integer.yaml', expect: [MIGRATE, ANN('sync-wave'), /integer/], hookPhases: true },
  { id: 'wave-unquoted-number', file: '04-wave-unquoted-number.yaml', expect: [MIGRATE, ANN('sync-wave'), /must be a string/], hookPhases: true },
  { id: 'hook-skip-combined', file: '05-hook-skip-combined.yaml', expect: [MIGRATE, ANN('hook'), /Skip/], hookPhases: true },
  { id: 'annotation-boolean', file: '06-annotation-boolean.yaml', expect: [MIGRATE, /metadata\.annotations\["example\.com\/enabled"\]/], hookPhases: true },
  { id: 'label-not-string', file: '07-label-not-string.yaml', expect: [/ConfigMap (corpus\/)?labelled/, /metadata\.labels\["tier"\]/] },
  // names and lengths
  { id: 'job-name-64', file: '08-job-name-64.yaml', expect: [/Job (corpus\/)?j{64}/, /metadata\.name/, /at most 63/], hookPhases: true },
  { id: 'generate-name-too-long', file: '09-generate-name-too-long.yaml', expect: [/Job (corpus\/)?g{44}-/, /metadata\.generateName/, /at most 63/] },
  { id: 'name-upper-case', file: '10-name-upper-case.yaml', expect: [/ConfigMap (corpus\/)?MyConfig/, /metadata\.name/] },
  { id: 'name-missing', file: '11-name-missing.yaml', expect: [/ConfigMap/, /metadata\.name/, /required/] },
  { id: 'generate-name-not-hook', file: '12-generate-name-not-hook.yaml', expect: [/ConfigMap (corpus\/)?cfg-/, /metadata\.generateName/] },
  { id: 'name-bad-characters', file: '13-name-bad-characters.yaml', expect: [/ConfigMap (corpus\/)?cfg_1/, /metadata\.name/] },
  { id: 'namespace-name-64', file: '14-namespace-name-64.yaml', expect: [/Namespace n{64}/, /metadata\.name/, /at most 63/] },
  // kinds
  { id: 'kind-not-served', file: '15-kind-not-served.yaml', expect: [/Widget (corpus\/)?w\b/, /kind Widget is not served/] },
  { id: 'kind-missing', file: '16-kind-missing.yaml', expect: [/nokind/, /kind: is required/] },
  { id: 'api-version-missing', file: '17-api-version-missing.yaml', expect: [/ConfigMap (corpus\/)?noversion/, /apiVersion: is required/] },
  { id: 'kind-wrong-api-version', file: '18-kind-wrong-api-version.yaml', expect: [/Deployment (corpus\/)?web/, /kind Deployment is not served .* at v1/] },
  // namespaces
  { id: 'namespace-missing', file: '19-namespace-missing.yaml', expect: [/ConfigMap corpus-nowhere\/lost/, /namespace "corpus-nowhere" does not exist/] },
  { id: 'namespace-invalid-name', file: '20-namespace-invalid-name.yaml', expect: [/ConfigMap Bad_NS\/cfg/, /namespace "Bad_NS"/] },
  // YAML syntax and duplicate keys (the one reader names document and line)
  { id: 'yaml-unclosed-flow', file: '21-yaml-unclosed-flow.yaml', expect: [/document 1/, /:\d+:\d+/, /invalid YAML/], hookPhases: true },
  { id: 'yaml-bad-indentation', file: '22-yaml-bad-indentation.yaml', expect: [/document 1/, /:4:\d+/, /invalid YAML/], hookPhases: true },
  { id: 'yaml-duplicate-key', file: '23-yaml-duplicate-key.yaml', expect: [/document 1/, /:5:\d+/, /unique/], hookPhases: true },
  { id: 'yaml-scalar-document', file: '24-yaml-scalar-document.yaml', expect: [/document 2/, /not a Kubernetes object/] },
  { id: 'duplicate-object', file: '25-duplicate-object.yaml', expect: [/ConfigMap (corpus\/)?corpus-ok/, /metadata\.name: duplicate object/] },
  { id: 'yaml-tab-indent', file: '26-yaml-tab-indent.yaml', expect: [/document 1/, /:4:\d+/, /[Tt]abs/], hookPhases: true },
  // specs the API server rejects (server-side dry run)
  { id: 'deployment-selector-mismatch', file: '27-deployment-selector-mismatch.yaml', expect: [/Deployment corpus\/web/, /spec\.template\.metadata\.labels/] },
  { id: 'service-port-out-of-range', file: '28-service-port-out-of-range.yaml', expect: [/Service corpus\/svc/, /spec\.ports\[0\]\.port/] },
  { id: 'job-container-no-image', file: '29-job-container-no-image.yaml', expect: [/Job corpus\/noimage/, /spec\.template\.spec\.containers\[0\]\.image/], hookPhases: true },
  { id: 'job-restart-always', file: '30-job-restart-always.yaml', expect: [/Job corpus\/always/, /spec\.template\.spec\.restartPolicy/] },
  { id: 'deployment-replicas-string', file: '31-deployment-replicas-string.yaml', expect: [/Deployment corpus\/web/, /spec\.replicas/] },
  // huge objects (generated: too big to keep in the repository)
  {
    id: 'configmap-over-1mib',
    generate: () => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  blob: "${'x'.repeat(1_100_000)}"\n`,
    expect: [/ConfigMap corpus\/huge/, /1048576|too long|Too long|too large/i],
  },
  {
    id: 'annotations-over-256kib',
    generate: () => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: annotated\n  annotations:\n    example.com/blob: "${'a'.repeat(300_000)}"\ndata: {k: v}\n`,
    expect: [/ConfigMap corpus\/annotated/, /metadata\.annotations/],
  },
  // empty charts
  { id: 'empty-file', file: '32-empty-file.yaml', expect: [/contains no objects/] },
  { id: 'only-comments', file: '33-only-comments.yaml', expect: [/contains no objects/] },
  // kubeconfigs that are wrong or unreachable (with a valid chart)
  { id: 'kubeconfig-unreachable', generate: () => CM_OK, kubeconfig: 'unreachable', expect: [/cannot reach the cluster at https:\/\/127\.0\.0\.1:1/] },
  { id: 'kubeconfig-garbage', generate: () => CM_OK, kubeconfig: 'garbage', expect: [/kubeconfig/i] },
  { id: 'kubeconfig-missing-file', generate: () => CM_OK, kubeconfig: 'missing', expect: [/kubeconfig/i] },
  { id: 'kubeconfig-wrong-token', generate: () => CM_OK, kubeconfig: 'wrong-token', expect: [/401|[Uu]nauthorized|not authenticated/] },
];

/** The chart text of a case. */
export function chartText(c: BadInput): string {
  return c.file ? fs.readFileSync(path.join(FIXTURES, c.file), 'utf8') : c.generate!();
}
