/** A Helm chart written by the test: a Deployment plus hook Jobs (Helm annotations only). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { POD_FAIL_LABEL, POD_RUN_DURATION_ANNOTATION } from '../../../src/localcluster';

export interface ChartHook {
  name: string;
  hook: string;
  weight?: number;
  policy?: string;
  duration?: string;
  fail?: boolean;
}

function hookJob(h: ChartHook): string {
  const ann = [`"helm.sh/hook": ${h.hook}`];
  if (h.weight !== undefined) ann.push(`"helm.sh/hook-weight": "${h.weight}"`);
  if (h.policy) ann.push(`"helm.sh/hook-delete-policy": ${h.policy}`);
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-${h.name}
  annotations:
${ann.map((a) => `    ${a}`).join('\n')}
spec:
  backoffLimit: 0
  template:
    metadata:
      annotations:
        ${POD_RUN_DURATION_ANNOTATION}: "${h.duration ?? '400ms'}"
      labels:
        app: {{ .Release.Name }}
${h.fail ? `        ${POD_FAIL_LABEL}: "true"\n` : ''}    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: {{ .Values.hookImage }}
          command: ["true"]
`;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: {{ .Release.Name }}-web
  template:
    metadata:
      labels:
        app: {{ .Release.Name }}-web
    spec:
      containers:
        - name: web
          image: {{ .Values.image }}
`;

/** Writes `<tmp>/<name>/` (Chart.yaml, values.yaml, templates/) and returns its path. */
export function writeChart(name: string, hooks: ChartHook[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-chart-'));
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\nappVersion: "1.0"\n`);
  fs.writeFileSync(path.join(dir, 'values.yaml'), 'replicas: 1\nimage: nginx:1.27\nhookImage: busybox\n');
  fs.writeFileSync(path.join(dir, 'templates', 'deployment.yaml'), DEPLOYMENT);
  for (const h of hooks) fs.writeFileSync(path.join(dir, 'templates', `hook-${h.name}.yaml`), hookJob(h));
  return dir;
}
