/**
 * The real `bin/sync-hooks.js` after lazy loading and with the module compile cache: each command
 * loads its own modules when it runs, so this runs them as a user does, in a fresh process, with
 * a writable cache directory (filled by the first run, used by the second) and with one that
 * cannot be created (the command must work the same, only without a cache).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubeClient } from '../../../src/engine';
import { client, configMap, eventually, kubeconfig, ref, uniqueNamespace, withNamespace } from '../engine/_helpers';
import { inventoryRef } from '../../../src/runner/inventory-store';
import { CliProcess, tempDir, writeManifests } from './_cli';

let c: KubeClient;
let dir: string;
beforeAll(() => {
  c = client();
  dir = tempDir();
});
afterAll(() => {
  c.close?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<CliProcess & { code: number | null }> {
  const p = new CliProcess(argv, env);
  const code = await p.exited;
  return Object.assign(p, { code });
}

test('--version, --help, plan and sync through the binary, with a fresh and with an unusable compile cache', async () => {
  const ns = uniqueNamespace('cli-bin');
  const cleanup = await withNamespace(c, ns);
  try {
    const cacheRoot = path.join(dir, 'cache');
    const blocked = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocked, 'a file where the cache directory would go');
    for (const [i, env] of [{ SYNC_HOOKS_CACHE_DIR: cacheRoot }, { SYNC_HOOKS_CACHE_DIR: cacheRoot }, { SYNC_HOOKS_CACHE_DIR: blocked }].entries()) {
      const why = `run ${i + 1} with SYNC_HOOKS_CACHE_DIR=${env.SYNC_HOOKS_CACHE_DIR}`;
      const version = await run(['--version'], env);
      expect({ why, code: version.code, out: version.stdout }).toEqual({ why, code: 0, out: expect.stringMatching(/^sync-hooks \d+\.\d+\.\d+\n$/) });
      const help = await run(['sync', '--help'], env);
      expect({ why, code: help.code, stderr: help.stderr }).toEqual({ why, code: 0, stderr: '' });
      expect(help.stdout).toContain('--inventory-namespace');
      const file = writeManifests(dir, `${ns}-${i}.yaml`, [configMap(ns, `settings-${i}`)]);
      const plan = await run(['plan', '-f', file], env);
      expect({ why, code: plan.code, stderr: plan.stderr }).toEqual({ why, code: 0, stderr: '' });
      expect(plan.stdout).toContain(`${ns}/settings-${i}`);
      const sync = await run(['sync', '-f', file, '--kubeconfig', kubeconfig(), '--name', ns, '--inventory-namespace', ns], env);
      expect({ why, code: sync.code, stderr: sync.stderr }).toEqual({ why, code: 0, stderr: expect.not.stringContaining('sync-hooks:') });
      expect(sync.stdout).toContain('sync succeeded');
      expect(await c.get(ref(ns, 'ConfigMap', `settings-${i}`))).toBeDefined();
      if (i === 0) expect(fs.readdirSync(path.join(cacheRoot, 'compile-cache')).length).toBeGreaterThan(0);
    }
    // Each sync replaced the previous one's object: prune works through the lazily loaded runner too.
    await eventually('settings-0 to be pruned', async () => (await c.get(ref(ns, 'ConfigMap', 'settings-0'))) === undefined);
  } finally {
    await c.delete(inventoryRef(ns, ns)).catch(() => undefined);
    await cleanup();
  }
});
