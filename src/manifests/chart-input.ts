/**
 * The one way a chart given to `SyncedChart`, `HookPhases` or the native provider becomes
 * manifests: a YAML/JSON string goes through the same reader as the CLI's `-f` files (YAML 1.1 as
 * kubectl reads it; syntax errors and duplicate keys are a `ManifestValidationError` naming the
 * document and line), an array is taken as is, and anything with cdk8s' `toJson()` is synthesized.
 */
import { KubeObject } from '../model';
import { parseManifestText } from './parse';

/** Anything with cdk8s' `Chart.toJson()`. */
export interface ChartLike {
  toJson(): any[];
}

export type ChartInput = ChartLike | KubeObject[] | string;

/**
 * Manifests of `chart`. `source` names it in errors (e.g. `SyncedChart "shop": chart`).
 * Throws `ManifestValidationError` for bad YAML, `TypeError` for a value of the wrong type.
 */
export function chartManifests(chart: ChartInput, source: string): KubeObject[] {
  if (typeof chart === 'string') return parseManifestText(chart, source);
  if (Array.isArray(chart)) return chart;
  if (chart && typeof (chart as ChartLike).toJson === 'function') return (chart as ChartLike).toJson();
  throw new TypeError(`${source}: must be a cdk8s Chart, an array of manifests or a YAML string`);
}
