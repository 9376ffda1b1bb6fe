/**
 * "No further writes" once an operation has lost its lock: the operation's client refuses every
 * write (apply, create, replace, delete, finalizer patch; dry runs excepted) with the operation's
 * `LockLostError`, whatever step was under way when the loss was noticed. Reads go through.
 */
import { KubeClient } from './client';
import type { OperationLock } from './lock';

const WRITES = new Set<PropertyKey>(['apply', 'create', 'replace', 'delete', 'patchFinalizers']);

export function guardWrites(client: KubeClient, lock: OperationLock, lostError: () => Error): KubeClient {
  return new Proxy(client, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      if (!WRITES.has(prop)) return v.bind(target);
      return (...args: unknown[]) => {
        const opts = args[1] as { dryRun?: boolean } | undefined;
        if (lock.lost && !opts?.dryRun) return Promise.reject(lostError());
        return v.apply(target, args);
      };
    },
  });
}
