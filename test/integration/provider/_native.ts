/**
 * Helpers for the native provider plugin tests: the toolchain with the plugin's bin dir (and the
 * YAML language host when asked), Pulumi YAML projects on disk, and a `pulumi` process to signal.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import { stringify } from 'yaml';
import { ensureToolchain, Toolchain } from '../../../src/localcluster/toolchain';
import { KubeObject } from '../../../src/model';
import { localStack, pulumiEnv } from '../../../src/pulumi/workspace';
import { kubeconfigPath, uniqueName } from '../helpers/kube';

/** The toolchain of this checkout, with `pulumi-language-yaml` when `yaml` (built on first use: minutes). */
export function nativeToolchain(yaml = false): Promise<Toolchain> {
  return ensureToolchain({ parts: ['pulumi', ...(yaml ? (['yaml-language'] as const) : [])] });
}

export function manifestsYaml(objs: KubeObject[]): string {
  return objs.map((o) => stringify(o)).join('---\n');
}

export interface YamlProject {
  dir: string;
  stateDir: string;
  stack: automation.Stack;
  env: Record<string, string>;
  cleanup(): void;
}

/** A `runtime: yaml` project with one SyncedChart `app`, on a fresh file backend, kubeconfig in secret config. */
export async function yamlProject(tc: Toolchain, chart: { manifests: string; namespace?: string; extra?: Record<string, unknown> }): Promise<YamlProject> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-yaml-'));
  const stateDir = path.join(dir, '.state');
  const program = {
    name: 'synchooksyaml',
    runtime: 'yaml',
    resources: {
      app: {
        type: 'sync-hooks:index:SyncedChart',
        properties: { manifests: chart.manifests, ...(chart.namespace ? { namespace: chart.namespace } : {}), ...(chart.extra ?? {}) },
      },
    },
    outputs: { hooks: '${app.hooks}', objects: '${app.objects}', lastSync: '${app.lastSync}' },
  };
  fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), stringify(program));
  const stack = await localStack({ projectName: 'synchooksyaml', stackName: uniqueName('y'), workDir: dir, stateDir, toolchain: tc });
  await stack.setConfig('sync-hooks:kubeconfig', { value: fs.readFileSync(kubeconfigPath(), 'utf8'), secret: true });
  return {
    dir,
    stateDir,
    stack,
    env: pulumiEnv(tc, stateDir),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs the pulumi CLI as a user would (not through the Automation API), so a test can signal it. */
export function runPulumi(tc: Toolchain, p: YamlProject, args: string[]) {
  const child = spawn(tc.pulumi, [...args, '--stack', p.stack.name, '--cwd', p.dir, '--non-interactive', '--color', 'never'], {
    env: { ...process.env, ...p.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  return { child, output: () => out, exited };
}

/**
 * Lines of a `pulumi up --non-interactive` output a user reads: without the Outputs blocks (the
 * program's) and Pulumi's "using pulumi-… from $PATH" warnings (the dev toolchain puts plugins on
 * $PATH; a normal install has none).
 */
export function readLines(out: string): string[] {
  const lines: string[] = [];
  let inOutputs = false;
  for (const l of out.split('\n')) {
    if (l === 'Outputs:') inOutputs = true;
    else if (inOutputs && (l === '' || /^\s/.test(l))) continue;
    else inOutputs = false;
    if (!inOutputs && !/using pulumi-\S+ from \$PATH/.test(l)) lines.push(l);
  }
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
