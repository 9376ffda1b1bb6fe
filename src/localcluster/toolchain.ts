/**
 * Toolchain provisioning: builds the Kubernetes control plane (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler), kwok and the `pulumi` CLI from the Go module proxy,
 * once, into a version-keyed cache outside the repo. A warm call only checks marker files.
 * Each part's build is in `parts/`; the cache marker and lock in `build-cache.ts`; the shared Go
 * build frame in `go-build.ts`.
 */
import * as path from 'node:path';
import { installPackageBinDir } from './bin-dir';
import { completeInfo, isComplete, withLock } from './build-cache';
import { ToolchainError } from './errors';
import { buildHelm } from './parts/helm';
import { buildK8s } from './parts/k8s';
import { buildKubernetesProvider } from './parts/kubernetes-provider';
import { buildKwok } from './parts/kwok';
import { ambientPulumi, buildPulumi, installNodejsShim } from './parts/pulumi';
import { buildSdkGen } from './parts/sdk-gen';
import { buildSdkGenDotnet } from './parts/sdk-gen-dotnet';
import { buildYamlLanguage } from './parts/yaml-language';
import { ProgressFn, stderrProgress } from './progress';
import { componentDirs, PULUMI_VERSION } from './versions';

export { toolsDir } from './go-build';

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
  /** `pulumi-sdkgen-dotnet <schema.json> <out-dir>`, the .NET SDK generator (part `sdk-gen-dotnet`). */
  sdkGenDotnet?: string;
  /** The `helm` executable (part `helm`, opt-in). */
  helm?: string;
}

export interface ToolchainOptions {
  progress?: ProgressFn;
  /** Which parts are needed (default: all). */
  parts?: Array<'k8s' | 'kwok' | 'pulumi' | 'kubernetes-provider' | 'yaml-language' | 'sdk-gen' | 'sdk-gen-dotnet' | 'helm'>;
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
  if (parts.has('sdk-gen-dotnet')) await build('pulumi-sdkgen-dotnet', dirs.sdkGenDotnet, buildSdkGenDotnet);
  if (parts.has('helm')) await build('helm', dirs.helm, buildHelm);
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
    ...(parts.has('sdk-gen-dotnet') ? { sdkGenDotnet: path.join(dirs.sdkGenDotnet, 'bin', 'pulumi-sdkgen-dotnet') } : {}),
    ...(parts.has('helm') ? { helm: path.join(dirs.helm, 'bin', 'helm') } : {}),
  };
}

/** What is cached, for `sync-hooks toolchain --status`. */
export function toolchainStatus(): Array<{ component: string; dir: string; built: boolean; info?: unknown }> {
  const dirs = componentDirs();
  return Object.entries(dirs).map(([component, dir]) => {
    const info = completeInfo(dir);
    return { component, dir, built: info !== undefined, info };
  });
}
