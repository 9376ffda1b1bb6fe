import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { UsageError } from '../../../src/cli/args';
import { appName, checkFlags, parseDuration } from '../../../src/cli/options';
import { resolveCluster } from '../../../src/cli/target';
import { ClusterStatus } from '../../../src/localcluster';
import { args, fixture, withStderr } from './_helpers';

describe('parseArgs for the engine commands', () => {
  test('-f is repeatable, -n is --namespace, booleans take no value', () => {
    const a = args(['sync', '-f', 'a.yaml', '-f', 'dir/', '-n', 'shop', '--no-prune', '--timeout=30m', '--json']);
    expect(a.positional).toEqual(['sync']);
    expect(a.flags.get('file')).toEqual(['a.yaml', 'dir/']);
    expect(a.flags.get('namespace')).toEqual(['shop']);
    expect(a.flags.get('no-prune')).toEqual(['true']);
    expect(a.flags.get('timeout')).toEqual(['30m']);
    expect(a.flags.get('json')).toEqual(['true']);
  });
});

describe('checkFlags', () => {
  test('unknown flags are named with the allowed ones', () => {
    expect(() => checkFlags('plan', args(['plan', '-f', 'x', '--prune', 'all']), ['file', 'json'])).toThrow(
      new UsageError('plan: unknown flag --prune (allowed: --file, --json)'),
    );
  });
  test('positional words after the command are rejected', () => {
    expect(() => checkFlags('sync', args(['sync', 'app.yaml']), ['file'])).toThrow('sync: unexpected argument "app.yaml" (give manifests with -f <file|dir>)');
  });
  test('boolean flags reject a value', () => {
    expect(() => checkFlags('plan', args(['plan', '--json=yes']), ['json'])).toThrow('--json takes no value (got "yes")');
  });
});

describe('parseDuration', () => {
  test.each([
    ['30m', 1_800_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['45', 45_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(['', '5x', '30m5', 'm', '-1s', '0s'])('rejects %j', (text) => expect(() => parseDuration(text, 'timeout')).toThrow(UsageError));
});

describe('appName', () => {
  test('--name is used as given', () => {
    expect(appName(args(['sync', '--name', 'shop']), ['x.yaml'])).toEqual({ name: 'shop', from: '--name' });
  });
  test('--name must be a DNS-1123 label; the error suggests one', () => {
    expect(() => appName(args(['sync', '--name', 'My_Shop']), [])).toThrow('--name "My_Shop" is not a DNS-1123 label (a-z, 0-9, \'-\', at most 63 characters); try --name my-shop');
  });
  test('default: basename of the first -f without extension, sanitized', () => {
    expect(appName(args(['sync']), ['deploy/My_App.v2.yaml', 'other'])).toEqual({ name: 'my-app-v2', from: '-f deploy/My_App.v2.yaml' });
    expect(appName(args(['sync']), ['charts/shop/dist/'])).toEqual({ name: 'dist', from: '-f charts/shop/dist/' });
    expect(appName(args(['sync']), [`/tmp/${'x'.repeat(80)}.json`]).name).toBe('x'.repeat(63));
  });
  test('no usable name', () => {
    expect(() => appName(args(['sync']), ['___.yaml'])).toThrow('cannot derive an application name from "___.yaml"; give --name <app>');
    expect(() => appName(args(['delete']), [])).toThrow('give --name <app>');
  });
});

describe('resolveCluster', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-cli-'));
  const kc = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    kc,
    'apiVersion: v1\nkind: Config\ncurrent-context: c1\ncontexts:\n- name: c1\n  context: {cluster: k1, user: u}\nclusters:\n- name: k1\n  cluster: {server: "https://10.0.0.1:6443"}\nusers:\n- name: u\n  user: {token: t}\n',
  );
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const up: () => Promise<ClusterStatus> = async () => ({
    running: true,
    apiReady: true,
    components: [],
    totalRssMiB: 0,
    state: { kubeconfig: '/tmp/embedded/kubeconfig', server: 'https://127.0.0.1:1234' } as ClusterStatus['state'],
  });
  const down: () => Promise<ClusterStatus> = async () => ({ running: false, apiReady: false, components: [], totalRssMiB: 0 });

  test('--kubeconfig wins over $KUBECONFIG and the embedded cluster, and says which context/server', async () => {
    const t = await resolveCluster(kc, { env: { KUBECONFIG: '/nope' }, embedded: up });
    expect(t).toEqual({ kubeconfig: kc, source: 'flag', description: `using --kubeconfig ${kc} (context c1, server https://10.0.0.1:6443)` });
  });
  test('$KUBECONFIG before the embedded cluster', async () => {
    expect(await resolveCluster(undefined, { env: { KUBECONFIG: kc }, embedded: up })).toMatchObject({ kubeconfig: kc, source: 'env' });
  });
  test('several $KUBECONFIG files are left to client-node', async () => {
    const t = await resolveCluster(undefined, { env: { KUBECONFIG: `${kc}${path.delimiter}/other` }, embedded: up });
    expect(t.kubeconfig).toBeUndefined();
    expect(t.description).toContain('server https://10.0.0.1:6443');
  });
  test('the embedded cluster when it is up', async () => {
    expect(await resolveCluster(undefined, { env: {}, embedded: up })).toEqual({
      kubeconfig: '/tmp/embedded/kubeconfig',
      source: 'embedded',
      description: 'using the embedded cluster at https://127.0.0.1:1234 (sync-hooks cluster up; KUBECONFIG=/tmp/embedded/kubeconfig)',
    });
  });
  test('no cluster at all: a usage error saying how to get one', async () => {
    await expect(resolveCluster(undefined, { env: {}, embedded: down })).rejects.toThrow(/no cluster: .*sync-hooks cluster up/s);
  });
  test('a missing kubeconfig file', async () => {
    await expect(resolveCluster('/does/not/exist', { env: {} })).rejects.toThrow('--kubeconfig: kubeconfig /does/not/exist does not exist');
  });
});

describe('main', () => {
  const run = (argv: string[]) => {
    const out: string[] = [];
    return withStderr(() => main(argv, (s) => out.push(s))).then((r) => ({ code: r.value, out: out.join('\n'), stderr: r.stderr }));
  };

  test('plan, sync and delete are registered and listed in the usage', async () => {
    const r = await run(['help']);
    expect(r.code).toBe(0);
    for (const c of ['plan', 'sync', 'delete']) expect(r.out).toContain(`sync-hooks ${c}`);
  });
  test('sync without -f: exit 2', async () => {
    const r = await run(['sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sync-hooks: sync: give the manifests with -f <file|dir> (repeatable)\n');
  });
  test('a bad flag value: exit 2, before any cluster is contacted', async () => {
    const r = await run(['sync', '-f', fixture('shop'), '--hook-timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sync-hooks: --hook-timeout: invalid duration "soon" (examples: 30m, 90s, 1h30m)\n');
  });
  test('--kubeconfig pointing nowhere: exit 2', async () => {
    const r = await run(['delete', '-f', fixture('shop'), '--kubeconfig', '/does/not/exist']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('kubeconfig /does/not/exist does not exist');
  });
});
