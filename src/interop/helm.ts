/**
 * Pure helpers for Helm charts: the options of the Kubernetes provider's `kubernetes:helm:template`
 * invoke (the renderer behind `helm.v3.Chart`, which keeps hooks), and the hooks of a rendering.
 */
import * as path from 'node:path';
import { HELM_HOOK, KubeObject } from '../model';

export interface HelmTemplateRequest {
  /** Chart reference (`repo/name`, OCI or URL) or a local chart directory / packaged .tgz path. */
  chart: string;
  releaseName: string;
  namespace?: string;
  values?: Record<string, unknown>;
  version?: string;
  /** Repository URL for a chart reference (`fetchOpts.repo`). */
  repo?: string;
}

function isLocal(chart: string): boolean {
  return chart.startsWith('.') || chart.startsWith('/') || chart.endsWith('.tgz');
}

/**
 * `jsonOpts` of the invoke (snake_case, as helm.v3.Chart sends them). A local chart directory is
 * given as `path` (its parent) plus `chart` (its base name): the provider loads `path/chart`.
 */
export function helmTemplateOpts(req: HelmTemplateRequest): Record<string, unknown> {
  const opts: Record<string, unknown> = { release_name: req.releaseName, values: req.values ?? {} };
  if (req.namespace) opts.namespace = req.namespace;
  if (isLocal(req.chart) && !req.chart.endsWith('.tgz')) {
    const abs = path.resolve(req.chart);
    opts.path = path.dirname(abs);
    opts.chart = path.basename(abs);
  } else {
    opts.chart = req.chart;
    if (req.version) opts.version = req.version;
    if (req.repo) opts.fetch_opts = { repo: req.repo };
  }
  return opts;
}

export function isHelmHook(obj: KubeObject): boolean {
  const v = obj?.metadata?.annotations?.[HELM_HOOK];
  return typeof v === 'string' && v.trim().length > 0;
}

/** The hook objects of a rendered chart (those with `helm.sh/hook`); the rest is what helm.v4.Chart deploys. */
export function helmHooks(rendered: readonly KubeObject[]): KubeObject[] {
  return rendered.filter((o) => o && isHelmHook(o));
}
