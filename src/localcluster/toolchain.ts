/**
 * Toolchain provisioning: builds the Kubernetes control plane (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler), kwok and the `pulumi` CLI from the Go module proxy,
 * once, into a version-keyed cache outside the repo. A warm call only checks marker files.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installPackageBinDir, linkOrReplace } from './bin-dir';
import { ToolchainError } from './errors';
import { capture, runLogged } from './exec';
import { formatDuration, ProgressFn, stderrProgress } from './progress';
import {
  cacheRoot,
  componentDirs,
  ETCD_VERSION,
  KUBERNETES_STAGING_VERSION,
  KUBERNETES_VERSION,
  KWOK_VERSION,
  MIN_PULUMI_VERSION,
  PULUMI_KUBERNETES_PROVIDER_MODULE,
  PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION,
  PULUMI_KUBERNETES_VERSION,
  PULUMI_VERSION,
  PULUMI_YAML_VERSION,
} from './versions';

export interface Toolchain {
  /** Directory holding etcd, kube-apiserver, kube-controller-manager, kube-scheduler. */
  k8sBin: string;
  kwok: string;
  /** The `pulumi` executable to use. */
  pulumi: string;
  /** Directory to put first on PATH for Pulumi (holds pulumi-resource-pulumi-nodejs and, when built, pulumi). */
  pulumiBinDir: string;
  pulumiVersion: string;
  /**
   * Directory holding `pulumi-resource-kubernetes` (the @pulumi/kubernetes provider plugin), when
   * part `kubernetes-provider` was asked for. Put it on PATH for the pulumi CLI.
   */
  kubernetesProviderBinDir?: string;
  /**
   * A directory of this package holding `pulumi`, its language hosts (nodejs; yaml when built), the
   * dynamic-provider shim and `pulumi-resource-sync-hooks` (the SyncedChart provider plugin of this
   * checkout): put it first on PATH and pulumi finds everything. Set with part `pulumi`.
   */
  binDir?: string;
  /**
   * Directory of code-generation-only `pulumi-language-{nodejs,python,go}` (part `sdk-gen`): put it
   * first on PATH for `pulumi package gen-sdk`, and only for that.
   */
  sdkGenBinDir?: string;
}

export interface ToolchainOptions {
  progress?: ProgressFn;
  /** Which parts are needed (default: all). */
  parts?: Array<'k8s' | 'kwok' | 'pulumi' | 'kubernetes-provider' | 'yaml-language' | 'sdk-gen'>;
}

/** Directory of the Go helper modules shipped with the package (`tools/`). */
export function toolsDir(): string {
  return path.resolve(__dirname, '..', '..', 'tools');
}

const COMPLETE = '.complete';

function isComplete(dir: string): boolean {
  return fs.existsSync(path.join(dir, COMPLETE));
}

function markComplete(dir: string, info: Record<string, unknown>): void {
  fs.writeFileSync(path.join(dir, COMPLETE), JSON.stringify({ ...info, builtAt: new Date().toISOString() }, null, 2));
}

function goEnv(): NodeJS.ProcessEnv {
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

/** Serializes concurrent builds (e.g. two test runs) with an exclusive lock directory. */
async function withLock<T>(name: string, progress: ProgressFn, fn: () => Promise<T>): Promise<T> {
  const root = cacheRoot();
  fs.mkdirSync(root, { recursive: true });
  const lock = path.join(root, `${name}.lock`);
  const deadline = Date.now() + 90 * 60_000;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (holder && !isAlive(holder)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new ToolchainError(name, `timed out waiting for the build lock ${lock}`);
      if (!announced) progress(`waiting for another build of ${name} (lock ${lock}, pid ${holder || '?'})`);
      announced = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Copies a Go helper module from `tools/<name>` into the build directory. */
function stageModule(name: string, dest: string): void {
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(path.join(toolsDir(), name), dest, { recursive: true, filter: (src) => !src.endsWith('.md') });
}

/** What a build step gets: its directories and `run`, which logs to the build log with heartbeats. */
interface GoBuild {
  dir: string;
  src: string;
  bin: string;
  env: NodeJS.ProcessEnv;
  run(label: string, args: string[], env?: NodeJS.ProcessEnv): Promise<void>;
}

interface GoBuildSpec {
  /** Component name for the final progress line, e.g. "kwok". */
  name: string;
  /** The announcement: what is built and how long it takes the first time. */
  announce: string;
  /** Go helper module under tools/ to stage as the build's working directory. */
  module?: string;
  /** Versions recorded in the `.complete` marker. */
  marker: Record<string, unknown>;
}

/** The frame every build shares: Go present, directories, announcement, marker, duration. */
async function goBuild(dir: string, progress: ProgressFn, spec: GoBuildSpec, steps: (b: GoBuild) => Promise<void>): Promise<void> {
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

function buildK8s(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'the Kubernetes control plane',
    announce:
      `building the Kubernetes control plane ${KUBERNETES_VERSION} (etcd ${ETCD_VERSION}) from the Go module proxy into ${dir}. ` +
      'This happens once; the first build takes 7-15 minutes on 2 cores.',
    module: 'k8s',
    marker: { kubernetes: KUBERNETES_VERSION, staging: KUBERNETES_STAGING_VERSION, etcd: ETCD_VERSION },
  };
  return goBuild(dir, progress, spec, async ({ bin, run }) => {
    await run('downloading Go modules', ['mod', 'download']);
    const minor = KUBERNETES_VERSION.split('.')[1];
    let ldflags = '-s -w';
    for (const p of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
      ldflags += ` -X '${p}.gitVersion=${KUBERNETES_VERSION}' -X '${p}.gitMajor=1' -X '${p}.gitMinor=${minor}' -X '${p}.gitTreeState=clean'`;
    }
    await run('building kube-apiserver, kube-controller-manager, kube-scheduler', [
      'build', '-trimpath', '-ldflags', ldflags, '-o', bin + path.sep,
      'k8s.io/kubernetes/cmd/kube-apiserver', 'k8s.io/kubernetes/cmd/kube-controller-manager', 'k8s.io/kubernetes/cmd/kube-scheduler',
    ]);
    await run('building etcd', ['build', '-trimpath', '-ldflags', '-s -w', '-o', path.join(bin, 'etcd'), 'go.etcd.io/etcd/server/v3']);
  });
}

function buildKwok(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'kwok',
    announce: `building kwok ${KWOK_VERSION} (the fake kubelet) into ${dir}; takes a few minutes the first time.`,
    marker: { kwok: KWOK_VERSION },
  };
  return goBuild(dir, progress, spec, ({ bin, run }) =>
    run('building kwok', ['install', '-trimpath', '-ldflags', '-s -w', `sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}`], { GOBIN: bin }),
  );
}

function buildPulumi(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'pulumi',
    announce: `building the pulumi CLI ${PULUMI_VERSION} from the Go module proxy into ${dir}. This happens once and takes 3-6 minutes.`,
    module: 'pulumi',
    marker: { pulumi: PULUMI_VERSION },
  };
  return goBuild(dir, progress, spec, async ({ src, bin, run }) => {
    const ld = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}`;
    await run('building pulumi', ['build', '-trimpath', '-tags', 'osusergo,grpcnotrace', '-ldflags', ld, '-o', path.join(bin, 'pulumi'), 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi']);
    if (fs.existsSync(path.join(src, 'langhost'))) {
      await run('building pulumi-language-nodejs', ['build', '-trimpath', '-ldflags', ld, '-o', path.join(bin, 'pulumi-language-nodejs'), './langhost']);
    }
  });
}

/**
 * `pulumi-resource-kubernetes` from the provider module. Its upstream main package embeds two files
 * that upstream generates and does not commit (schema-embed.json, terraform-mapping-embed.json), so
 * it cannot be built from the module zip; `tools/pulumi-kubernetes` has the same ten-line main and
 * we generate the two files the way upstream's generate.go does: schema.json with `version` set,
 * terraform-mapping.json re-serialized (minified).
 */
function buildKubernetesProvider(dir: string, progress: ProgressFn): Promise<void> {
  const module = `${PULUMI_KUBERNETES_PROVIDER_MODULE}@${PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION}`;
  const spec = {
    name: 'pulumi-resource-kubernetes',
    announce:
      `building pulumi-resource-kubernetes ${PULUMI_KUBERNETES_VERSION} (${module}) from the Go module proxy into ${dir}. ` +
      'This happens once and takes about 15 minutes on 2 cores.',
    module: 'pulumi-kubernetes',
    marker: { pulumiKubernetes: PULUMI_KUBERNETES_VERSION, module },
  };
  return goBuild(dir, progress, spec, async ({ src, bin, env, run }) => {
    await run('downloading Go modules', ['mod', 'download']);
    const listed = spawnSync('go', ['list', '-m', '-f', '{{.Dir}}', PULUMI_KUBERNETES_PROVIDER_MODULE], { cwd: src, env, encoding: 'utf8', timeout: 120_000 });
    const moduleDir = listed.status === 0 ? listed.stdout.trim() : '';
    if (!moduleDir) throw new Error(`could not locate ${PULUMI_KUBERNETES_PROVIDER_MODULE} in the module cache (go list -m failed)`);
    const upstream = path.join(moduleDir, 'cmd', 'pulumi-resource-kubernetes');
    const main = path.join(src, 'cmd', 'pulumi-resource-kubernetes');
    const schema = JSON.parse(fs.readFileSync(path.join(upstream, 'schema.json'), 'utf8'));
    schema.version = PULUMI_KUBERNETES_VERSION;
    fs.writeFileSync(path.join(main, 'schema-embed.json'), JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(path.join(upstream, 'terraform-mapping.json'), 'utf8'));
    fs.writeFileSync(path.join(main, 'terraform-mapping-embed.json'), JSON.stringify(mapping));
    const ld = `-s -w -X ${PULUMI_KUBERNETES_PROVIDER_MODULE}/pkg/version.Version=${PULUMI_KUBERNETES_VERSION}`;
    await run('building pulumi-resource-kubernetes', ['build', '-trimpath', '-ldflags', ld, '-o', path.join(bin, 'pulumi-resource-kubernetes'), './cmd/pulumi-resource-kubernetes']);
  });
}

/**
 * `pulumi-language-yaml` from github.com/pulumi/pulumi-yaml v1.25.0, with the pulumi pkg/sdk it
 * requires (v3.206.0; it does not compile against the CLI's v3.259.0), so it costs about as much as
 * the CLI build: only tests that run YAML programs ask for it.
 */
function buildYamlLanguage(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'pulumi-language-yaml',
    announce: `building pulumi-language-yaml ${PULUMI_YAML_VERSION} from the Go module proxy into ${dir}; this happens once and takes about as long as the pulumi CLI build.`,
    module: 'pulumi-yaml',
    marker: { pulumiYaml: PULUMI_YAML_VERSION },
  };
  return goBuild(dir, progress, spec, async ({ bin, run }) => {
    const ld = `-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=${PULUMI_YAML_VERSION}`;
    await run('building pulumi-language-yaml', [
      'build', '-trimpath', '-tags', 'osusergo,grpcnotrace', '-ldflags', ld, '-o', path.join(bin, 'pulumi-language-yaml'), 'github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml',
    ]);
  });
}

/**
 * `pulumi package gen-sdk` asks the target language's host to generate the SDK; the upstream hosts
 * are not served by the module proxy. tools/pulumi-sdkgen links pkg/v3's generators into one
 * codegen-only host, linked here as pulumi-language-nodejs, -python and -go.
 */
function buildSdkGen(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'the SDK generators',
    announce: `building code-generation-only language hosts (pulumi ${PULUMI_VERSION} codegen) into ${dir}; this happens once and takes about as long as the pulumi CLI build.`,
    module: 'pulumi-sdkgen',
    marker: { pulumi: PULUMI_VERSION },
  };
  return goBuild(dir, progress, spec, async ({ bin, run }) => {
    const exe = path.join(bin, 'pulumi-sdkgen-host');
    const ld = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}`;
    await run('building pulumi-sdkgen-host', ['build', '-trimpath', '-tags', 'osusergo,grpcnotrace', '-ldflags', ld, '-o', exe, '.']);
    for (const lang of ['nodejs', 'python', 'go']) linkOrReplace('pulumi-sdkgen-host', path.join(bin, `pulumi-language-${lang}`));
  });
}

/** The dynamic-provider shim shipped in @pulumi/pulumi's npm package, copied next to the CLI. */
function installNodejsShim(bin: string): void {
  const pkgDir = path.dirname(require.resolve('@pulumi/pulumi/package.json'));
  const shim = path.join(pkgDir, 'pulumi-resource-pulumi-nodejs');
  const dest = path.join(bin, 'pulumi-resource-pulumi-nodejs');
  fs.mkdirSync(bin, { recursive: true });
  const content = fs.readFileSync(shim);
  if (!fs.existsSync(dest) || !fs.readFileSync(dest).equals(content)) {
    fs.writeFileSync(dest, content, { mode: 0o755 });
  }
}

function versionAtLeast(v: string, min: string): boolean {
  const a = v.replace(/^v/, '').split(/[.-]/).map((x) => Number.parseInt(x, 10));
  const b = min.split('.').map((x) => Number.parseInt(x, 10));
  for (let i = 0; i < 3; i++) {
    if ((a[i] || 0) !== b[i]) return (a[i] || 0) > b[i];
  }
  return true;
}

/** A `pulumi` on PATH that is recent enough, if any (SYNC_HOOKS_BUILD_PULUMI=1 forces our own build). */
function ambientPulumi(): { path: string; version: string } | undefined {
  if (process.env.SYNC_HOOKS_BUILD_PULUMI === '1') return undefined;
  const which = capture('sh', ['-c', 'command -v pulumi']);
  if (!which) return undefined;
  const version = capture(which, ['version'], { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' });
  if (!version || !versionAtLeast(version, MIN_PULUMI_VERSION)) return undefined;
  return { path: which, version };
}

/** Ensures every needed binary is present, building what is missing. Warm: a few stat calls. */
export async function ensureToolchain(opts: ToolchainOptions = {}): Promise<Toolchain> {
  const progress = opts.progress ?? stderrProgress;
  const parts = new Set(opts.parts ?? ['k8s', 'kwok', 'pulumi']);
  const dirs = componentDirs();
  const build = async (name: string, dir: string, fn: (d: string, p: ProgressFn) => Promise<void>) => {
    if (isComplete(dir)) return;
    await withLock(name, progress, async () => {
      if (isComplete(dir)) return;
      try {
        await fn(dir, progress);
      } catch (e) {
        throw new ToolchainError(name, (e as Error).message);
      }
    });
  };
  if (parts.has('k8s')) await build('kubernetes', dirs.k8s, buildK8s);
  if (parts.has('kwok')) await build('kwok', dirs.kwok, buildKwok);
  let pulumi = path.join(dirs.pulumi, 'bin', 'pulumi');
  let pulumiVersion = PULUMI_VERSION;
  if (parts.has('pulumi')) {
    const ambient = ambientPulumi();
    if (ambient) {
      pulumi = ambient.path;
      pulumiVersion = ambient.version;
    } else {
      await build('pulumi', dirs.pulumi, buildPulumi);
    }
    installNodejsShim(path.join(dirs.pulumi, 'bin'));
  }
  if (parts.has('kubernetes-provider')) await build('pulumi-kubernetes', dirs.kubernetesProvider, buildKubernetesProvider);
  if (parts.has('yaml-language')) await build('pulumi-yaml', dirs.yamlLanguage, buildYamlLanguage);
  if (parts.has('sdk-gen')) await build('pulumi-sdkgen', dirs.sdkGen, buildSdkGen);
  const binDir = parts.has('pulumi')
    ? installPackageBinDir(pulumi, [path.join(dirs.pulumi, 'bin'), ...(isComplete(dirs.yamlLanguage) ? [path.join(dirs.yamlLanguage, 'bin')] : [])])
    : undefined;
  return {
    k8sBin: path.join(dirs.k8s, 'bin'),
    kwok: path.join(dirs.kwok, 'bin', 'kwok'),
    pulumi,
    pulumiBinDir: path.join(dirs.pulumi, 'bin'),
    pulumiVersion,
    ...(parts.has('kubernetes-provider') ? { kubernetesProviderBinDir: path.join(dirs.kubernetesProvider, 'bin') } : {}),
    ...(binDir ? { binDir } : {}),
    ...(parts.has('sdk-gen') ? { sdkGenBinDir: path.join(dirs.sdkGen, 'bin') } : {}),
  };
}

/** What is cached, for `sync-hooks toolchain --status`. */
export function toolchainStatus(): Array<{ component: string; dir: string; built: boolean; info?: unknown }> {
  const dirs = componentDirs();
  return Object.entries(dirs).map(([component, dir]) => {
    const marker = path.join(dir, COMPLETE);
    return {
      component,
      dir,
      built: fs.existsSync(marker),
      info: fs.existsSync(marker) ? JSON.parse(fs.readFileSync(marker, 'utf8')) : undefined,
    };
  });
}
