import * as path from 'node:path';
import { compileCacheDir, enableCompileCache } from '../../../src/cli/compile-cache';

describe('compile cache of the sync-hooks command', () => {
  test('directory: SYNC_HOOKS_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache', () => {
    expect(compileCacheDir({ SYNC_HOOKS_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }, () => '/home/u')).toBe(path.join('/c', 'compile-cache'));
    expect(compileCacheDir({ XDG_CACHE_HOME: '/x' }, () => '/home/u')).toBe(path.join('/x', 'pulumi-sync-hooks', 'compile-cache'));
    expect(compileCacheDir({}, () => '/home/u')).toBe(path.join('/home/u', '.cache', 'pulumi-sync-hooks', 'compile-cache'));
  });

  test('enabled in that directory; NODE_COMPILE_CACHE (the user\'s) is left to Node', () => {
    const calls: (string | undefined)[] = [];
    const enable = (dir?: string) => {
      calls.push(dir);
      return { status: 1, directory: dir ?? '/user-chosen' };
    };
    expect(enableCompileCache({ SYNC_HOOKS_CACHE_DIR: '/c' }, enable)).toBe(path.join('/c', 'compile-cache'));
    expect(enableCompileCache({ NODE_COMPILE_CACHE: '/u' }, enable)).toBe('/user-chosen');
    expect(calls).toEqual([path.join('/c', 'compile-cache'), undefined]);
  });

  test('never an error: disabled, unavailable, unwritable or throwing', () => {
    const never = () => {
      throw new Error('must not be called');
    };
    expect(enableCompileCache({ NODE_DISABLE_COMPILE_CACHE: '1' }, never)).toBeUndefined();
    expect(enableCompileCache({}, null)).toBeUndefined();
    // Node reports an unwritable directory as status FAILED without a directory.
    expect(enableCompileCache({ SYNC_HOOKS_CACHE_DIR: '/proc/nope' }, () => ({ status: 0, message: 'EACCES' }))).toBeUndefined();
    expect(enableCompileCache({}, () => never())).toBeUndefined();
  });
});
