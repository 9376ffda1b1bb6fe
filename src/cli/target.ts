/**
 * Which cluster `sync` and `delete` talk to: `--kubeconfig`, else `$KUBECONFIG`, else the embedded
 * cluster when `sync-hooks cluster up` started it and it is healthy. Nothing else: never a cluster
 * the user did not point at (no silent fallback to ~/.kube/config).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ClusterStatus } from '../localcluster';
import { UsageError } from './args';

export interface ClusterTarget {
  /** Kubeconfig file for `createKubeClient`; undefined: client-node's default loading (`$KUBECONFIG` with several files). */
  kubeconfig?: string;
  source: 'flag' | 'env' | 'embedded';
  /** `--context`: the kubeconfig context to use instead of its current-context. */
  context?: string;
  /** One line for stderr: which cluster, from where. */
  description: string;
}

export interface TargetDeps {
  env?: NodeJS.ProcessEnv;
  embedded?: () => Promise<ClusterStatus>;
}

/** `context X, server Y` of a kubeconfig file, best effort (undefined when it cannot be read). */
export function describeKubeconfig(file: string): string | undefined {
  try {
    const kc = parseYaml(fs.readFileSync(file, 'utf8')) as any;
    const ctxName: string | undefined = kc?.['current-context'];
    const ctx = (kc?.contexts ?? []).find((c: any) => c?.name === ctxName)?.context;
    const server = (kc?.clusters ?? []).find((c: any) => c?.name === ctx?.cluster)?.cluster?.server;
    const parts = [ctxName ? `context ${ctxName}` : '', server ? `server ${server}` : ''].filter(Boolean);
    return parts.length ? parts.join(', ') : undefined;
  } catch {
    return undefined;
  }
}

function fromFile(file: string, source: 'flag' | 'env', label: string): ClusterTarget {
  if (!fs.existsSync(file)) throw new UsageError(`${label}: kubeconfig ${file} does not exist`);
  const what = describeKubeconfig(file);
  return { kubeconfig: file, source, description: `using ${label} ${file}${what ? ` (${what})` : ''}` };
}

export async function resolveCluster(kubeconfigFlag: string | undefined, deps: TargetDeps = {}): Promise<ClusterTarget> {
  const env = deps.env ?? process.env;
  if (kubeconfigFlag !== undefined) return fromFile(kubeconfigFlag, 'flag', '--kubeconfig');
  const fromEnv = env.KUBECONFIG;
  if (fromEnv) {
    const files = fromEnv.split(path.delimiter).filter(Boolean);
    if (files.length === 1) return fromFile(files[0], 'env', '$KUBECONFIG');
    const what = describeKubeconfig(files.find((f) => fs.existsSync(f)) ?? '');
    return { source: 'env', description: `using $KUBECONFIG ${fromEnv}${what ? ` (${what})` : ''}` };
  }
  // The local cluster's code is loaded only here: with --kubeconfig or $KUBECONFIG it is not needed.
  const local = () => require('../localcluster') as typeof import('../localcluster');
  const st = await (deps.embedded ?? (() => local().clusterStatus()))();
  if (st.state && st.running) {
    return { kubeconfig: st.state.kubeconfig, source: 'embedded', description: `using the embedded cluster at ${st.state.server} (sync-hooks cluster up; KUBECONFIG=${st.state.kubeconfig})` };
  }
  const why = st.state ? `the embedded cluster recorded in ${local().defaultStateFile()} is not healthy (see \`sync-hooks cluster status\`)` : 'the embedded cluster is not running';
  throw new UsageError(`no cluster: --kubeconfig and $KUBECONFIG are not set and ${why}.\nStart it with \`sync-hooks cluster up\`, or point at a cluster with --kubeconfig <file> or KUBECONFIG.`);
}
