/**
 * Versions of the binaries sync-hooks builds from the Go module proxy, and where they are cached.
 * Changing a version changes the cache key, so a new version is built next to the old one.
 */
import * as os from 'node:os';
import * as path from 'node:path';

export const KUBERNETES_VERSION = 'v1.37.2';
/** Published tag of the Kubernetes staging modules matching KUBERNETES_VERSION. */
export const KUBERNETES_STAGING_VERSION = 'v0.37.2';
export const ETCD_VERSION = 'v3.7.3';
export const KWOK_VERSION = 'v0.8.0';
export const PULUMI_VERSION = 'v3.259.0';
/**
 * github.com/pulumi/pulumi/pkg/v3 for the .NET SDK generator (tools/pulumi-sdkgen-dotnet): codegen/dotnet
 * moved to pulumi-dotnet, which the module proxy does not serve; v3.225.1 is the newest served release
 * that still has it (v3.229.0 and later do not).
 */
export const PULUMI_DOTNET_CODEGEN_VERSION = 'v3.225.1';
/**
 * `pulumi-resource-kubernetes`, built from the Go module proxy to match the npm `@pulumi/kubernetes`
 * pin (package.json). The provider module has no tags of its own, only pseudo-versions, and the proxy
 * we can reach serves just this one: commit f47bc2d6f199 (2026-01-15), the commit that
 * pulumi/crd2pulumi pinned for "Update to pulumi-kubernetes v4.25.0". It is stamped 4.25.0.
 */
export const PULUMI_KUBERNETES_VERSION = '4.25.0';
export const PULUMI_KUBERNETES_PROVIDER_MODULE = 'github.com/pulumi/pulumi-kubernetes/provider/v4';
export const PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION = 'v4.0.0-20260115033456-f47bc2d6f199';
/** `pulumi-language-yaml` (Pulumi YAML programs), from github.com/pulumi/pulumi-yaml (tools/pulumi-yaml). */
export const PULUMI_YAML_VERSION = 'v1.25.0';
/** The Helm 4 CLI (opt-in part `helm`, for the benchmark's comparison with Helm). helm.sh/helm/v4 declares go 1.26.0. */
export const HELM_VERSION = 'v4.3.2';
export const HELM_MODULE = 'helm.sh/helm/v4';
/** Oldest `pulumi` on PATH that we accept instead of building one (inline destroy/refresh need >= 3.181). */
export const MIN_PULUMI_VERSION = '3.181.0';

/** Root of the cache: `$SYNC_HOOKS_CACHE_DIR`, else `$XDG_CACHE_HOME/pulumi-sync-hooks`, else `~/.cache/pulumi-sync-hooks`. */
export function cacheRoot(): string {
  if (process.env.SYNC_HOOKS_CACHE_DIR) return path.resolve(process.env.SYNC_HOOKS_CACHE_DIR);
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'pulumi-sync-hooks');
}

export interface ComponentDirs {
  k8s: string;
  kwok: string;
  pulumi: string;
  /** `pulumi-resource-kubernetes` (built only when asked for: part `kubernetes-provider`). */
  kubernetesProvider: string;
  /** `pulumi-language-yaml` (built only when asked for: part `yaml-language`). */
  yamlLanguage: string;
  /** Code-generation-only language hosts for `pulumi package gen-sdk` (part `sdk-gen`). */
  sdkGen: string;
  /** The .NET SDK generator (part `sdk-gen-dotnet`). */
  sdkGenDotnet: string;
  /** The `helm` CLI (built only when asked for: part `helm`). */
  helm: string;
}

/** One directory per component and version; each holds `bin/` and a `.complete` marker. */
export function componentDirs(root = cacheRoot()): ComponentDirs {
  return {
    k8s: path.join(root, `kubernetes-${KUBERNETES_VERSION}-etcd-${ETCD_VERSION}`),
    kwok: path.join(root, `kwok-${KWOK_VERSION}`),
    pulumi: path.join(root, `pulumi-${PULUMI_VERSION}-langhost-r1`),
    kubernetesProvider: path.join(root, `pulumi-kubernetes-v${PULUMI_KUBERNETES_VERSION}-r1`),
    yamlLanguage: path.join(root, `pulumi-yaml-${PULUMI_YAML_VERSION}-r2`),
    sdkGen: path.join(root, `pulumi-sdkgen-${PULUMI_VERSION}`),
    sdkGenDotnet: path.join(root, `pulumi-sdkgen-dotnet-${PULUMI_DOTNET_CODEGEN_VERSION}`),
    helm: path.join(root, `helm-${HELM_VERSION}`),
  };
}
