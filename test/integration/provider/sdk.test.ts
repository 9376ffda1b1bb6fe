/**
 * The SDKs generated from schema.json (gen-sdk; .NET with tools/pulumi-sdkgen-dotnet): regenerating reproduces what
 * is committed under sdk/, the Python SDK imports with the `pulumi` package from PyPI, and the Go
 * SDK builds. No cluster needed; needs network for PyPI and the Go module proxy.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, syncSdks } from '../../../src/provider/sdkgen';

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-sdktest-'));

test('regenerating the SDKs from schema.json matches sdk/ (nodejs, python, go, dotnet)', async () => {
  const { differences, failed } = await syncSdks({ check: true, log: () => undefined });
  expect(failed).toEqual([]);
  expect(differences).toEqual([]);
}, 30 * 60_000);

test('the Python SDK imports with pulumi from PyPI', () => {
  const venv = tmp();
  try {
    run('python3', ['-m', 'venv', venv]);
    run(path.join(venv, 'bin', 'pip'), ['install', '-q', 'pulumi>=3,<4', path.join(ROOT, 'sdk', 'python')]);
    const out = run(path.join(venv, 'bin', 'python'), ['-c', 'import pulumi_sync_hooks as s; print(s.SyncedChart.__name__, s.RunHooks.ALWAYS.value)'], { cwd: venv });
    expect(out.trim()).toBe('SyncedChart always');
  } finally {
    fs.rmSync(venv, { recursive: true, force: true });
  }
}, 15 * 60_000);

test('the Go SDK builds', () => {
  const dir = tmp();
  try {
    fs.cpSync(path.join(ROOT, 'sdk', 'go'), dir, { recursive: true });
    const env = { GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' };
    run('go', ['mod', 'tidy'], { cwd: dir, env });
    run('go', ['build', './...'], { cwd: dir, env });
    run('go', ['vet', './synchooks'], { cwd: dir, env });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 15 * 60_000);
