/**
 * The kubeconfigs served without client-node: what they resolve to, that everything else falls
 * back to client-node, and that for the supported ones the headers and TLS options are the ones
 * client-node's own loadKubeConfig( ) would use.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseKubeconfig, loadKubeConfig } from '../../../src/engine/kubeconfig';
import { directConfig } from '../../../src/engine/kubeconfig-direct';
import { openConnection } from '../../../src/engine/kube-connection';

const TOKEN = 'tok-4f9c2d7e1b8a6350c0ffee';
const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n').toString('base64');

function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://10.1.2.3:6443', ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [
      { name: 'x', context: { cluster: 'c', user: 'u' } },
      { name: 'y', context: { cluster: 'c', user: 'u', namespace: 'team-y' } },
    ],
    'current-context': 'x',
    ...extra,
  };
}
const parsed = (cfg: Record<string, any>, dir?: string) => ({ ...parseKubeconfig(JSON.stringify(cfg)), ...(dir ? { dir } : {}) });

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-direct-'));
  fs.writeFileSync(path.join(dir, 'client.crt'), 'CERT');
  fs.writeFileSync(path.join(dir, 'client.key'), 'KEY');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('directConfig', () => {
  test('token and insecure-skip-tls-verify; the context namespace; --context', () => {
    const cfg = kubeconfig({ 'insecure-skip-tls-verify': true }, { token: TOKEN });
    expect(directConfig(parsed(cfg))).toEqual({
      server: 'https://10.1.2.3:6443',
      defaultNamespace: 'default',
      user: 'u',
      authorization: `Bearer ${TOKEN}`,
      rejectUnauthorized: false,
    });
    expect(directConfig(parsed(cfg), 'y')?.defaultNamespace).toBe('team-y');
  });

  test('CA data, client certificate files relative to the kubeconfig, tls-server-name, basic auth', () => {
    const cfg = kubeconfig({ 'certificate-authority-data': CA, 'tls-server-name': 'api.internal' }, { 'client-certificate': 'client.crt', 'client-key': '/abs/client.key', username: 'ann', password: 'pw' });
    expect(directConfig(parsed(cfg, dir))).toEqual({
      server: 'https://10.1.2.3:6443',
      defaultNamespace: 'default',
      user: 'u',
      authorization: `Basic ${Buffer.from('ann:pw').toString('base64')}`,
      ca: { data: CA },
      cert: { file: path.join(dir, 'client.crt') },
      key: { file: '/abs/client.key' },
      servername: 'api.internal',
    });
  });

  test('a token wins over basic auth (as in client-node); a trailing slash is dropped', () => {
    const d = directConfig(parsed(kubeconfig({ server: 'https://h:1/' }, { token: TOKEN, username: 'a', password: 'b' })));
    expect(d?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(d?.server).toBe('https://h:1');
  });

  test.each<[string, Record<string, any>, string?]>([
    ['an exec plugin', kubeconfig({}, { exec: { command: 'aws', apiVersion: 'client.authentication.k8s.io/v1' } })],
    ['an auth provider', kubeconfig({}, { 'auth-provider': { name: 'oidc' } })],
    ['impersonation', kubeconfig({}, { token: TOKEN, as: 'admin' })],
    ['tokenFile', kubeconfig({}, { tokenFile: '/var/run/token' })],
    ['a proxy', kubeconfig({ 'proxy-url': 'http://proxy:3128' }, { token: TOKEN })],
    ['plain http', kubeconfig({ server: 'http://10.1.2.3:8080' }, { token: TOKEN })],
    ['an unknown cluster field', kubeconfig({ 'disable-compression': true }, { token: TOKEN })],
    ['a context without a user', { ...kubeconfig({}, { token: TOKEN }), contexts: [{ name: 'x', context: { cluster: 'c' } }] }],
    ['an unknown context', kubeconfig({}, { token: TOKEN }), 'nope'],
    ['no current-context', { ...kubeconfig({}, { token: TOKEN }), 'current-context': undefined }],
    ['two clusters of the same name', { ...kubeconfig({}, { token: TOKEN }), clusters: [{ name: 'c', cluster: { server: 'https://a:1' } }, { name: 'c', cluster: { server: 'https://b:1' } }] }],
    ['a missing server', { ...kubeconfig({}, { token: TOKEN }), clusters: [{ name: 'c', cluster: {} }] }],
  ])('%s: client-node serves it (undefined)', (...[, cfg, context]) => {
    expect(directConfig(parsed(cfg), context)).toBeUndefined();
  });
});

describe('openConnection: the same requests as client-node for the kubeconfigs it serves', () => {
  const cases: [string, Record<string, any>, string?][] = [
    ['token, insecure', kubeconfig({ 'insecure-skip-tls-verify': true }, { token: TOKEN })],
    ['CA data, client certificate files, tls-server-name', kubeconfig({ 'certificate-authority-data': CA, 'tls-server-name': 'api.internal' }, { 'client-certificate': 'client.crt', 'client-key': 'client.key' })],
    ['basic auth, context with a namespace', kubeconfig({ 'certificate-authority-data': CA }, { username: 'ann', password: 'pw' }), 'y'],
  ];
  test.each(cases)('%s', async (...[, cfg, context]) => {
    const file = path.join(dir, 'kubeconfig');
    fs.writeFileSync(file, JSON.stringify(cfg));
    const conn = openConnection(file, context);
    expect(conn.via).toBe('direct');
    const url = new URL('https://10.1.2.3:6443/api/v1/namespaces');
    // client-node, as the client used it before.
    const kc = loadKubeConfig(file, context);
    const { RequestContext } = require('@kubernetes/client-node');
    const ctx = new RequestContext(url.toString(), 'GET');
    await kc.applySecurityAuthentication(ctx);
    expect((conn as unknown as { headers(): Record<string, string> }).headers()).toEqual(ctx.getHeaders());
    const theirs = ctx.getDispatcher();
    const agentOpts: Record<string, unknown> = {};
    const https: Record<string, any> = {};
    await kc.applyOptions(https);
    for (const k of ['ca', 'cert', 'key', 'rejectUnauthorized', 'servername']) if (https[k] !== undefined) agentOpts[k] = https[k];
    const expected = kc.createDispatcherOptions(kc.getCurrentCluster(), agentOpts);
    // client-node gives undici the TLS options under `connect` (plus its keep-alive settings, which Node's agent has as options of its own).
    const tls = { ...expected.connect };
    delete tls.keepAlive;
    delete tls.keepAliveInitialDelay;
    expect((conn as unknown as { tlsOptions(): unknown }).tlsOptions()).toEqual(tls);
    const ctxObj = kc.getContextObject(kc.getCurrentContext());
    expect({ server: conn.server, ns: conn.defaultNamespace, user: conn.user }).toEqual({ server: kc.getCurrentCluster().server, ns: ctxObj.namespace || 'default', user: kc.getCurrentUser().name });
    conn.close();
    theirs?.close?.();
  });

  test('an exec-plugin kubeconfig is served by client-node', () => {
    const file = path.join(dir, 'exec-kubeconfig');
    fs.writeFileSync(file, JSON.stringify(kubeconfig({}, { exec: { command: 'true', apiVersion: 'client.authentication.k8s.io/v1' } })));
    expect(openConnection(file).via).toBe('client-node');
  });
});
