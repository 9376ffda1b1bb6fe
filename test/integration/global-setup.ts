/**
 * jest globalSetup for the integration project: provisions the toolchain (cached) and starts a
 * fresh embedded cluster for this test run. Tests read the kubeconfig path from
 * SYNC_HOOKS_KUBECONFIG and the pulumi toolchain from SYNC_HOOKS_PULUMI / SYNC_HOOKS_PULUMI_BIN.
 * Set SYNC_HOOKS_TEST_KUBECONFIG to run against an existing cluster instead.
 */
import * as path from 'node:path';
import { ensureToolchain, startCluster } from '../../src/localcluster';

export default async function globalSetup(): Promise<void> {
  // Everything the integration tests use, built (once) here where no test timeout applies.
  const tc = await ensureToolchain({ parts: ['k8s', 'kwok', 'pulumi', 'kubernetes-provider'] });
  process.env.SYNC_HOOKS_PULUMI = tc.pulumi;
  process.env.SYNC_HOOKS_PULUMI_BIN = tc.pulumiBinDir;
  if (process.env.SYNC_HOOKS_TEST_KUBECONFIG) {
    process.env.SYNC_HOOKS_KUBECONFIG = process.env.SYNC_HOOKS_TEST_KUBECONFIG;
    return;
  }
  const state = await startCluster({ toolchain: tc });
  process.env.SYNC_HOOKS_KUBECONFIG = state.kubeconfig;
  process.env.SYNC_HOOKS_CLUSTER_STATE = path.join(state.dataDir, 'state.json');
}
