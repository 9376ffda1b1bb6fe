/** Shared helpers for the construct tests. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { HookValidationError } from '../../../src/constructs';

/** A chart in a test app; with `namespace`, a chart whose objects default to it. */
export function newChart(namespace?: string): Chart {
  if (namespace === undefined) return Testing.chart();
  return new Chart(Testing.app(), 'test', { namespace });
}

/** The synthesized manifests of a chart. */
export function synth(chart: Chart): any[] {
  return chart.toJson();
}

/** The only manifest of a chart. */
export function only(chart: Chart): any {
  const objs = chart.toJson();
  expect(objs).toHaveLength(1);
  return objs[0];
}

export function container(manifest: any): any {
  return manifest.spec.template.spec.containers[0];
}

/** Env of a synthesized container as a name → entry map. */
export function envOf(manifest: any): Record<string, any> {
  return Object.fromEntries((container(manifest).env ?? []).map((e: any) => [e.name, e.valueFrom ?? e.value]));
}

/** Runs `fn` and returns the HookValidationError it throws (fails the test otherwise). */
export function validationError(fn: () => unknown): HookValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HookValidationError);
    return e as HookValidationError;
  }
  throw new Error('expected a HookValidationError, nothing was thrown');
}

/**
 * Kubernetes' env var expansion for `value`s: `$$` → `$`, `$(NAME)` → an earlier variable,
 * unknown references left as is.
 */
export function k8sExpand(value: string, vars: Record<string, string>): string {
  return value.replace(/\$(\$|\(([^)]*)\))/g, (all, tok: string, name?: string) => {
    if (tok === '$') return '$';
    return name !== undefined && name in vars ? vars[name] : all;
  });
}

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Argument lists of each stubbed command invocation, by command name. */
  calls: Record<string, Array<{ args: string[]; stdin: string }>>;
}

/**
 * Runs a synthesized container's `/bin/sh -c` command locally, the way the kubelet would: env
 * resolved (Secret keys from `secrets`), `$$` unescaped, with the given commands stubbed by a
 * recorder on PATH. Each stub records its arguments and stdin and exits 0.
 */
export function runContainer(
  manifest: any,
  opts: { secrets?: Record<string, Record<string, string>>; extraEnv?: Record<string, string>; stubs: string[] },
): ScriptRun {
  const c = container(manifest);
  const [sh, dashC, script, ...rest] = [...c.command, ...(c.args ?? [])];
  expect([sh, dashC]).toEqual(['/bin/sh', '-c']);
  const vars: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) vars[e.name] = k8sExpand(e.value, vars);
    else if (e.valueFrom?.secretKeyRef) {
      const { name, key, optional } = e.valueFrom.secretKeyRef;
      const v = opts.secrets?.[name]?.[key];
      if (v === undefined && !optional) throw new Error(`test is missing secret ${name}/${key}`);
      if (v !== undefined) vars[e.name] = v;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'hook-script-'));
  for (const cmd of opts.stubs) {
    const stub = join(dir, cmd);
    writeFileSync(
      stub,
      `#!/bin/sh\nn=$(ls "${dir}" | grep -c "^${cmd}\\.call") || true\nf="${dir}/${cmd}.call$n"\nfor a in "$@"; do printf '%s\\0' "$a"; done > "$f.args"\ncat > "$f.stdin" 2>/dev/null || true\nexit 0\n`,
    );
    chmodSync(stub, 0o755);
  }
  const r = spawnSync('/bin/sh', ['-c', script, ...rest], {
    env: { PATH: `${dir}:/usr/bin:/bin`, ...vars, ...opts.extraEnv },
    encoding: 'utf8',
    input: '',
  });
  const calls: ScriptRun['calls'] = {};
  for (const cmd of opts.stubs) {
    calls[cmd] = [];
    for (let i = 0; ; i++) {
      let args: string;
      try {
        args = readFileSync(join(dir, `${cmd}.call${i}.args`), 'utf8');
      } catch {
        break;
      }
      const stdin = readFileSync(join(dir, `${cmd}.call${i}.stdin`), 'utf8');
      calls[cmd].push({ args: args.split('\0').slice(0, -1), stdin });
    }
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

/** The value following `flag` in an argument list. */
export function argAfter(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}
