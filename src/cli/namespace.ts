/**
 * The namespace given to objects without `metadata.namespace` when `--namespace` is not set: what
 * kubectl does — the namespace of the kubeconfig's current context, else `default`. (Argo CD uses
 * the Application's `spec.destination.namespace`; the CLI has no Application, the kubeconfig is
 * the closest thing to a destination.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KubeObject } from '../model';
import { namespaceDefaulter } from '../plan';
import type { ClusterTarget } from './target';

export interface DefaultNamespace {
  name: string;
  /** Where it comes from, for messages: `--namespace`, `kubeconfig context X`, or kubectl's default. */
  source: string;
}

export const KUBECTL_DEFAULT_NAMESPACE = 'default';

function readKubeconfig(file: string): any {
  try {
    return parseYaml(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The current context's namespace across kubeconfig files merged as kubectl merges them (the first
 * file that sets `current-context` wins; the first file defining that context wins).
 */
export function contextNamespace(files: readonly string[], chosen?: string): { context?: string; namespace?: string } {
  const configs = files.map(readKubeconfig).filter((k) => k && typeof k === 'object');
  const context: string | undefined = chosen ?? configs.map((k) => k['current-context']).find((c) => typeof c === 'string' && c !== '');
  if (!context) return {};
  const def = configs.flatMap((k) => (Array.isArray(k.contexts) ? k.contexts : [])).find((c: any) => c?.name === context);
  const ns = def?.context?.namespace;
  return { context, ...(typeof ns === 'string' && ns !== '' ? { namespace: ns } : {}) };
}

/** Whether any of the kubeconfig files defines context `name` (undefined when no file could be read). */
export function definesContext(files: readonly string[], name: string): boolean | undefined {
  const configs = files.map(readKubeconfig).filter((k) => k && typeof k === 'object');
  if (!configs.length) return undefined;
  return configs.some((k) => Array.isArray(k.contexts) && k.contexts.some((c: any) => c?.name === name));
}

/** The kubeconfig files a target reads (`$KUBECONFIG` may list several). */
export function kubeconfigFiles(target: ClusterTarget | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (target?.kubeconfig) return [target.kubeconfig];
  if (target?.source === 'env' && env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter).filter(Boolean);
  return [];
}

/** `--namespace` if given, else the kubeconfig context's namespace, else `default`. */
export function resolveDefaultNamespace(flag: string | undefined, target: ClusterTarget | undefined, env: NodeJS.ProcessEnv = process.env): DefaultNamespace {
  if (flag) return { name: flag, source: '--namespace' };
  const { context, namespace } = contextNamespace(kubeconfigFiles(target, env), target?.context);
  if (namespace) return { name: namespace, source: `the namespace of kubeconfig context ${context}` };
  const why = context ? `kubeconfig context ${context} sets no namespace` : 'no kubeconfig context';
  return { name: KUBECTL_DEFAULT_NAMESPACE, source: `kubectl's default: no --namespace and ${why}` };
}

/** One line for stderr and the plan: where objects without a namespace go. */
export function describeDefaultNamespace(ns: DefaultNamespace): string {
  return `objects without metadata.namespace go to namespace ${ns.name} (${ns.source})`;
}

/** Whether any namespaced object of `manifests` has no namespace (so the default matters). */
export function usesDefaultNamespace(manifests: readonly KubeObject[]): boolean {
  const defaulted = namespaceDefaulter(manifests, '-');
  return manifests.some((m) => defaulted(m) !== m);
}
