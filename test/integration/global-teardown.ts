/** jest globalTeardown: stops the cluster started by globalSetup (by PID) and removes its data. */
import * as fs from 'node:fs';
import { ClusterState, stopCluster } from '../../src/localcluster';

export default async function globalTeardown(): Promise<void> {
  const file = process.env.SYNC_HOOKS_CLUSTER_STATE;
  if (!file || !fs.existsSync(file)) return;
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterState;
  if (process.env.SYNC_HOOKS_KEEP_CLUSTER === '1') {
    process.stderr.write(`\n[sync-hooks] keeping the test cluster: KUBECONFIG=${state.kubeconfig}\n`);
    return;
  }
  await stopCluster(state);
}
