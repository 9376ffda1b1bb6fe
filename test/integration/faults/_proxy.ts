/**
 * A fault-injecting HTTPS proxy on 127.0.0.1 in front of the real API server (a test helper, not
 * shipped code). It terminates TLS itself (the API server's own self-signed serving certificate,
 * or a fresh one from openssl) and forwards each request as is (the client's bearer token
 * included) to the API server; watches are streamed.
 *
 * Faults follow a deterministic schedule: each rule lists what happens to the 1st, 2nd, ...
 * request it matches ('pass' forwards it); requests past the end of the list pass.
 * - '429': answered `429 Too Many Requests` with `Retry-After: 1`, not forwarded;
 * - '503': answered `503 Service Unavailable`, not forwarded;
 * - 'reset': the client connection is dropped (closed abruptly) before anything is forwarded;
 * - 'reset-after': forwarded, the API server processes it, and the client connection is reset
 *   instead of answering (the ambiguous case: done, but the client cannot know).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export type Fault = '429' | '503' | 'reset' | 'reset-after';

export interface ProxiedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  watch: boolean;
}

export interface FaultRule {
  name: string;
  match: (r: ProxiedRequest) => boolean;
  faults: Array<Fault | 'pass'>;
}

export interface InjectedFault {
  rule: string;
  fault: Fault;
  method: string;
  path: string;
  watch: boolean;
}

function tlsMaterial(certDir?: string): { cert: Buffer; key: Buffer } {
  const crt = certDir && path.join(certDir, 'apiserver.crt');
  const key = certDir && path.join(certDir, 'apiserver.key');
  if (crt && key && fs.existsSync(crt) && fs.existsSync(key)) return { cert: fs.readFileSync(crt), key: fs.readFileSync(key) };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-proxy-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  return { cert: fs.readFileSync(path.join(dir, 'cert.pem')), key: fs.readFileSync(path.join(dir, 'key.pem')) };
}

/** Drops the client's connection: a TCP RST where the socket allows it (not under TLS), else an abrupt close. */
function reset(socket: net.Socket): void {
  try {
    (socket as any).resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

export class FaultProxy {
  readonly injected: InjectedFault[] = [];
  /** Requests seen (method path), in order of arrival. */
  readonly seen: string[] = [];
  /** Requests the API server answered (faults 'reset-after' included: answered, but not passed on). */
  readonly answered: Array<{ method: string; path: string; dryRun: boolean; status: number; fault?: Fault }> = [];
  private readonly counts = new Map<string, number>();
  private readonly upstream: URL;
  private server!: https.Server;
  private readonly sockets = new Set<net.Socket>();
  url = '';

  private constructor(
    upstream: string,
    private rules: FaultRule[],
  ) {
    this.upstream = new URL(upstream);
  }

  /** Starts the proxy on a free port of 127.0.0.1. `certDir`: the API server's --cert-dir (its serving cert is reused). */
  static async start(upstream: string, rules: FaultRule[], certDir?: string): Promise<FaultProxy> {
    const p = new FaultProxy(upstream, rules);
    p.server = https.createServer(tlsMaterial(certDir), (req, res) => p.handle(req, res));
    p.server.on('connection', (s: net.Socket) => {
      p.sockets.add(s);
      s.on('close', () => p.sockets.delete(s));
    });
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve));
    p.url = `https://127.0.0.1:${(p.server.address() as net.AddressInfo).port}`;
    return p;
  }

  /** Replaces the schedule (counts start again). */
  setRules(rules: FaultRule[]): void {
    this.rules = rules;
    this.counts.clear();
  }

  /** Faults injected, by kind. */
  summary(): Record<Fault, number> {
    const s: Record<Fault, number> = { '429': 0, '503': 0, reset: 0, 'reset-after': 0 };
    for (const f of this.injected) s[f.fault]++;
    return s;
  }

  /** A kubeconfig (YAML) like `kubeconfigYaml` but pointing at the proxy. */
  kubeconfigFor(kubeconfigYaml: string): string {
    return kubeconfigYaml.replace(/server:\s*\S+/, `server: ${this.url}`);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pick(r: ProxiedRequest): { rule: string; fault: Fault } | undefined {
    for (const rule of this.rules) {
      if (!rule.match(r)) continue;
      const n = this.counts.get(rule.name) ?? 0;
      this.counts.set(rule.name, n + 1);
      const f = rule.faults[n];
      return f && f !== 'pass' ? { rule: rule.name, fault: f } : undefined;
    }
    return undefined;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const u = new URL(req.url ?? '/', 'https://proxy');
    const r: ProxiedRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, watch: u.searchParams.get('watch') === 'true' };
    this.seen.push(`${r.method} ${r.path}${r.watch ? ' (watch)' : ''}`);
    const picked = this.pick(r);
    if (picked) this.injected.push({ ...picked, method: r.method, path: r.path, watch: r.watch });
    const fault = picked?.fault;
    if (fault === 'reset') {
      req.resume();
      return reset(req.socket);
    }
    if (fault === '429' || fault === '503') {
      req.resume();
      const body = JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: Number(fault),
        reason: fault === '429' ? 'TooManyRequests' : 'ServiceUnavailable',
        message: fault === '429' ? 'injected: too many requests, please try again later' : 'injected: the server is currently unable to handle the request',
      });
      res.writeHead(Number(fault), { 'Content-Type': 'application/json', ...(fault === '429' ? { 'Retry-After': '1' } : {}) });
      return void res.end(body);
    }
    const headers = { ...req.headers, host: this.upstream.host };
    const up = https.request(
      { host: this.upstream.hostname, port: this.upstream.port, method: r.method, path: req.url, headers, rejectUnauthorized: false, agent: false },
      (upRes) => {
        this.answered.push({ method: r.method, path: r.path, dryRun: r.query.has('dryRun'), status: upRes.statusCode ?? 0, ...(fault ? { fault } : {}) });
        if (fault === 'reset-after') {
          // The API server has processed the request; the client never hears of it.
          upRes.resume();
          upRes.on('end', () => reset(req.socket));
          return;
        }
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => reset(req.socket));
    res.on('close', () => up.destroy());
    req.pipe(up);
  }
}
