/**
 * The error thrown by every construct in this module when its props are invalid.
 *
 * Constructs validate in their constructor (fail fast), so a bad prop surfaces where the construct
 * is created, before any synthesis. All problems found in one set of props are reported together.
 */

/** One invalid prop: `prop` is a dotted path into the props, e.g. `wave` or `slack.webhookUrl`. */
export interface HookProblem {
  readonly prop: string;
  readonly message: string;
}

export class HookValidationError extends Error {
  /** The construct path (`node.path`) of the construct that rejected its props. */
  public readonly path: string;
  /** The first invalid prop (see `problems` for all of them). */
  public readonly prop: string;
  /** Every problem found, in the order the props were checked. Never empty. */
  public readonly problems: readonly HookProblem[];

  constructor(path: string, problems: readonly HookProblem[]) {
    if (problems.length === 0) throw new Error('HookValidationError needs at least one problem');
    super(problems.map((p) => `[${path}] ${p.prop}: ${p.message}`).join('\n'));
    this.name = 'HookValidationError';
    this.path = path;
    this.prop = problems[0].prop;
    this.problems = [...problems];
  }
}
