/**
 * The package as users meet it: `npm pack`, then projects of their own that install the tarball
 * beside their own cdk8s, constructs and @pulumi/pulumi (versions other than our devDependencies,
 * at the floor of our peer ranges), on the oldest Node we support (engines.node).
 *
 * 1. A Pulumi TypeScript project (its own Pulumi.yaml, package.json, tsconfig.json from Pulumi's
 *    template, and index.ts = the README's example as written): `tsc` compiles it, `npm ls` shows
 *    one copy of each peer, the real `pulumi` CLI run in that directory does `up` (hooks in order,
 *    seen by an independent watch) and `destroy` (delete hooks, nothing left).
 * 2. A cdk8s app without Pulumi imports `pulumi-sync-hooks/constructs` and synthesizes a chart;
 *    no @pulumi module is installed or loaded.
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pulumiEnv } from '../../../src/pulumi/workspace';
import { eventually, isNotFound, k8s, kubeConfig, kubeconfigPath } from '../helpers/kube';
import { Recorder } from '../helpers/recorder';

const { minNode } = require('../../../scripts/min-node.js') as { minNode: () => string };

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const PEERS = { '@pulumi/pulumi': '3.230.0', cdk8s: '2.70.0', constructs: '10.4.0' };

let work: string;
let tarball: string;
let node: string;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A fixture directory copied into `work/name`, `@TARBALL@` replaced by the packed tarball. */
function project(name: string, extra: Record<string, string> = {}): string {
  const dir = path.join(work, name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  const pj = path.join(dir, 'package.json');
  fs.writeFileSync(pj, fs.readFileSync(pj, 'utf8').replace('@TARBALL@', tarball));
  for (const [f, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

/** npm with the minimum Node first on PATH (so install scripts and engines checks see it). */
function npmEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`, npm_config_audit: 'false', npm_config_fund: 'false' };
}

function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- consumer-example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- consumer-example:end -->/.exec(readme);
  if (!m) throw new Error('README.md has no consumer-example block');
  return m[1];
}

beforeAll(() => {
  node = minNode();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-consumer-'));
  const out = ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT), 'npm pack');
  tarball = path.join(work, JSON.parse(out)[0].filename);
}, 15 * 60_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball holds what users run: no bench, demo or test doubles; sources with the maps; a LICENSE', () => {
  const files = ok(run('tar', ['-tzf', tarball], work), 'tar').split('\n').filter(Boolean);
  expect(files).toContain('package/LICENSE');
  expect(files).toContain('package/dist/pulumi/runtime.js');
  // The CLI's one-file build (scripts/bundle-cli.js), which bin/sync-hooks.js loads.
  expect(files).toContain('package/dist/cli/bundle.js');
  // Test doubles live in test/support, never in src/ (a dist/testing left over from an older build
  // is packed too: delete it). The manifest must not point at them either.
  const unwanted = files.filter((f) => /^package\/dist\/(bench|demo|testing)\//.test(f) || /fake/i.test(f));
  expect({ unwanted }).toEqual({ unwanted: [] });
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  expect(JSON.stringify({ exports: manifest.exports, typesVersions: manifest.typesVersions })).not.toMatch(/testing|fake/i);
  expect(files.filter((f) => /^package\/(src|test|examples)\//.test(f))).toEqual([]);
  const map = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/dist/constructs/hook-job.js.map'], { encoding: 'utf8' }));
  expect(map.sourcesContent?.[0]).toContain('class HookJob');
});

describe('a Pulumi TypeScript project of its own, on the oldest supported Node', () => {
  let dir: string;
  const tc = { pulumi: process.env.SYNC_HOOKS_PULUMI as string, pulumiBinDir: process.env.SYNC_HOOKS_PULUMI_BIN as string, k8sBin: '', kwok: '', pulumiVersion: '' };

  beforeAll(() => {
    dir = project('pulumi-project', { 'index.ts': readmeExample() });
    ok(run('npm', ['install'], dir, npmEnv()), 'npm install (pulumi project)');
  }, 20 * 60_000);

  test('the installed sync-hooks command runs from its one-file build (plan of a chart, on the oldest Node)', () => {
    const bin = path.join(dir, 'node_modules', 'pulumi-sync-hooks', 'bin', 'sync-hooks.js');
    fs.writeFileSync(path.join(dir, 'one.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\ndata: {a: "1"}\n');
    const r = run(node, ['--require', path.join(FIXTURES, 'loaded-modules.js'), bin, 'plan', '-f', 'one.yaml', '-o', 'json'], dir);
    const said = r.stderr.split('\n').filter((l) => l && !l.startsWith('loaded:'));
    expect({ status: r.status, errors: said.filter((l) => /error|cannot find/i.test(l)) }).toEqual({ status: 0, errors: [] });
    expect(JSON.parse(r.stdout).steps[0].tasks[0]).toMatchObject({ kind: 'ConfigMap', name: 'one', action: 'apply' });
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('loaded:')).map((l) => l.slice(7));
    expect(loaded.filter((f) => f.includes('pulumi-sync-hooks/dist/')).map((f) => f.replace(/.*pulumi-sync-hooks\//, ''))).toEqual(['dist/cli/compile-cache.js', 'dist/cli/bundle.js']);
  });

  test('npm ls shows one copy of each peer: the project’s own versions', () => {
    for (const [name, version] of Object.entries(PEERS)) {
      const r = run('npm', ['ls', name, '--all', '--parseable', '--long'], dir, npmEnv());
      const copies = [...new Set(r.stdout.split('\n').filter(Boolean))];
      expect({ name, copies: copies.length }).toEqual({ name, copies: 1 });
      expect(copies[0]).toContain(`${name}@${version}`);
    }
    expect(fs.existsSync(path.join(dir, 'node_modules', 'pulumi-sync-hooks', 'node_modules', 'cdk8s'))).toBe(false);
  });

  test('tsc compiles the README example as written (Pulumi template tsconfig, node10 resolution, no skipLibCheck)', () => {
    const r = run(node, [path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', dir], dir);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 5 * 60_000);

  test('pulumi up runs the hooks in order, pulumi destroy the delete hooks; nothing is left', async () => {
    const stateDir = path.join(work, 'state');
    fs.mkdirSync(stateDir);
    const base: NodeJS.ProcessEnv = { ...process.env, ...pulumiEnv(tc, stateDir), KUBECONFIG: kubeconfigPath() };
    const env = { ...base, PATH: `${path.dirname(node)}${path.delimiter}${base.PATH}` };
    const pulumi = (...args: string[]) => run(tc.pulumi, [...args, '--non-interactive', '--color', 'never'], dir, env);
    ok(pulumi('stack', 'init', 'dev'), 'pulumi stack init');
    const rec = await Recorder.start(['Job', 'Deployment', 'Namespace']);
    try {
      const up = pulumi('up', '--yes');
      if (up.status !== 0) throw new Error(`pulumi up failed:\n${up.stdout}\n${up.stderr}`);
      await eventually('db-migrate completed (seen by the watch)', async () => rec.completed('db-migrate', 'shop')).catch((e: Error) => {
        throw new Error(`${e.message}\n--- pulumi up output ---\n${up.stdout.slice(-4000)}`);
      });
      const web = rec.created('Deployment', 'web', 'shop');
      expect(web).toBeDefined();
      // Order by write (resourceVersion), not by receive time across separate watches.
      const rv = (pred: (e: { kind: string; name: string; namespace?: string; type: string; jobState?: string }) => boolean) => rec.revision(pred);
      const webRv = rv((e) => e.kind === 'Deployment' && e.name === 'web');
      const migratedRv = rv((e) => e.kind === 'Job' && e.name === 'db-migrate' && e.jobState === 'Complete');
      const cleanupRv = await eventually('the PostSync cleanup Job (seen by the watch)', async () => rv((e) => e.kind === 'Job' && e.name === 'cleanup'));
      expect(migratedRv).toBeLessThan(webRv as number);
      expect(cleanupRv).toBeGreaterThan(webRv as number);
      expect(up.stdout).toMatch(/db-migrate/);

      rec.clear();
      const destroy = pulumi('destroy', '--yes');
      if (destroy.status !== 0) throw new Error(`pulumi destroy failed:\n${destroy.stdout}\n${destroy.stderr}`);
      // Write order (resourceVersion) again: receive times of separate watches can tie or swap.
      const backup = await eventually('db-backup (seen by the watch)', async () => rv((e) => e.kind === 'Job' && e.name.startsWith('db-backup') && e.namespace === 'default'));
      const webGone = await eventually('web deleted', async () => rv((e) => e.type === 'DELETED' && e.kind === 'Deployment' && e.name === 'web'));
      const nsGone = await eventually('namespace shop deleted', async () => rv((e) => e.type === 'DELETED' && e.kind === 'Namespace' && e.name === 'shop'));
      const dns = await eventually('dns-cleanup (seen by the watch)', async () => rv((e) => e.kind === 'Job' && e.name.startsWith('dns-cleanup') && e.namespace === 'default'));
      expect(backup).toBeLessThan(webGone as number);
      expect(dns).toBeGreaterThan(nsGone as number);
      const core = kubeConfig().makeApiClient(k8s().CoreV1Api);
      expect(await isNotFound(core.readNamespace({ name: 'shop' }))).toBe(true);
    } finally {
      rec.stop();
      const batch = kubeConfig().makeApiClient(k8s().BatchV1Api);
      for (const name of ['db-backup', 'dns-cleanup']) await batch.deleteNamespacedJob({ name, namespace: 'default', propagationPolicy: 'Background' }).catch(() => undefined);
    }
  }, 20 * 60_000);
});

test('a cdk8s app without Pulumi: pulumi-sync-hooks/constructs synthesizes Argo CD YAML and loads no @pulumi or engine module', () => {
  const dir = project('constructs-only');
  ok(run('npm', ['install'], dir, npmEnv()), 'npm install (constructs only)');
  expect(fs.existsSync(path.join(dir, 'node_modules', '@pulumi'))).toBe(false);
  const r = JSON.parse(ok(run(node, ['synth.js'], dir), 'node synth.js'));
  expect(r.pulumiModules).toBe(0);
  expect(r.engineModules).toBe(0);
  expect(r.yaml).toContain('argocd.argoproj.io/hook: PreSync');
  expect(r.yaml).toContain('argocd.argoproj.io/hook: PostSync');
  expect(r.yaml).toContain('argocd.argoproj.io/sync-wave: "2"');
}, 20 * 60_000);
