/**
 * The embedded control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
 * kwok as plain processes on 127.0.0.1 (free ports, a temp data dir), one fake node. Processes are
 * detached so `sync-hooks cluster up` can return; they are stopped by PID, never by name.
 *
 * Credentials: the data directory is 0700 and everything in it that grants access (the admin
 * token of tokens.csv, state.json and the kubeconfig that carry it, the service-account key) is
 * 0600, as is the default state file (directory 0700). etcd listens on no TCP port at all: its
 * client and peer endpoints are unix sockets inside the data directory, so only the owner of the
 * data directory (the API server) can reach the store.
 */
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterError } from './errors';
import { tail } from './exec';
import { apiRequest, ApiEndpoint, waitFor } from './http';
import { CLUSTER_LOGS_CRD } from './kwok-logs';
import { kwokStagesYaml } from './kwok-stages';
import { formatDuration, ProgressFn, stderrProgress } from './progress';
import { ensureToolchain, Toolchain } from './toolchain';
import { cacheRoot } from './versions';

export const NODE_NAME = 'kwok-node-0';
const ETCD_CLIENT_SOCKET = 'etcd-client.sock';
const ETCD_PEER_SOCKET = 'etcd-peer.sock';
const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
type Component = (typeof COMPONENTS)[number];

export interface ClusterState {
  dataDir: string;
  /** etcd's client endpoint: a unix socket in the data directory (absent in states from before). */
  etcdSocket?: string;
  kubeconfig: string;
  server: string;
  token: string;
  pids: Partial<Record<Component, number>>;
  logs: Partial<Record<Component, string>>;
  startedAt: string;
  /** Milliseconds from start to usable. */
  startupMs: number;
}

export interface StartOptions {
  progress?: ProgressFn;
  /** Where to keep etcd data, certs, logs (default: a new temp dir). */
  dataDir?: string;
  /** Record the cluster as the default one (`sync-hooks cluster status|down`, CLI default KUBECONFIG). */
  recordAsDefault?: boolean;
  toolchain?: Toolchain;
  timeoutMs?: number;
}

/** The state file of the default cluster started by `sync-hooks cluster up`. */
export function defaultStateFile(): string {
  return path.join(cacheRoot(), 'cluster', 'state.json');
}

/** Writes a file only its owner can read, also when it already exists with a wider mode. */
function writePrivate(file: string, content: string | Buffer): void {
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/** Creates a directory (and parents) and makes it owner-only. */
function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/** Writes the default state file (0600) in its directory (0700). */
export function writeDefaultState(state: ClusterState): void {
  privateDir(path.dirname(defaultStateFile()));
  writePrivate(defaultStateFile(), JSON.stringify(state, null, 2));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function kubeconfigYaml(server: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: sync-hooks-local',
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: sync-hooks-local',
    '  context:',
    '    cluster: sync-hooks-local',
    '    user: admin',
    'current-context: sync-hooks-local',
    '',
  ].join('\n');
}

function launch(state: ClusterState, name: Component, bin: string, args: string[]): void {
  const log = path.join(state.dataDir, 'logs', `${name}.log`);
  const fd = fs.openSync(log, 'a');
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], cwd: state.dataDir });
  fs.closeSync(fd);
  if (!child.pid) throw new ClusterError(`could not start ${name} (${bin})`, log);
  child.unref();
  state.pids[name] = child.pid;
  state.logs[name] = log;
}

function assertRunning(state: ClusterState): void {
  for (const [name, pid] of Object.entries(state.pids)) {
    if (pid && !isAlive(pid)) {
      const log = state.logs[name as Component];
      throw new ClusterError(`${name} exited during startup`, log, log ? tail(log, 15) : undefined);
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the control plane and returns once it is usable (node Ready and untainted, `default` ServiceAccount present). */
export async function startCluster(opts: StartOptions = {}): Promise<ClusterState> {
  const progress = opts.progress ?? stderrProgress;
  const tc = opts.toolchain ?? (await ensureToolchain({ progress, parts: ['k8s', 'kwok'] }));
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-cluster-'));
  privateDir(dataDir);
  privateDir(path.join(dataDir, 'logs'));
  const [apiPort, kcmPort, schedPort, kubeletPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const token = crypto.randomBytes(24).toString('hex');
  const server = `https://127.0.0.1:${apiPort}`;
  const state: ClusterState = {
    dataDir,
    etcdSocket: path.join(dataDir, ETCD_CLIENT_SOCKET),
    kubeconfig: path.join(dataDir, 'kubeconfig'),
    server,
    token,
    pids: {},
    logs: {},
    startedAt: new Date(started).toISOString(),
    startupMs: 0,
  };
  const ep: ApiEndpoint = { server, token };
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  writePrivate(path.join(dataDir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
  writePrivate(path.join(dataDir, 'tokens.csv'), `${token},admin,admin,"system:masters"\n`);
  writePrivate(state.kubeconfig, kubeconfigYaml(server, token));
  fs.writeFileSync(path.join(dataDir, 'kwok.yaml'), kwokStagesYaml());
  const bin = (n: string) => path.join(tc.k8sBin, n);
  try {
    progress(`starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on 127.0.0.1 (data: ${dataDir})`);
    launch(state, 'etcd', bin('etcd'), [
      '--name=node0', `--data-dir=${path.join(dataDir, 'etcd')}`,
      // Unix sockets relative to the data directory (every component's working directory): no
      // TCP port anyone on the machine could talk to, no socket-path length limit.
      `--listen-client-urls=unix://${ETCD_CLIENT_SOCKET}`, `--advertise-client-urls=unix://${ETCD_CLIENT_SOCKET}`,
      `--listen-peer-urls=unix://${ETCD_PEER_SOCKET}`, `--initial-advertise-peer-urls=unix://${ETCD_PEER_SOCKET}`,
      `--initial-cluster=node0=unix://${ETCD_PEER_SOCKET}`,
      '--unsafe-no-fsync=true', '--auto-compaction-retention=1', '--quota-backend-bytes=2147483648', '--log-level=warn',
    ]);
    launch(state, 'kube-apiserver', bin('kube-apiserver'), [
      `--etcd-servers=unix://${ETCD_CLIENT_SOCKET}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--cert-dir=${path.join(dataDir, 'certs')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${path.join(dataDir, 'sa.key')}`,
      `--service-account-signing-key-file=${path.join(dataDir, 'sa.key')}`,
      `--token-auth-file=${path.join(dataDir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount',
      '--endpoint-reconciler-type=none',
      '--allow-privileged=true',
      '--enable-priority-and-fairness=false',
      '--max-requests-inflight=0', '--max-mutating-requests-inflight=0',
      '--profiling=false',
      // kwok's kubelet server (pod logs) on the node's InternalIP 127.0.0.1, never its name.
      '--kubelet-preferred-address-types=InternalIP',
    ]);
    await waitFor('kube-apiserver /readyz', async () => {
      assertRunning(state);
      const r = await apiRequest(ep, 'GET', '/readyz');
      return r.status === 200 ? true : undefined;
    }, timeoutMs);
    progress(`kube-apiserver ready at ${server} after ${formatDuration(Date.now() - started)}`);
    launch(state, 'kube-controller-manager', bin('kube-controller-manager'), [
      `--kubeconfig=${state.kubeconfig}`, '--leader-elect=false',
      '--bind-address=127.0.0.1', `--secure-port=${kcmPort}`,
      '--controllers=job-controller,garbage-collector-controller,namespace-controller,serviceaccount-controller,' +
        'ttl-after-finished-controller,pod-garbage-collector-controller,node-lifecycle-controller,cronjob-controller,' +
        'replicaset-controller,deployment-controller,statefulset-controller,daemonset-controller,' +
        'persistentvolume-binder-controller,persistentvolumeclaim-protection-controller,persistentvolume-protection-controller,' +
        'endpoints-controller,endpointslice-controller',
      '--kube-api-qps=500', '--kube-api-burst=1000',
      '--concurrent-job-syncs=20', '--concurrent-gc-syncs=40',
    ]);
    launch(state, 'kube-scheduler', bin('kube-scheduler'), [
      `--kubeconfig=${state.kubeconfig}`, '--leader-elect=false', '--bind-address=127.0.0.1', `--secure-port=${schedPort}`,
    ]);
    // kwok serves pod logs from the ClusterLogs objects it watches: their CRD first.
    const crd = await apiRequest(ep, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CLUSTER_LOGS_CRD);
    if (crd.status >= 300 && crd.status !== 409) throw new ClusterError(`could not create the ClusterLogs CRD: ${crd.status} ${crd.body}`);
    await waitFor('the ClusterLogs CRD established', async () => {
      const r = await apiRequest(ep, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CLUSTER_LOGS_CRD.metadata.name}`);
      if (r.status !== 200) return undefined;
      return (JSON.parse(r.body).status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True') ? true : undefined;
    }, timeoutMs);
    launch(state, 'kwok', tc.kwok, [
      `--kubeconfig=${state.kubeconfig}`, `--config=${path.join(dataDir, 'kwok.yaml')}`,
      '--manage-all-nodes=false', '--manage-nodes-with-label-selector=type=kwok',
      // node-ip on loopback: the API server dials the node for pod logs; it must never reach a fake address.
      '--node-lease-duration-seconds=40', '--cidr=10.244.0.0/16', '--node-ip=127.0.0.1',
      // The kubelet API (pod logs) on loopback, with the API server's serving certificate.
      `--server-address=127.0.0.1:${kubeletPort}`, `--node-port=${kubeletPort}`,
      `--tls-cert-file=${path.join(dataDir, 'certs', 'apiserver.crt')}`, `--tls-private-key-file=${path.join(dataDir, 'certs', 'apiserver.key')}`,
      '--enable-crds=ClusterLogs',
    ]);
    const created = await apiRequest(ep, 'POST', '/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: NODE_NAME,
        labels: { type: 'kwok', 'kubernetes.io/hostname': NODE_NAME, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      },
    });
    if (created.status >= 300 && created.status !== 409) throw new ClusterError(`could not register node ${NODE_NAME}: ${created.status} ${created.body}`);
    await waitFor(`node ${NODE_NAME} Ready and untainted`, async () => {
      assertRunning(state);
      const r = await apiRequest(ep, 'GET', `/api/v1/nodes/${NODE_NAME}`);
      if (r.status !== 200) return undefined;
      const node = JSON.parse(r.body);
      const ready = (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      const tainted = (node.spec?.taints ?? []).some((t: any) => String(t.key).startsWith('node.kubernetes.io/'));
      return ready && !tainted ? true : undefined;
    }, timeoutMs);
    await waitFor('ServiceAccount default/default', async () => {
      assertRunning(state);
      const r = await apiRequest(ep, 'GET', '/api/v1/namespaces/default/serviceaccounts/default');
      return r.status === 200 ? true : undefined;
    }, timeoutMs);
    state.startupMs = Date.now() - started;
    progress(`cluster usable after ${formatDuration(state.startupMs)}; KUBECONFIG=${state.kubeconfig}`);
    writePrivate(path.join(dataDir, 'state.json'), JSON.stringify(state, null, 2));
    if (opts.recordAsDefault) writeDefaultState(state);
    return state;
  } catch (e) {
    await stopCluster(state, { keepData: true });
    throw e instanceof ClusterError ? e : new ClusterError(`cluster did not become usable: ${(e as Error).message}`, undefined, logTails(state));
  }
}

function logTails(state: ClusterState): string {
  return Object.entries(state.logs)
    .map(([n, f]) => `--- ${n} (${f}) ---\n${tail(f!, 5)}`)
    .join('\n');
}

/** Stops exactly the processes this cluster started (by PID) and removes its data directory. */
export async function stopCluster(state: ClusterState, opts: { keepData?: boolean } = {}): Promise<void> {
  const order: Component[] = ['kwok', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd'];
  for (const name of order) {
    const pid = state.pids[name];
    if (!pid || !isAlive(pid)) continue;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      continue;
    }
    try {
      await waitFor(`${name} (pid ${pid}) to exit`, async () => (isAlive(pid) ? undefined : true), 10_000, 100);
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  if (!opts.keepData) fs.rmSync(state.dataDir, { recursive: true, force: true });
  try {
    const def = readDefaultState();
    if (def && def.dataDir === state.dataDir) fs.rmSync(defaultStateFile(), { force: true });
  } catch {
    /* no default state */
  }
}

export function readDefaultState(): ClusterState | undefined {
  const f = defaultStateFile();
  if (!fs.existsSync(f)) return undefined;
  // Written 0644 by versions before 0600: it holds a system:masters token.
  if (fs.statSync(f).mode & 0o077) fs.chmodSync(f, 0o600);
  return JSON.parse(fs.readFileSync(f, 'utf8')) as ClusterState;
}

export interface ClusterStatus {
  running: boolean;
  state?: ClusterState;
  components: Array<{ name: string; pid?: number; alive: boolean; rssMiB?: number }>;
  apiReady: boolean;
  totalRssMiB: number;
}

/** Resident memory of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function clusterStatus(state = readDefaultState()): Promise<ClusterStatus> {
  if (!state) return { running: false, components: [], apiReady: false, totalRssMiB: 0 };
  const components = COMPONENTS.map((name) => {
    const pid = state.pids[name];
    const alive = pid ? isAlive(pid) : false;
    return { name, pid, alive, rssMiB: alive && pid ? rssMiB(pid) : undefined };
  });
  let apiReady = false;
  try {
    apiReady = (await apiRequest({ server: state.server, token: state.token }, 'GET', '/readyz', undefined, 2000)).status === 200;
  } catch {
    apiReady = false;
  }
  return {
    running: components.every((c) => c.alive) && apiReady,
    state,
    components,
    apiReady,
    totalRssMiB: components.reduce((s, c) => s + (c.rssMiB ?? 0), 0),
  };
}
