/** Finding manifest files: explicit files as given, directories walked recursively. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ManifestProblem } from './errors';

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && MANIFEST_EXT.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * The files to read for `paths`, in order: a file is taken as given; a directory contributes its
 * `.yaml`, `.yml` and `.json` files, recursively, sorted by name (hidden entries skipped).
 */
export function manifestFiles(paths: readonly string[]): { files: string[]; problems: ManifestProblem[] } {
  const files: string[] = [];
  const problems: ManifestProblem[] = [];
  for (const p of paths) {
    try {
      files.push(...(statSync(p).isDirectory() ? walk(p) : [p]));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({ source: p, object: '', field: '', message: code === 'ENOENT' ? 'no such file or directory' : (e as Error).message });
    }
  }
  return { files, problems };
}
