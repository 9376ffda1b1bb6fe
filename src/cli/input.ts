/**
 * Reading the `-f` inputs (multi-document YAML or JSON files, directories such as a cdk8s `dist/`)
 * and reporting bad input: one message listing every problem, exit code 2, nothing written.
 */
// The defining modules, not the engine's index: `plan` must not load the whole engine.
import { ClusterValidationError } from '../engine/errors';
import { LockHeldError, LockLostError, RecordError } from '../engine/operation-errors';
import { loadValidManifests, ManifestValidationError } from '../manifests';
import { prepareManifests } from '../runner/prepare';
import { KubeObject } from '../model';
import { CliIO, problemsJson } from './report';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
/** Cancelled by Ctrl-C (128 + SIGINT). */
export const EXIT_CANCELLED = 130;

/** Loads and statically validates the manifests; throws ManifestValidationError listing every problem. */
export function loadInput(paths: readonly string[], namespace?: string): KubeObject[] {
  // Cluster-scoped objects lose a namespace they carry (cdk8s charts set it on every object).
  return paths.length ? prepareManifests(loadValidManifests(paths, { defaultNamespace: namespace })) : [];
}

/**
 * Reports bad input (bad manifests, or objects the cluster would reject, found before anything was
 * written) and returns exit code 2; `undefined` for any other error.
 */
export function reportBadInput(e: unknown, operation: string, io: CliIO, json: boolean): number | undefined {
  if (e instanceof ManifestValidationError) {
    io.err(`sync-hooks: ${e.message}`);
    if (json) io.out(JSON.stringify({ operation, status: 'Invalid', problems: problemsJson(e.problems) }));
    return EXIT_BAD_INPUT;
  }
  if (e instanceof ClusterValidationError) {
    io.err(`sync-hooks: ${e.message}`);
    if (json) io.out(JSON.stringify({ operation, status: 'Invalid', problems: e.problems.map((p) => ({ object: p.object ?? '', field: '', message: p.message })) }));
    return EXIT_BAD_INPUT;
  }
  if (e instanceof LockHeldError || e instanceof LockLostError || e instanceof RecordError) {
    io.err(`sync-hooks: ${e.message}`);
    const status = e instanceof LockHeldError ? 'Locked' : e instanceof LockLostError ? 'LockLost' : 'Failed';
    if (json) io.out(JSON.stringify({ operation, status, error: { message: e.message } }));
    return EXIT_FAILED;
  }
  return undefined;
}
