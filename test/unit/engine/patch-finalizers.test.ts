/**
 * The real client's patchFinalizers against a minimal HTTP API server: with the object as last
 * seen (a watch event), the first attempt is the conditional PATCH alone; a stale view costs a
 * conflict, one read and a second PATCH.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { KubeObject } from '../../../src/model';
import { createKubeClient } from '../../../src/engine';

const FIN = 'argocd.argoproj.io/hook-finalizer';
const ref = { apiVersion: 'batch/v1', kind: 'Job', namespace: 'ns', name: 'j' };

/** One Job, its resourceVersion bumped on every write; every request logged as `METHOD path`. */
async function server(): Promise<{ url: string; log: string[]; job: KubeObject; close: () => Promise<void> }> {
  const log: string[] = [];
  const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ns', resourceVersion: '10', finalizers: [FIN, 'other/keep'] } };
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const path = req.url!.split('?')[0];
      log.push(`${req.method} ${path}`);
      const send = (status: number, o: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      if (path === '/apis/batch/v1') return send(200, { resources: [{ name: 'jobs', kind: 'Job', namespaced: true }] });
      if (path !== '/apis/batch/v1/namespaces/ns/jobs/j') return send(404, { kind: 'Status', reason: 'NotFound', message: 'not found' });
      if (req.method === 'GET') return send(200, job);
      const p = JSON.parse(body);
      if (p.metadata.resourceVersion !== job.metadata.resourceVersion) return send(409, { kind: 'Status', reason: 'Conflict', message: 'the object has been modified' });
      job.metadata.finalizers = p.metadata.finalizers;
      job.metadata.resourceVersion = String(Number(job.metadata.resourceVersion) + 1);
      return send(200, job);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, log, job, close: () => new Promise((r) => srv.close(() => r())) };
}

function kubeconfig(url: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "${url}", insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: t}
contexts:
- name: ctx
  context: {cluster: c, user: u}
current-context: ctx
`;
}

test('patchFinalizers with the object as last seen: one conditional PATCH, no read first', async () => {
  const s = await server();
  const c = createKubeClient(kubeconfig(s.url));
  try {
    const seen = structuredClone(s.job);
    const out = await c.patchFinalizers(ref, { remove: [FIN] }, seen);
    expect(out?.metadata.finalizers).toEqual(['other/keep']);
    expect(s.log.filter((l) => l.includes('/jobs/'))).toEqual(['PATCH /apis/batch/v1/namespaces/ns/jobs/j']);
  } finally {
    c.close?.();
    await s.close();
  }
}, 60_000);

test('patchFinalizers with a stale view: conflict, then read and patch again; without a view: read, then patch', async () => {
  const s = await server();
  const c = createKubeClient(kubeconfig(s.url));
  try {
    const stale = structuredClone(s.job);
    s.job.metadata.resourceVersion = '11'; // changed since it was seen
    expect((await c.patchFinalizers(ref, { remove: [FIN] }, stale))?.metadata.finalizers).toEqual(['other/keep']);
    expect(s.log.filter((l) => l.includes('/jobs/')).map((l) => l.split(' ')[0])).toEqual(['PATCH', 'GET', 'PATCH']);
    s.log.length = 0;
    expect((await c.patchFinalizers(ref, { add: [FIN] }))?.metadata.finalizers).toEqual(['other/keep', FIN]);
    expect(s.log.map((l) => l.split(' ')[0])).toEqual(['GET', 'PATCH']);
    // A view that needs no change is confirmed on the live object, not trusted.
    s.log.length = 0;
    const seenWithout = { ...structuredClone(s.job), metadata: { ...s.job.metadata, finalizers: ['other/keep'] } };
    expect((await c.patchFinalizers(ref, { remove: [FIN] }, seenWithout))?.metadata.finalizers).toEqual(['other/keep']);
    expect(s.log.map((l) => l.split(' ')[0])).toEqual(['GET', 'PATCH']);
  } finally {
    c.close?.();
    await s.close();
  }
}, 60_000);
