/** The benchmark's charts: Argo CD-annotated manifests generated for one namespace. */
import { POD_RUN_DURATION_ANNOTATION } from '../localcluster';
import { KubeObject } from '../model';

const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';

export function configMap(ns: string, name: string, wave?: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, ...(wave !== undefined ? { annotations: { [WAVE]: String(wave) } } : {}) },
    data: { 'app.properties': `name=${name}\nlevel=info\nfeature.x=true\n` },
  };
}

export function deployment(ns: string, name: string, wave: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, annotations: { [WAVE]: String(wave) } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
}

/** A Job whose (kwok) pod runs for `runDuration` (Go duration) and succeeds. `hook`: an Argo CD hook phase. */
export function job(ns: string, name: string, o: { wave?: number; hook?: string; runDuration: string }): KubeObject {
  const annotations: Record<string, string> = {};
  if (o.hook) annotations[HOOK] = o.hook;
  if (o.wave !== undefined) annotations[WAVE] = String(o.wave);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { annotations: { [POD_RUN_DURATION_ANNOTATION]: o.runDuration } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] },
      },
    },
  };
}

export type GateKind = 'ConfigMap' | 'Deployment' | 'Job';
export const GATE_KINDS: GateKind[] = ['ConfigMap', 'Deployment', 'Job'];

/** Gating object of wave `w` in the wave chart: the kinds take turns. */
export function gateOf(w: number): { kind: GateKind; name: string } {
  const kind = GATE_KINDS[w % GATE_KINDS.length];
  return { kind, name: `w${String(w).padStart(2, '0')}-${kind.toLowerCase()}` };
}

/**
 * (a) `waves` waves with one object each, gating the next wave: a ConfigMap (ready once it
 * exists), a Deployment (ready once rolled out) or a non-hook Job (ready once Complete; its pod
 * runs 200 ms), in turn.
 */
export function waveChart(ns: string, waves: number): KubeObject[] {
  return Array.from({ length: waves }, (_, w) => {
    const g = gateOf(w);
    if (g.kind === 'ConfigMap') return configMap(ns, g.name, w);
    if (g.kind === 'Deployment') return deployment(ns, g.name, w);
    return job(ns, g.name, { wave: w, runDuration: '200ms' });
  });
}

export interface HookChartShape {
  waves: number;
  /** Managed objects per wave (ConfigMaps, plus `deploymentsPerWave` Deployments among them). */
  objectsPerWave: number;
  deploymentsPerWave: number;
  /** Run duration of each wave's hook Job pod. */
  hookRunDuration: string;
}

export const hookName = (w: number): string => `hook-w${w}`;

/** (b) Per wave: `objectsPerWave` managed objects and one Sync hook Job (default delete policy). */
export function hookChart(ns: string, s: HookChartShape): KubeObject[] {
  const out: KubeObject[] = [];
  for (let w = 0; w < s.waves; w++) {
    for (let i = 0; i < s.objectsPerWave; i++) {
      const name = `w${w}-obj-${String(i).padStart(2, '0')}`;
      out.push(i < s.deploymentsPerWave ? deployment(ns, name, w) : configMap(ns, name, w));
    }
    out.push(job(ns, hookName(w), { hook: 'Sync', wave: w, runDuration: s.hookRunDuration }));
  }
  return out;
}

/**
 * (f) `objects` objects in `waves` waves: `hooks` Sync hook Jobs (hook h in wave h mod waves) and
 * ConfigMaps for the rest, spread evenly over the waves.
 */
export function scaleChart(ns: string, s: { objects: number; waves: number; hooks: number; hookRunDuration: string }): KubeObject[] {
  const managed = s.objects - s.hooks;
  const out: KubeObject[] = [];
  for (let i = 0; i < managed; i++) out.push(configMap(ns, `s-${String(i).padStart(5, '0')}`, Math.floor((i * s.waves) / managed)));
  for (let h = 0; h < s.hooks; h++) out.push(job(ns, `s-hook-${String(h).padStart(2, '0')}`, { hook: 'Sync', wave: h % s.waves, runDuration: s.hookRunDuration }));
  return out;
}

/** (c) `n` ConfigMaps, one wave. */
export function bulkChart(ns: string, n: number, prefix = 'cm'): KubeObject[] {
  return Array.from({ length: n }, (_, i) => configMap(ns, `${prefix}-${String(i).padStart(5, '0')}`));
}
