/** Captured CLI output, stderr spying for `main`, fixture paths, and a fake cluster wired into the commands. */
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { FakeKubeClient } from '../../support';
import { EngineCmdDeps } from '../../../src/cli/engine-cmd';
import { CliIO } from '../../../src/cli/report';
import { parseArgs } from '../../../src/cli/args';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const fixture = (name: string) => path.join(FIXTURES, name);

export class Captured implements CliIO {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly out = (s: string) => {
    this.stdout.push(s);
  };
  readonly err = (s: string) => {
    this.stderr.push(s);
  };
  get outText(): string {
    return this.stdout.join('\n');
  }
  get errText(): string {
    return this.stderr.join('\n');
  }
}

/** Runs `fn` with process.stderr.write captured (for `main`, which reports errors there). */
export async function withStderr<T>(fn: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const value = await fn();
    return { value, stderr: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

export const args = (argv: string[]) => parseArgs(argv);

export interface FakeSetup {
  fake: FakeKubeClient;
  deps: EngineCmdDeps;
  signals: EventEmitter;
  exits: number[];
}

/** A fake cluster with the `default` namespace, plugged into sync/delete through their seams. */
export function fakeSetup(): FakeSetup {
  const fake = new FakeKubeClient();
  fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const signals = new EventEmitter();
  const exits: number[] = [];
  const deps: EngineCmdDeps = {
    resolveCluster: async () => ({ source: 'flag', description: 'using the fake cluster' }),
    createClient: () => fake,
    engine: { pollIntervalMs: 20, resyncIntervalMs: 200 },
    signalSource: signals,
    exit: (code) => {
      exits.push(code);
    },
  };
  return { fake, deps, signals, exits };
}

/** Polls until `check` is true (no fixed sleeps); throws after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
