/**
 * `npm start`: the whole story on a fresh machine. Provisions the toolchain (first run builds it),
 * starts the embedded cluster, runs a real `pulumi up` of the root program (examples/shop), prints
 * the hook timeline, runs `pulumi destroy` with the delete hooks, and cleans up.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import { ensureToolchain, formatDuration, startCluster, stopCluster, ClusterState } from '../localcluster';
import { localStack } from '../pulumi/workspace';
import { HookSummary } from '../pulumi/inputs';
import { engineLines, hookTable } from './timeline';

const say = (s = '') => process.stdout.write(s + '\n');
// Bold titles only on a terminal, and never with NO_COLOR (https://no-color.org).
const bold = process.stdout.isTTY && !process.env.NO_COLOR;
const title = (s: string) => say(bold ? `\n\x1b[1m== ${s}\x1b[0m` : `\n== ${s}`);

function onEvent(sink: string[]) {
  return (e: automation.EngineEvent) => {
    const msg = e.diagnosticEvent?.message;
    if (!msg) return;
    for (const line of engineLines(msg)) {
      sink.push(line);
      say(`  ${line}`);
    }
  };
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..', '..');
  const t0 = Date.now();
  title('sync-hooks demo: Argo CD sync hooks under `pulumi up` / `pulumi destroy`');
  say('Toolchain: pulumi CLI, etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok (built once from Go modules, then cached).');
  const tc = await ensureToolchain();
  title('Starting the embedded Kubernetes cluster (127.0.0.1)');
  let cluster: ClusterState | undefined;
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-demo-state-'));
  try {
    cluster = await startCluster({ toolchain: tc });
    const stack = await localStack({
      projectName: 'sync-hooks-shop',
      stackName: 'demo',
      workDir: root,
      stateDir,
      toolchain: tc,
      envVars: { KUBECONFIG: cluster.kubeconfig },
    });

    title('pulumi up (examples/shop): PreSync → Sync waves → PostSync');
    const upLines: string[] = [];
    const upStart = Date.now();
    const up = await stack.up({ onEvent: onEvent(upLines), color: 'never' });
    const upMs = Date.now() - upStart;
    say(`\n  pulumi up: ${up.summary.result} in ${formatDuration(upMs)}`);
    const hooks = (up.outputs.hooks?.value ?? []) as HookSummary[];
    say('\n' + hookTable(hooks).replace(/^/gm, '  '));

    title('pulumi up again, nothing changed: no hook runs');
    const again = await stack.up({ color: 'never' });
    say(`  resources: ${JSON.stringify(again.summary.resourceChanges)}`);

    title('pulumi up with version 1.9.0 whose migration fails: SyncFail runs, nothing of the new version is applied');
    await stack.setAllConfig({ version: { value: '1.9.0' }, failMigration: { value: 'true' } });
    try {
      await stack.up({ onEvent: onEvent(upLines), color: 'never' });
      throw new Error('expected the failing migration to fail `pulumi up`');
    } catch (e) {
      if (!(e instanceof Error) || !/Sync failed/.test(e.message)) throw e;
      const reason = /Sync failed: .*/.exec(e.message)?.[0] ?? 'Sync failed';
      const container = /container \S+ of pod .*/.exec(e.message)?.[0] ?? '';
      const syncFail = /SyncFail ran: .*/.exec(e.message)?.[0] ?? '';
      say(`\n  pulumi up failed as expected:\n    ${[reason, container, syncFail].filter(Boolean).join('\n    ')}`);
    }

    title('pulumi destroy: PreDelete → delete in reverse waves → PostDelete');
    const downLines: string[] = [];
    const downStart = Date.now();
    const down = await stack.destroy({ onEvent: onEvent(downLines), color: 'never' });
    say(`\n  pulumi destroy: ${down.summary.result} in ${formatDuration(Date.now() - downStart)}`);
    await stack.workspace.removeStack('demo');

    title('Done');
    say(`  ${upLines.filter((l) => l.includes('hook')).length + downLines.filter((l) => l.includes('hook')).length} hook events, total ${formatDuration(Date.now() - t0)}.`);
    say('  Next: README.md (writing hooks, waves, delete policies), `sync-hooks plan -f <dir>`, `npm test`.');
    return 0;
  } finally {
    if (cluster) await stopCluster(cluster);
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`\nsync-hooks demo failed: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
