/**
 * (h) The chart that Helm and sync-hooks both install, then upgrade: one object list with Argo CD
 * annotations (what the engine reads), and the Helm chart directory generated from that same list
 * (no hand-written duplicate): PreSync/PostSync hooks become pre-/post-install+upgrade hooks, the
 * hook's wave becomes its `helm.sh/hook-weight`, its delete policies Helm's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { HookPhase, KubeObject, parseHookInfo } from '../model';
import { configMap, deployment, job } from './charts';

const ARGO_PREFIX = 'argocd.argoproj.io/';
const REVISION_ANNOTATION = 'bench.sync-hooks.dev/revision';

export interface HelmCompareShape {
  /** Managed ConfigMaps (Sync phase, wave 0). */
  configMaps: number;
  /** Managed Deployments with 1 replica (Sync phase, wave 0): both tools wait for their rollout. */
  deployments: number;
  /** Hook waves per phase: PreSync waves 0..n-1, then PostSync waves 0..n-1. */
  hookWaves: number;
  /** Hook Jobs per wave: the engine runs them together, Helm one after the other. */
  hooksPerWave: number;
  /** Run duration of each hook Job's pod (Go duration). */
  hookRunDuration: string;
}

export const hookJobName = (phase: 'PreSync' | 'PostSync', wave: number, i: number): string => `${phase === 'PreSync' ? 'pre' : 'post'}-w${wave}-${i}`;

/**
 * The object list, for revision `revision` (1 = install, 2 = upgrade): the upgrade changes every
 * ConfigMap's data and every Deployment's pod template, so the Deployments roll out again.
 */
export function helmCompareChart(ns: string, s: HelmCompareShape, revision: number): KubeObject[] {
  const out: KubeObject[] = [];
  for (const phase of ['PreSync', 'PostSync'] as const) {
    for (let w = 0; w < s.hookWaves; w++) {
      for (let i = 0; i < s.hooksPerWave; i++) out.push(job(ns, hookJobName(phase, w, i), { hook: phase, wave: w, runDuration: s.hookRunDuration }));
    }
  }
  for (let i = 0; i < s.configMaps; i++) {
    const cm = configMap(ns, `cm-${String(i).padStart(3, '0')}`);
    cm.data = { ...(cm.data as Record<string, string>), revision: String(revision) };
    out.push(cm);
  }
  for (let i = 0; i < s.deployments; i++) {
    const d = deployment(ns, `web-${i}`, 0);
    d.spec.template.metadata.annotations = { [REVISION_ANNOTATION]: String(revision) };
    out.push(d);
  }
  return out;
}

const HELM_HOOKS: Partial<Record<HookPhase, string>> = { PreSync: 'pre-install,pre-upgrade', PostSync: 'post-install,post-upgrade' };
const HELM_DELETE_POLICY: Record<string, string> = { BeforeHookCreation: 'before-hook-creation', HookSucceeded: 'hook-succeeded', HookFailed: 'hook-failed' };

/**
 * The same object as a Helm chart template: Argo CD annotations replaced by their Helm
 * equivalents, no namespace (Helm installs into `--namespace`). Throws, naming the object and the
 * field, for what Helm cannot express: Sync/SyncFail/delete hooks, waves of non-hook objects,
 * template delimiters in the content.
 */
export function toHelmObject(o: KubeObject): KubeObject {
  const id = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
  const info = parseHookInfo(o);
  if (info.problems.length) throw new Error(`${id}: ${info.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.metadata.annotations ?? {})) if (!k.startsWith(ARGO_PREFIX)) annotations[k] = String(v);
  if (info.isHook) {
    const helmHooks = info.phases.map((p) => {
      const h = HELM_HOOKS[p];
      if (!h) throw new Error(`${id}: metadata.annotations["${ARGO_PREFIX}hook"]: ${p} has no Helm equivalent (only PreSync and PostSync do)`);
      return h;
    });
    annotations['helm.sh/hook'] = helmHooks.join(',');
    annotations['helm.sh/hook-weight'] = String(info.wave);
    annotations['helm.sh/hook-delete-policy'] = info.deletePolicies.map((p) => HELM_DELETE_POLICY[p]).join(',');
  } else if (info.wave !== 0) {
    throw new Error(`${id}: metadata.annotations["${ARGO_PREFIX}sync-wave"]: Helm has no waves for non-hook objects (wave ${info.wave}; use 0)`);
  }
  const metadata = { ...o.metadata };
  delete metadata.namespace;
  delete metadata.annotations;
  const out: KubeObject = { ...o, metadata: { ...metadata, ...(Object.keys(annotations).length ? { annotations } : {}) } };
  if (JSON.stringify(out).includes('{{')) throw new Error(`${id}: contains "{{", which Helm would read as a template action`);
  return out;
}

/** Writes a Helm chart directory (Chart.yaml and one template per object) for `objects`. */
export function writeHelmChart(dir: string, name: string, version: string, objects: KubeObject[]): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), stringify({ apiVersion: 'v2', name, version, type: 'application' }));
  objects.forEach((o, i) => {
    const file = `${String(i).padStart(4, '0')}-${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
    fs.writeFileSync(path.join(dir, 'templates', file), stringify(toHelmObject(o)));
  });
}

/** Writes the engine's input: the same objects, as one multi-document YAML file. */
export function writeManifests(file: string, objects: KubeObject[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
}
