import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { UsageError } from '../../../src/cli/args';
import { appName, checkFlags, parseDuration } from '../../../src/cli/options';
import { commandSpec, flagsOf, FLAGS } from '../../../src/cli/spec';
import { parse as parseYaml } from 'yaml';
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
  test('unknown flags are named, with where to look', () => {
    expect(() => args(['plan', '-f', 'x', '--prune', 'all'])).toThrow(new UsageError('plan: unknown flag --prune (see `sync-hooks plan --help`)'));
  });
  test('positional words after the command are rejected', () => {
    expect(() => checkFlags('sync', args(['sync', 'app.yaml']), ['file'])).toThrow('sync: unexpected argument "app.yaml" (give manifests with -f <file|dir>)');
  });
  test('boolean flags reject a value', () => {
    expect(() => args(['plan', '--json=yes'])).toThrow('plan: --json takes no value (see `sync-hooks plan --help`)');
  });
  test('a flag of another command is unknown here', () => {
    expect(() => args(['delete', '-f', 'x', '--no-prune'])).toThrow('delete: unknown flag --no-prune');
  });
  test('a value missing at the end', () => {
    expect(() => args(['sync', '-f'])).toThrow('sync: --file needs a value');
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
    for (const c of ['plan', 'sync', 'delete', 'cluster', 'toolchain']) expect(r.out).toMatch(new RegExp(`^  ${c} `, 'm'));
  });
  test.each([['--help'], ['-h']])('%s: the usage on stdout, exit 0', async (f) => {
    const r = await run([f]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: sync-hooks <command>');
    expect(r.stderr).toBe('');
  });
  test('no arguments: the usage on stderr, exit 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.stderr).toContain('usage: sync-hooks <command>');
  });
  test.each([['--version'], ['-V']])('%s prints the package version', async (f) => {
    const r = await run([f]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`sync-hooks ${require('../../../package.json').version}`);
  });
  test.each(['plan', 'sync', 'delete', 'cluster', 'toolchain'])('%s has its own help, listing every flag it accepts', async (cmd) => {
    for (const argv of [[cmd, '--help'], [cmd, '-h'], ['help', cmd]]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^sync-hooks ${cmd}: `));
      expect(r.out).toContain('-h, --help');
    }
    const help = (await run([cmd, '--help'])).out;
    const spec = commandSpec(cmd)!;
    for (const f of flagsOf(spec)) expect(help).toContain(`--${f}`);
  });
  test('every flag a command takes is declared with a type and help', () => {
    for (const cmd of ['plan', 'sync', 'delete', 'cluster', 'toolchain']) {
      for (const f of flagsOf(commandSpec(cmd)!)) expect(FLAGS[f]?.help).toBeTruthy();
    }
  });
  test.each([
    [['sync', '-f', 'x', '--bogus'], 'sync: unknown flag --bogus'],
    [['delete', '-f', 'x', '--teardown'], 'delete: unknown flag --teardown'],
    [['plan', '-f', 'x', '--kubeconfig', 'k'], 'plan: unknown flag --kubeconfig'],
    [['cluster', 'status', '--fast'], 'cluster: unknown flag --fast'],
    [['toolchain', '--force'], 'toolchain: unknown flag --force'],
    [['cluster'], 'cluster: give a subcommand (up, down, status'],
    [['cluster', 'sideways'], 'cluster: unknown subcommand "sideways"'],
    [['plan', '-f', 'x', '-o', 'xml'], '-o/--output must be one of json, yaml, table (got "xml")'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('%j: a usage error on stderr, exit 2', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.stderr).toContain(`sync-hooks: ${message}`);
  });
  test('-o yaml and -o json render the same plan', async () => {
    const json = await run(['plan', '-f', fixture('shop'), '-o', 'json']);
    const yaml = await run(['plan', '-f', fixture('shop'), '-o', 'yaml']);
    const alias = await run(['plan', '-f', fixture('shop'), '--json']);
    expect(json.code).toBe(0);
    expect(yaml.code).toBe(0);
    expect(alias.out).toBe(json.out);
    expect(parseYaml(yaml.out)).toEqual(JSON.parse(json.out));
    expect(yaml.out).not.toMatch(/^\{/);
  });
  test('-o table is the default human output', async () => {
    const table = await run(['plan', '-f', fixture('shop'), '-o', 'table']);
    const plain = await run(['plan', '-f', fixture('shop')]);
    expect(table.out).toBe(plain.out);
  });
  test('no escape codes in any output', async () => {
    for (const argv of [['--help'], ['sync', '--help'], ['plan', '-f', fixture('shop')], ['plan', '-f', fixture('shop'), '--teardown']]) {
      const r = await run(argv);
      expect(r.out + r.stderr).not.toContain(String.fromCharCode(27));
    }
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
  test('--context picks the kubeconfig context (and its namespace); an unknown one is a usage error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctx-'));
    try {
      const kc = path.join(dir, 'kubeconfig');
      const cluster = (name: string) => ({ name, cluster: { server: 'https://127.0.0.1:1' } });
      const context = (name: string, namespace: string) => ({ name, context: { cluster: 'c', user: 'u', namespace } });
      fs.writeFileSync(
        kc,
        JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [cluster('c')], users: [{ name: 'u', user: { token: 't' } }], contexts: [context('a', 'alpha'), context('b', 'beta')], 'current-context': 'a' }),
      );
      const cm = path.join(dir, 'cm.yaml');
      fs.writeFileSync(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
      const b = await run(['plan', '-f', cm]);
      expect(b.code).toBe(0);
      const withB = await run(['sync', '-f', cm, '--kubeconfig', kc, '--context', 'b', '--timeout', '2s']);
      expect(withB.stderr).toContain(', with --context b');
      expect(withB.stderr).toContain('go to namespace beta (the namespace of kubeconfig context b)');
      const nope = await run(['sync', '-f', cm, '--kubeconfig', kc, '--context', 'nope']);
      expect(nope.code).toBe(2);
      expect(nope.stderr).toContain('sync-hooks: --context nope: kubeconfig has no context "nope"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
