/**
 * The embedded cluster's credentials: the files that grant access are owner-only, and etcd (which
 * has no authentication of its own here) listens on no TCP port, only on unix sockets inside the
 * owner-only data directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClusterState } from '../../../src/localcluster';

const stateFile = process.env.SYNC_HOOKS_CLUSTER_STATE;
const run = stateFile ? test : test.skip; // an external cluster (SYNC_HOOKS_TEST_KUBECONFIG) has no state here

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

/** Inodes of the sockets a process holds open. */
function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(m[1]);
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

/** `address:port` of every TCP socket in LISTEN state whose inode is in `inodes`. */
function tcpListeners(pid: number, inodes: Set<string>): string[] {
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const f = `/proc/${pid}/net/${table}`;
    if (!fs.existsSync(f)) continue;
    for (const line of fs.readFileSync(f, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[3] === '0A' && inodes.has(cols[9])) found.push(`${table} ${cols[1]}`);
    }
  }
  return found;
}

run('state, token, kubeconfig and keys are 0600 in a 0700 directory', () => {
  const state = JSON.parse(fs.readFileSync(stateFile!, 'utf8')) as ClusterState;
  expect(mode(state.dataDir)).toBe('700');
  for (const f of [stateFile!, state.kubeconfig, path.join(state.dataDir, 'tokens.csv'), path.join(state.dataDir, 'sa.key')]) {
    expect([f, mode(f)]).toEqual([f, '600']);
  }
});

run('etcd has no TCP listener; its client endpoint is a unix socket in the data directory, which the API server uses', async () => {
  const state = JSON.parse(fs.readFileSync(stateFile!, 'utf8')) as ClusterState;
  const pid = state.pids.etcd!;
  const inodes = socketInodes(pid);
  expect(inodes.size).toBeGreaterThan(0); // it does hold sockets (unix ones)
  expect(tcpListeners(pid, inodes)).toEqual([]);
  expect(state.etcdSocket).toBe(path.join(state.dataDir, 'etcd-client.sock'));
  expect(fs.statSync(state.etcdSocket!).isSocket()).toBe(true);
  const cmdline = fs.readFileSync(`/proc/${state.pids['kube-apiserver']}/cmdline`, 'utf8').split('\0');
  expect(cmdline).toContain('--etcd-servers=unix://etcd-client.sock');
});
