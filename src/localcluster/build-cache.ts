/**
 * The toolchain cache's bookkeeping: a `.complete` marker per component directory (a warm check is
 * one stat) and an exclusive lock directory per build, so two processes never build the same thing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ToolchainError } from './errors';
import { ProgressFn } from './progress';
import { cacheRoot } from './versions';

const COMPLETE = '.complete';

export function isComplete(dir: string): boolean {
  return fs.existsSync(path.join(dir, COMPLETE));
}

export function markComplete(dir: string, info: Record<string, unknown>): void {
  fs.writeFileSync(path.join(dir, COMPLETE), JSON.stringify({ ...info, builtAt: new Date().toISOString() }, null, 2));
}

/** What the marker of a built component records (undefined when not built). */
export function completeInfo(dir: string): unknown {
  const marker = path.join(dir, COMPLETE);
  return fs.existsSync(marker) ? JSON.parse(fs.readFileSync(marker, 'utf8')) : undefined;
}

/** Serializes concurrent builds (e.g. two test runs) with an exclusive lock directory. */
export async function withLock<T>(name: string, progress: ProgressFn, fn: () => Promise<T>): Promise<T> {
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
