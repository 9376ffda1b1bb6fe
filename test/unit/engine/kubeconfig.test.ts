/** Every kubeconfig form loads; no error quotes a kubeconfig (they hold tokens). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeconfigError, loadKubeConfig, parseKubeconfig } from '../../../src/engine';

const TOKEN = 'tok-4f9c2d7e1b8a6350c0ffee';
const config = {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'c', cluster: { server: 'https://10.1.2.3:6443', 'insecure-skip-tls-verify': true } }],
  users: [{ name: 'u', user: { token: TOKEN } }],
  contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
  'current-context': 'x',
};
const yamlText = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: c',
  '  cluster: {server: "https://10.1.2.3:6443", insecure-skip-tls-verify: true}',
  'users:',
  `- name: u`,
  `  user: {token: ${TOKEN}}`,
  'contexts:',
  '- name: x',
  '  context: {cluster: c, user: u}',
  'current-context: x',
  '',
].join('\n');

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('every form loads', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['one-line JSON (pulumi-eks)', () => JSON.stringify(config)],
    ['indented JSON', () => JSON.stringify(config, null, 2)],
    ['YAML', () => yamlText],
    ['base64 of YAML', () => Buffer.from(yamlText).toString('base64')],
    ['a YAML file path', () => {
      const f = path.join(dir, 'config.yaml');
      fs.writeFileSync(f, yamlText);
      return f;
    }],
    ['a JSON file path', () => {
      const f = path.join(dir, 'config.json');
      fs.writeFileSync(f, JSON.stringify(config));
      return f;
    }],
  ])('%s', (_name, make) => {
    const kc = loadKubeConfig(make());
    expect(kc.getCurrentCluster().server).toBe('https://10.1.2.3:6443');
    expect(kc.getCurrentUser().token).toBe(TOKEN);
  });

  test('the form is told by content: one-line JSON is text, not a file name', () => {
    expect(parseKubeconfig(JSON.stringify(config)).form).toBe('JSON');
    expect(parseKubeconfig(yamlText).form).toBe('YAML');
  });
});

test('a context is selected by name; an unknown one is named, the kubeconfig is not quoted', () => {
  const two = { ...config, contexts: [...config.contexts, { name: 'y', context: { cluster: 'c', user: 'u', namespace: 'team' } }] };
  expect(loadKubeConfig(JSON.stringify(two), 'y').getCurrentContext()).toBe('y');
  const err = errorOf(() => loadKubeConfig(JSON.stringify(two), 'z'));
  expect(err.message).toMatch(/^kubeconfig JSON text \(\d+ characters\) has no context "z"$/);
});

describe('errors name the problem, never the content', () => {
  test.each([
    ['broken JSON', JSON.stringify(config).slice(0, -5), /JSON text \(\d+ characters\) is not valid JSON/],
    ['broken YAML', yamlText.replace('current-context: x', `current-context: [x\n  token2: ${TOKEN}`), /YAML text \(\d+ characters\) is not valid YAML \(line \d+, column \d+\)/],
    ['a token on its own', TOKEN, /neither an existing file nor kubeconfig text/],
    ['a missing server', JSON.stringify({ ...config, clusters: [{ name: 'c', cluster: {} }] }), /clusters\[0\]\.cluster\.server is missing/],
    ['an unknown current-context', JSON.stringify({ ...config, 'current-context': 'nope' }), /current-context "nope" names no context/],
    ['a list', `- ${TOKEN}\n- b\n`, /not a kubeconfig/],
  ])('%s', (_name, input, message) => {
    const err = errorOf(() => loadKubeConfig(input));
    expect(err).toBeInstanceOf(KubeconfigError);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(TOKEN);
    expect(err.message).not.toContain(input.slice(0, 12));
  });
});
