/**
 * Running the CLI against the test cluster: in-process through `main` (stdout and stderr captured),
 * or as a child process of `bin/sync-hooks.js` (for real signals). Manifests are written as
 * multi-document YAML files in a temp dir.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { main } from '../../../src/cli/main';
import { KubeClient } from '../../../src/engine';
import { HOOK_FINALIZER, KubeObject } from '../../../src/model';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout lines that are engine events, without their `+1.2s ` prefix. */
  events: string[];
}

const eventsOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => /^\+\d+\.\ds /.test(l))
    .map((l) => l.replace(/^\+\d+\.\ds /, ''));

/** `main(argv)` in this process, with stderr captured (and echoed when the test fails: jest prints console output). */
export async function cli(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  let code: number;
  try {
    code = await main(argv, (s) => out.push(s));
  } finally {
    spy.mockRestore();
  }
  const stdout = out.join('\n');
  return { code, stdout, stderr: err.join(''), events: eventsOf(stdout) };
}

export function writeManifests(dir: string, name: string, objs: KubeObject[]): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, objs.map((o) => stringify(o)).join('---\n'));
  return p;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-cli-it-'));
}

/** A running `node bin/sync-hooks.js ...` with its output collected. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(argv: string[], env: NodeJS.ProcessEnv = {}) {
    const bin = path.join(__dirname, '..', '..', '..', 'bin', 'sync-hooks.js');
    // process.execPath: the Node that runs jest (node_modules/.bin's, >= 22).
    this.child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '', ...env } });
    this.child.stdout!.on('data', (d) => (this.stdout += String(d)));
    this.child.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get events(): string[] {
    return eventsOf(this.stdout);
  }

  /** Resolves once stdout has a line containing `text` (rejects if the process exits first or after `timeoutMs`). */
  async waitForOutput(text: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    void this.exited.then(() => (done = true));
    while (!this.stdout.includes(text)) {
      if (done) throw new Error(`exited before printing "${text}":\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no "${text}" after ${timeoutMs}ms:\n${this.stdout}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Jobs left with the hook finalizer (a killed run) would keep their namespace Terminating: release them. */
export async function releaseHookFinalizers(c: KubeClient, namespace: string): Promise<void> {
  for (const kind of [
    { apiVersion: 'batch/v1', kind: 'Job' },
    { apiVersion: 'v1', kind: 'Pod' },
  ]) {
    const items = await c.list({ ...kind, namespace }).catch(() => []);
    for (const o of items) {
      if (o.metadata.finalizers?.includes(HOOK_FINALIZER)) {
        await c.patchFinalizers({ ...kind, namespace, name: o.metadata.name! }, { remove: [HOOK_FINALIZER] }).catch(() => undefined);
      }
    }
  }
}
