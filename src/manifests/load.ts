/** Loading manifests from files and directories (e.g. a cdk8s `dist/`). */
import { readFileSync } from 'node:fs';
import { KubeObject } from '../model';
import { throwIfProblems } from './errors';
import { manifestFiles } from './files';
import { ParseResult, readManifestText } from './parse';
import { manifestProblems, ValidateOptions } from './validate';

/** Reads every manifest under `paths`, collecting read and syntax problems (never throws). */
export function readManifests(paths: readonly string[]): ParseResult {
  const { files, problems } = manifestFiles(paths);
  const objects: KubeObject[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      problems.push({ source: file, object: '', field: '', message: (e as Error).message });
      continue;
    }
    const r = readManifestText(text, file);
    objects.push(...r.objects);
    problems.push(...r.problems);
  }
  return { objects, problems };
}

/**
 * Loads the objects of YAML/JSON files or directories of them (recursive, sorted), flattening
 * `kind: List`. Throws one ManifestValidationError listing every unreadable file and syntax error.
 */
export function loadManifests(paths: readonly string[]): KubeObject[] {
  const { objects, problems } = readManifests(paths);
  throwIfProblems(problems);
  return objects;
}

/** `loadManifests` + `validateManifests`, with syntax and object problems reported in one error. */
export function loadValidManifests(paths: readonly string[], opts: ValidateOptions = {}): KubeObject[] {
  const { objects, problems } = readManifests(paths);
  throwIfProblems([...problems, ...manifestProblems(objects, opts)]);
  return objects;
}
