/** Manifest loading (YAML/JSON files and directories) and static validation. */
export { formatProblem, ManifestValidationError } from './errors';
export type { ManifestProblem } from './errors';
export { loadManifests, loadValidManifests, readManifests } from './load';
export { parseManifestText, readManifestText } from './parse';
export type { ParseResult } from './parse';
export { manifestFiles } from './files';
export { sourceOf } from './source';
export { manifestProblems, objectLabel, validateManifests } from './validate';
export { emptyChartProblem, maxNameLength } from './names';
export type { ValidateOptions } from './validate';
export { chartManifests } from './chart-input';
export type { ChartInput, ChartLike } from './chart-input';
