/** The one error type for bad manifests: every problem found, each naming its object and field. */

export interface ManifestProblem {
  /** Where the object came from: `file:line` (or `file:line:column` for syntax errors). */
  source?: string;
  /** The object concerned, e.g. `Job shop/migrate` or `document 2`. */
  object: string;
  /** The field concerned, e.g. `metadata.name`; empty for a whole document. */
  field: string;
  message: string;
}

/** `source: object: field: message`, leaving out empty parts. */
export function formatProblem(p: ManifestProblem): string {
  return [p.source, p.object, p.field, p.message].filter((s) => s !== undefined && s !== '').join(': ');
}

export class ManifestValidationError extends Error {
  readonly problems: readonly ManifestProblem[];

  constructor(problems: readonly ManifestProblem[]) {
    const n = problems.length;
    super([`Invalid manifests (${n} problem${n === 1 ? '' : 's'}):`, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'));
    this.name = 'ManifestValidationError';
    this.problems = problems;
  }
}

/** Throws one ManifestValidationError when there are problems. */
export function throwIfProblems(problems: readonly ManifestProblem[]): void {
  if (problems.length > 0) throw new ManifestValidationError(problems);
}
