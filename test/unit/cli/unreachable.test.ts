/** A cluster nobody answers for: the CLI and SyncedChart's runtime say so, naming the server and the cause. */
// jest: loads @kubernetes/client-node (the CLI creates a real client against a closed port)
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { fixture, withStderr } from './_helpers';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

function kubeconfigFile(port: number): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'unreachable-')), 'config');
  fs.writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}
users:
- name: ci
  user: {token: planted-token-0123456789}
contexts:
- name: ctx
  context: {cluster: c, user: ci}
current-context: ctx
`,
  );
  return file;
}

test('sync against an unreachable cluster: "cannot reach the cluster at <server>: <cause>", exit 1, no token', async () => {
  const port = await closedPort();
  const { value: code, stderr } = await withStderr(() => main(['sync', '-f', fixture('small.yaml'), '--kubeconfig', kubeconfigFile(port)], () => undefined));
  expect(code).toBe(1);
  expect(stderr).toContain(`sync-hooks: cannot reach the cluster at https://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  expect(stderr).not.toMatch(/fetch failed/);
  expect(stderr).not.toContain('planted-token');
}, 60_000);

test('SyncedChart (runtime create) against an unreachable cluster names the server and the cause', async () => {
  const port = await closedPort();
  const { create } = await import('../../../src/pulumi/runtime');
  const kubeconfig = fs.readFileSync(kubeconfigFile(port), 'utf8');
  const manifests = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: 'b' } }];
  const err = await create({ appName: 'app', manifests, kubeconfig, prune: true } as any, { log: () => undefined }).catch((e) => e);
  const text = String(err?.message ?? err?.reasons?.join('\n') ?? err);
  expect(text).toContain(`cannot reach the cluster at https://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  expect(JSON.stringify(err)).not.toContain('planted-token');
}, 60_000);
