/** `sync-hooks cluster up|down|status` and `sync-hooks toolchain`. */
import {
  clusterStatus,
  ensureToolchain,
  formatDuration,
  readDefaultState,
  startCluster,
  stopCluster,
  toolchainStatus,
} from '../localcluster';
import { bool, ParsedArgs, UsageError } from './args';

export async function clusterCommand(sub: string | undefined, args: ParsedArgs, out: (s: string) => void): Promise<number> {
  const json = bool(args, 'json');
  switch (sub) {
    case 'up': {
      const existing = await clusterStatus();
      if (existing.running && existing.state) {
        process.stderr.write(`[sync-hooks] the embedded cluster is already running (started ${existing.state.startedAt})\n`);
        out(json ? JSON.stringify({ kubeconfig: existing.state.kubeconfig, server: existing.state.server, reused: true }) : `KUBECONFIG=${existing.state.kubeconfig}`);
        return 0;
      }
      if (existing.state) await stopCluster(existing.state);
      const state = await startCluster({ recordAsDefault: true });
      out(
        json
          ? JSON.stringify({ kubeconfig: state.kubeconfig, server: state.server, dataDir: state.dataDir, pids: state.pids, startupMs: state.startupMs })
          : `export KUBECONFIG=${state.kubeconfig}`,
      );
      return 0;
    }
    case 'down': {
      const state = readDefaultState();
      if (!state) {
        out(json ? JSON.stringify({ stopped: false }) : 'no embedded cluster is recorded as running');
        return 0;
      }
      await stopCluster(state, { keepData: bool(args, 'keep-data') });
      out(json ? JSON.stringify({ stopped: true, pids: state.pids }) : `stopped pids ${Object.values(state.pids).join(', ')} and removed ${state.dataDir}`);
      return 0;
    }
    case 'status': {
      const st = await clusterStatus();
      if (json) {
        out(JSON.stringify({ running: st.running, kubeconfig: st.state?.kubeconfig, apiReady: st.apiReady, components: st.components, totalRssMiB: st.totalRssMiB }));
      } else if (!st.state) {
        out('embedded cluster: not running (start it with `sync-hooks cluster up`)');
      } else {
        out(`embedded cluster: ${st.running ? 'running' : 'NOT healthy'}; API ${st.apiReady ? 'ready' : 'not ready'} at ${st.state.server}`);
        out(`KUBECONFIG=${st.state.kubeconfig}`);
        for (const c of st.components) out(`  ${c.name.padEnd(24)} pid ${String(c.pid ?? '-').padEnd(8)} ${c.alive ? 'alive' : 'DEAD '} ${c.rssMiB ? `${c.rssMiB.toFixed(0)} MiB` : ''}`);
        out(`  total resident memory: ${st.totalRssMiB.toFixed(0)} MiB`);
      }
      return st.state && !st.running ? 1 : 0;
    }
    default:
      throw new UsageError('usage: sync-hooks cluster up|down|status [--json]');
  }
}

export async function toolchainCommand(args: ParsedArgs, out: (s: string) => void): Promise<number> {
  if (bool(args, 'status')) {
    for (const s of toolchainStatus()) out(`${s.component.padEnd(8)} ${s.built ? 'built ' : 'absent'} ${s.dir}`);
    return 0;
  }
  const started = Date.now();
  const tc = await ensureToolchain({ parts: ['k8s', 'kwok', 'pulumi', ...(bool(args, 'yaml') ? (['yaml-language'] as const) : [])] });
  if (bool(args, 'json')) out(JSON.stringify(tc));
  else {
    out(`control plane: ${tc.k8sBin}`);
    out(`kwok:          ${tc.kwok}`);
    out(`pulumi:        ${tc.pulumi} (${tc.pulumiVersion})`);
    out(`bin dir:       ${tc.binDir} (pulumi, language hosts, pulumi-resource-sync-hooks: put it first on PATH)`);
    out(`ready in ${formatDuration(Date.now() - started)}`);
  }
  return 0;
}
