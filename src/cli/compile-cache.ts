/**
 * Node's module compile cache for the `sync-hooks` command and the provider plugin (their bin scripts enable it before
 * loading anything else): V8 keeps the compiled code of every module it loads in a directory under
 * the user's cache, so later runs skip parsing and compiling (start-up roughly halves). Node keys
 * the entries by its own version and each file's content, so upgrades never use stale code. It is
 * best effort: an unwritable directory, `NODE_DISABLE_COMPILE_CACHE=1` or a Node without the API
 * only means no cache, never an error. `NODE_COMPILE_CACHE=<dir>` set by the user wins.
 */
import * as nodeModule from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

/** The cache directory: `$SYNC_HOOKS_CACHE_DIR`, else `$XDG_CACHE_HOME` or `~/.cache`, then `pulumi-sync-hooks/compile-cache`. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env, home: () => string = os.homedir): string {
  const root = env.SYNC_HOOKS_CACHE_DIR ? path.resolve(env.SYNC_HOOKS_CACHE_DIR) : path.join(env.XDG_CACHE_HOME || path.join(home(), '.cache'), 'pulumi-sync-hooks');
  return path.join(root, 'compile-cache');
}

type Enable = (dir?: string) => { status: number; message?: string; directory?: string } | undefined;

/**
 * Enables the compile cache unless the user chose otherwise; returns the directory in use, or
 * undefined when there is none. Never throws. `api`: Node's `module.enableCompileCache` (null: none).
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env, api?: Enable | null): string | undefined {
  const enable = api === undefined ? (nodeModule as { enableCompileCache?: Enable }).enableCompileCache : api;
  if (!enable || env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  try {
    const result = enable(env.NODE_COMPILE_CACHE ? undefined : compileCacheDir(env));
    return result?.directory || undefined;
  } catch {
    return undefined;
  }
}
