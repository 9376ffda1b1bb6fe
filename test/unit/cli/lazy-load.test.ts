/**
 * `--help`, `--version` and `plan` must not load what only `sync`/`delete`/`cluster` need (the
 * engine's client and @kubernetes/client-node, the local cluster): each is replaced by a module
 * that throws when loaded, so a command that still loaded one fails.
 */
jest.mock('@kubernetes/client-node', () => {
  throw new Error('@kubernetes/client-node was loaded');
});
jest.mock('../../../src/engine/kube-client', () => {
  throw new Error('src/engine/kube-client was loaded');
});
jest.mock('../../../src/engine/index', () => {
  throw new Error('src/engine/index was loaded');
});
jest.mock('../../../src/localcluster/index', () => {
  throw new Error('src/localcluster was loaded');
});

import { main } from '../../../src/cli/main';
import { fixture, withStderr } from './_helpers';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const lines: string[] = [];
  const { value, stderr } = await withStderr(() => main(argv, (s) => lines.push(s)));
  return { code: value, out: lines.join('\n'), err: stderr };
}

describe('commands load only what they use', () => {
  test('--version and --help', async () => {
    expect(await run(['--version'])).toMatchObject({ code: 0, out: expect.stringMatching(/^sync-hooks \d+\.\d+\.\d+/) });
    expect(await run(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('usage: sync-hooks <command>') });
    expect(await run(['sync', '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('--kubeconfig') });
    expect(await run(['delete', '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('--inventory-namespace') });
    expect(await run(['cluster', '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('cluster up') });
    expect(await run(['status', '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('--name') });
    expect(await run(['history', '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('--limit') });
    expect(await run(['timeline', '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('--operation') });
  });

  test('plan, -o yaml included', async () => {
    const table = await run(['plan', '-f', fixture('shop')]);
    expect(table).toMatchObject({ code: 0, err: '' });
    expect(table.out).toContain('Sync plan: 4 steps');
    const yaml = await run(['plan', '-f', fixture('shop'), '-o', 'yaml']);
    expect(yaml).toMatchObject({ code: 0, err: '' });
    expect(yaml.out).toMatch(/^syncPlan:|^[a-zA-Z]+:/m);
  });

  test('bad flags are still reported by the parser', async () => {
    expect(await run(['sync', '--no-such-flag'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown flag --no-such-flag') });
  });

  test('sync loads the engine (here: fails on the replaced module, reported as an error)', async () => {
    const r = await run(['sync', '-f', fixture('small.yaml'), '--kubeconfig', '/nonexistent']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/was loaded/);
  });
});
