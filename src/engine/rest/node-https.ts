/**
 * HTTP exchanges over Node's own `https` module, with one keep-alive connection pool: the
 * transport of the direct connection (kube-connection.ts), i.e. of every kubeconfig that needs
 * only TLS material and static credentials. It loads no HTTP library (undici's `fetch` costs about
 * 100 ms of CPU to load and about as much per thousand requests in web streams) and reads each
 * answer into one buffer.
 *
 * Errors are Node's own (`ECONNREFUSED`, `ECONNRESET`, TLS codes), which rest/policy.ts
 * classifies; an exchange that outlives its budget ends with a `TimeoutError`.
 */
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { HttpResponse, SendInit } from './transport';

/** TLS material and checks of a connection (the options of `tls.connect`). */
export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** A streamed answer (a watch): its status and its body as it arrives. */
export interface StreamResponse {
  status: number;
  statusText?: string;
  body: AsyncIterable<Uint8Array> | null;
}

function timeoutError(): Error {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

function headerGetter(res: IncomingMessage): HttpResponse['headers'] {
  return {
    get: (name: string) => {
      const v = res.headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

/**
 * Connections for requests, at most: as many as the engine has requests in flight by default (its
 * dry runs go out at 4 × its concurrency of 16); more wait for a free one. Each new connection is a
 * TLS handshake on both sides; on the embedded cluster, fewer connections cost the API server more
 * per request once they are open, so the bound is the engine's own default rather than lower.
 */
export const MAX_REQUEST_CONNECTIONS = 64;

export class HttpsPool {
  private requests: https.Agent | undefined;
  private streams: https.Agent | undefined;

  constructor(private readonly tls: TlsOptions) {}

  /** The TLS options every connection of the pool is made with. */
  get tlsOptions(): TlsOptions {
    return { ...this.tls };
  }

  /** As client-go: keep-alive probes after 30 s on idle connections. */
  private agent(maxSockets: number): https.Agent {
    return new https.Agent({ ...this.tls, keepAlive: true, keepAliveMsecs: 30_000, scheduling: 'lifo', maxSockets });
  }

  /** Requests share a bounded set of connections; watches get their own (a watch holds its connection for as long as it runs). */
  private pool(kind: 'requests' | 'streams' = 'requests'): https.Agent {
    if (kind === 'streams') return (this.streams ??= this.agent(Infinity));
    return (this.requests ??= this.agent(MAX_REQUEST_CONNECTIONS));
  }

  /** One exchange: resolves on any status once the whole answer is read; rejects on network errors. */
  send(url: URL, headers: Record<string, string>, init: SendInit): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
      const h: Record<string, string | number> = { ...headers };
      if (body) h['Content-Length'] = body.length;
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      };
      const req = https.request(url, { method: init.method, headers: h, agent: this.pool() });
      const timer = setTimeout(() => req.destroy(timeoutError()), init.timeoutMs);
      timer.unref();
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('aborted', () => fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage, headers: headerGetter(res), text: async () => text });
        });
      });
      req.end(body);
    });
  }

  /** A GET whose answer is streamed (a watch); aborting `signal` ends it. */
  stream(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<StreamResponse> {
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method: 'GET', headers, agent: this.pool('streams'), signal });
      req.on('error', reject);
      req.on('response', (res) => {
        req.off('error', reject);
        req.on('error', () => undefined); // later failures surface on the body
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage, body: res });
      });
      req.end();
    });
  }

  close(): void {
    for (const a of [this.requests, this.streams]) a?.destroy();
    this.requests = this.streams = undefined;
  }
}
