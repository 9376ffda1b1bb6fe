/**
 * The direct connection's transport (rest/node-https.ts) against a real local HTTPS server: one
 * bounded, reused set of connections for requests, a separate connection per watch stream, bodies
 * and statuses as sent, and a request that outlives its budget ends with a TimeoutError.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpsPool, MAX_REQUEST_CONNECTIONS } from '../../../src/engine/rest/node-https';

let server: https.Server;
let base: string;
const sockets = new Set<unknown>();
let hold: Array<() => void> = [];

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-https-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (req, res) => {
    sockets.add(req.socket);
    const url = new URL(req.url!, 'https://x');
    if (url.pathname === '/slow') return void hold.push(() => res.end('{}'));
    if (url.pathname === '/watch') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
      return; // stays open until the client aborts
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(url.pathname === '/missing' ? 404 : 200, { 'Content-Type': 'application/json', 'Retry-After': '3' });
      res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fs.rmSync(dir, { recursive: true, force: true });
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  sockets.clear();
  hold = [];
});

const init = (method: string, body?: string, timeoutMs = 10_000) => ({ method, headers: {}, body, timeoutMs });

test('status, headers and body as sent; the same connection is reused', async () => {
  const pool = new HttpsPool({ rejectUnauthorized: false });
  const a = await pool.send(new URL(`${base}/x`), { Authorization: 'Bearer t' }, init('PATCH', '{"a":1}'));
  expect(a.status).toBe(200);
  expect(a.headers.get('Retry-After')).toBe('3');
  expect(JSON.parse(await a.text())).toEqual({ method: 'PATCH', body: '{"a":1}', auth: 'Bearer t' });
  const b = await pool.send(new URL(`${base}/missing`), {}, init('GET'));
  expect(b.status).toBe(404);
  expect(sockets.size).toBe(1);
  pool.close();
});

test(`at most ${MAX_REQUEST_CONNECTIONS} connections for requests, however many are in flight; a watch gets its own`, async () => {
  const pool = new HttpsPool({ rejectUnauthorized: false });
  const n = MAX_REQUEST_CONNECTIONS + 20;
  const pending = Array.from({ length: n }, () => pool.send(new URL(`${base}/slow`), {}, init('GET')));
  const ctl = new AbortController();
  const watch = await pool.stream(new URL(`${base}/watch`), {}, ctl.signal);
  expect(watch.status).toBe(200);
  for (let i = 0; i < 500 && hold.length < MAX_REQUEST_CONNECTIONS; i++) await new Promise((r) => setTimeout(r, 10));
  expect(hold.length).toBe(MAX_REQUEST_CONNECTIONS); // the others wait for a connection
  expect(sockets.size).toBe(MAX_REQUEST_CONNECTIONS + 1); // plus the watch's
  // Answer the held requests until every one is done (the waiting ones get connections as they free up).
  let done = false;
  const all = Promise.all(pending).finally(() => (done = true));
  for (let i = 0; i < 500 && !done; i++) {
    hold.splice(0).forEach((f) => f());
    await new Promise((r) => setTimeout(r, 10));
  }
  expect((await all).map((r) => r.status)).toEqual(Array(n).fill(200));
  ctl.abort();
  pool.close();
});

test('a request that outlives its budget ends with a TimeoutError', async () => {
  const pool = new HttpsPool({ rejectUnauthorized: false });
  const err = await pool.send(new URL(`${base}/slow`), {}, init('GET', undefined, 100)).catch((e) => e);
  expect(err.name).toBe('TimeoutError');
  hold.forEach((f) => f());
  pool.close();
});

test('a server certificate that is not trusted is refused (no rejectUnauthorized: false)', async () => {
  const pool = new HttpsPool({});
  const err = await pool.send(new URL(`${base}/x`), {}, init('GET')).catch((e) => e);
  expect(err.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  pool.close();
});
