/**
 * Kills the kube-apiserver of a cluster this test started (SIGKILL, by PID) and starts it again
 * with the very same command line (read from /proc), then waits until it is ready. The cluster's
 * state gets the new PID, so `stopCluster` stops the new process.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClusterState, isAlive } from '../../../src/localcluster';
import { apiRequest, waitFor } from '../../../src/localcluster/http';

export interface Restart {
  oldPid: number;
  newPid: number;
  /** From the kill to the first ready answer of the new process. */
  downMs: number;
}

export async function restartApiServer(state: ClusterState): Promise<Restart> {
  const oldPid = state.pids['kube-apiserver'];
  if (!oldPid || !isAlive(oldPid)) throw new Error('kube-apiserver is not running');
  const argv = fs.readFileSync(`/proc/${oldPid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const killedAt = Date.now();
  process.kill(oldPid, 'SIGKILL');
  await waitFor(`kube-apiserver (pid ${oldPid}) to exit`, async () => (isAlive(oldPid) ? undefined : true), 10_000, 20);
  const log = state.logs['kube-apiserver'] ?? path.join(state.dataDir, 'logs', 'kube-apiserver.log');
  const fd = fs.openSync(log, 'a');
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], cwd: state.dataDir });
  fs.closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${argv[0]} again`);
  child.unref();
  state.pids['kube-apiserver'] = child.pid;
  await waitFor('kube-apiserver /readyz after the restart', async () => {
    if (!isAlive(child.pid!)) throw new Error('the restarted kube-apiserver exited');
    const r = await apiRequest({ server: state.server, token: state.token }, 'GET', '/readyz', undefined, 2000);
    return r.status === 200 ? true : undefined;
  }, 120_000, 100);
  return { oldPid, newPid: child.pid, downMs: Date.now() - killedAt };
}
