/**
 * Local receivers for running the notification scripts with the real `curl`: an HTTP server and a
 * minimal SMTP sink, both on 127.0.0.1 and an ephemeral port, recording what they received.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer as createHttpServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo, createServer as createNetServer, Socket } from 'node:net';
import { container, k8sExpand } from './_helpers';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpReceiver {
  /** `http://127.0.0.1:<port><path>` */
  url(path: string): string;
  readonly requests: ReceivedRequest[];
  /** Status answered to every request. */
  status: number;
  close(): Promise<void>;
}

export async function startHttpReceiver(status = 200): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const r = { status };
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(r.status, { 'Content-Type': 'application/json' });
      res.end(r.status < 300 ? '{"status":"success"}' : '{"status":"invalid event"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    get status() {
      return r.status;
    },
    set status(s: number) {
      r.status = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedMail {
  from: string;
  rcpts: string[];
  /** The DATA section, dot-unstuffed, CRLF kept. */
  data: string;
  /** `user:password` when the client authenticated (AUTH PLAIN). */
  auth?: string;
}

export interface SmtpSink {
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Every command line received, in order (AUTH payloads included, decoded into `auth`). */
  readonly commands: string[];
  close(): Promise<void>;
}

/** An SMTP server without TLS that accepts everything; it advertises AUTH PLAIN. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.setEncoding('utf8');
    let buf = '';
    let inData = false;
    let awaitingAuth = false;
    let auth: string | undefined;
    let cur: ReceivedMail = { from: '', rcpts: [], data: '' };
    const say = (s: string) => sock.write(`${s}\r\n`);
    const decodePlain = (b64: string) => {
      const [, user, pass] = Buffer.from(b64, 'base64').toString('utf8').split('\0');
      auth = `${user}:${pass}`;
      say('235 2.7.0 Authentication successful');
    };
    say('220 sink.test ESMTP');
    sock.on('data', (d: string) => {
      buf += d;
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          cur.data = `${buf.slice(0, end + 2)}`.replace(/^\.\./gm, '.');
          buf = buf.slice(end + 5);
          inData = false;
          mails.push({ ...cur, ...(auth !== undefined ? { auth } : {}) });
          cur = { from: '', rcpts: [], data: '' };
          say('250 2.0.0 queued');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        commands.push(line);
        if (awaitingAuth) {
          awaitingAuth = false;
          decodePlain(line);
          continue;
        }
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') sock.write('250-sink.test\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') say('250 sink.test');
        else if (verb === 'AUTH') {
          const [, mech, initial] = line.split(' ');
          if (mech.toUpperCase() !== 'PLAIN') say('504 5.5.4 mechanism not supported');
          else if (initial) decodePlain(initial);
          else {
            awaitingAuth = true;
            say('334 ');
          }
        } else if (verb === 'MAIL') {
          cur.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          say('250 2.1.0 OK');
        } else if (verb === 'RCPT') {
          cur.rcpts.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          say('250 2.1.5 OK');
        } else if (verb === 'DATA') {
          inData = true;
          say('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          sock.end();
        } else if (verb === 'RSET' || verb === 'NOOP') say('250 OK');
        else say('502 5.5.2 command not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    mails,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Fails with the fix when `curl` is not installed (Debian: `apt-get install curl`). */
export function requireCurl(): void {
  const r = spawnSync('curl', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('these tests run the generated scripts with the real curl: install it (apt-get install -y curl)');
}

export interface RealRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a synthesized container's `/bin/sh -c` command locally with the real tools on PATH, env
 * resolved the way the kubelet would (Secret keys from `secrets`, `$$` unescaped). Asynchronous,
 * so receivers in this process can answer.
 */
export function runContainerReal(
  manifest: any,
  opts: { secrets?: Record<string, Record<string, string>>; extraEnv?: Record<string, string> } = {},
): Promise<RealRun> {
  const c = container(manifest);
  const [sh, dashC, script, ...rest] = [...c.command, ...(c.args ?? [])];
  expect([sh, dashC]).toEqual(['/bin/sh', '-c']);
  const vars: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) vars[e.name] = k8sExpand(e.value, vars);
    else if (e.valueFrom?.secretKeyRef) {
      const { name, key, optional } = e.valueFrom.secretKeyRef;
      const v = opts.secrets?.[name]?.[key];
      if (v === undefined && !optional) throw new Error(`test is missing secret ${name}/${key}`);
      if (v !== undefined) vars[e.name] = v;
    }
  }
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script, ...rest], { env: { PATH: '/usr/bin:/bin', ...vars, ...opts.extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
