/** Drives real `pulumi` CLI operations through the Automation API against the file backend. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import { localStack } from '../../../src/pulumi/workspace';
import { Toolchain } from '../../../src/localcluster/toolchain';
import { uniqueName } from './kube';

export interface TestStack {
  stack: automation.Stack;
  stateDir: string;
  /** Collected engine output of the last operation. */
  output: string[];
  /** Concatenated text of every state file in the backend (to check for plaintext secrets). */
  stateText(): string;
  cleanup(): Promise<void>;
}

function toolchainFromEnv(): Toolchain {
  const pulumi = process.env.SYNC_HOOKS_PULUMI;
  const bin = process.env.SYNC_HOOKS_PULUMI_BIN;
  if (!pulumi || !bin) throw new Error('SYNC_HOOKS_PULUMI is not set: run integration tests through jest (globalSetup)');
  return { pulumi, pulumiBinDir: bin, k8sBin: '', kwok: '', pulumiVersion: '' };
}

export async function testStack(program: automation.PulumiFn, opts: { project?: string; envVars?: Record<string, string> } = {}): Promise<TestStack> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-state-'));
  const output: string[] = [];
  const stack = await localStack({
    projectName: opts.project ?? 'synchookstest',
    stackName: uniqueName('t'),
    program,
    stateDir,
    toolchain: toolchainFromEnv(),
    envVars: opts.envVars,
  });
  return {
    stack,
    stateDir,
    output,
    stateText: () => readAll(stateDir),
    cleanup: async () => {
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Text of every file of the file backend (`.pulumi/`: checkpoints, backups, history). */
function readAll(dir: string): string {
  let s = '';
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) s += fs.readFileSync(p, 'utf8');
    }
  };
  walk(path.join(dir, '.pulumi'));
  return s;
}

export const collect = (sink: string[]) => (line: string) => sink.push(line);
