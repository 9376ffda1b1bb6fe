/** Test helpers on the real embedded cluster: a client, unique namespaces, condition waits with deadlines. */
import * as crypto from 'node:crypto';

export function kubeconfigPath(): string {
  const p = process.env.SYNC_HOOKS_KUBECONFIG;
  if (!p) throw new Error('SYNC_HOOKS_KUBECONFIG is not set: run integration tests through jest (globalSetup starts the cluster)');
  return p;
}

export function k8s(): typeof import('@kubernetes/client-node') {
  return require('@kubernetes/client-node');
}

export function kubeConfig() {
  const kc = new (k8s().KubeConfig)();
  kc.loadFromFile(kubeconfigPath());
  return kc;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(3).toString('hex')}`;
}

/** Polls `check` until it returns a value; throws after `timeoutMs` with what it waited for. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function isNotFound(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (e: any) {
    return e?.code === 404 || e?.statusCode === 404 || e?.response?.statusCode === 404;
  }
}
