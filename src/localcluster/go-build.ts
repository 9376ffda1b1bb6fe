/**
 * The frame every toolchain build shares: Go on PATH, a staged helper module from `tools/`, a build
 * log with heartbeat progress, and the `.complete` marker written when every step succeeded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { markComplete } from './build-cache';
import { ToolchainError } from './errors';
import { capture, runLogged } from './exec';
import { formatDuration, ProgressFn } from './progress';

/** Directory of the Go helper modules shipped with the package (`tools/`). */
export function toolsDir(): string {
  return path.resolve(__dirname, '..', '..', 'tools');
}

export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
}

function requireGo(): void {
  const v = capture('go', ['version'], goEnv());
  if (!v) {
    throw new ToolchainError(
      'go',
      'the Go toolchain (>= 1.26) is needed once to build the local Kubernetes control plane and the pulumi CLI, but `go` is not on PATH. ' +
        'Install Go, or point KUBECONFIG at an existing cluster and put `pulumi` on PATH.',
    );
  }
}

/** Copies a Go helper module from `tools/<name>` into the build directory. */
function stageModule(name: string, dest: string): void {
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(path.join(toolsDir(), name), dest, { recursive: true, filter: (src) => !src.endsWith('.md') });
}

/** What a build step gets: its directories and `run`, which logs to the build log with heartbeats. */
export interface GoBuild {
  dir: string;
  src: string;
  bin: string;
  env: NodeJS.ProcessEnv;
  run(label: string, args: string[], env?: NodeJS.ProcessEnv): Promise<void>;
}

export interface GoBuildSpec {
  /** Component name for the final progress line, e.g. "kwok". */
  name: string;
  /** The announcement: what is built and how long it takes the first time. */
  announce: string;
  /** Go helper module under tools/ to stage as the build's working directory. */
  module?: string;
  /** Versions recorded in the `.complete` marker. */
  marker: Record<string, unknown>;
}

/** Runs `steps` in the shared frame: Go present, directories, announcement, marker, duration. */
export async function goBuild(dir: string, progress: ProgressFn, spec: GoBuildSpec, steps: (b: GoBuild) => Promise<void>): Promise<void> {
  requireGo();
  const started = Date.now();
  const src = path.join(dir, 'src');
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'build.log');
  fs.mkdirSync(bin, { recursive: true });
  if (spec.module) stageModule(spec.module, src);
  progress(`${spec.announce} Log: ${log}`);
  const env = goEnv();
  const cwd = spec.module ? src : dir;
  await steps({
    dir,
    src,
    bin,
    env,
    run: (label, args, extra) => runLogged('go', args, { cwd, env: { ...env, ...extra }, logFile: log, progress, label }),
  });
  markComplete(dir, { ...spec.marker, seconds: (Date.now() - started) / 1000 });
  progress(`built ${spec.name} in ${formatDuration(Date.now() - started)}`);
}
