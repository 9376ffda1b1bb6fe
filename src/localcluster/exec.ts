/** Running external commands (go, binaries) with captured output and heartbeat progress. */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { formatDuration, ProgressFn } from './progress';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Log file receiving stdout+stderr. */
  logFile: string;
  progress: ProgressFn;
  /** Label used in heartbeat lines, e.g. "building kube-apiserver". */
  label: string;
  heartbeatMs?: number;
}

/** Runs a command to completion; rejects with the log tail on a non-zero exit. */
export function runLogged(cmd: string, args: string[], opts: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(opts.logFile, 'a');
    fs.writeSync(log, `\n$ ${cmd} ${args.join(' ')}\n`);
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', log, log] });
    const timer = setInterval(
      () => opts.progress(`  still ${opts.label}… ${formatDuration(Date.now() - started)} elapsed`),
      opts.heartbeatMs ?? 30_000,
    );
    const done = (err?: Error) => {
      clearInterval(timer);
      fs.closeSync(log);
      if (err) reject(err);
      else resolve();
    };
    child.on('error', (e) => done(e));
    child.on('exit', (code, signal) => {
      if (code === 0) done();
      else done(new Error(`${cmd} ${args.slice(0, 3).join(' ')}… exited with ${code ?? signal}\n${tail(opts.logFile, 25)}`));
    });
  });
}

/** Last `n` lines of a file ('' when missing). */
export function tail(file: string, n: number): string {
  try {
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return lines.slice(-n).join('\n');
  } catch {
    return '';
  }
}

/** Output of a quick command, or undefined when it cannot run. */
export function capture(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 20_000 });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim();
}
