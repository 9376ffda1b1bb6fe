/**
 * The bad-input corpus (cases.ts) through every entry point, against the embedded cluster:
 * - the CLI: `bin/sync-hooks.js sync -f <file>` as a child process;
 * - SyncedChart: the chart reader it uses, then the provider runtime's `check` and `create`
 *   (what the real `pulumi` CLI calls; a few cases also through a real `pulumi up`, below);
 * - HookPhases: its input path (the chart reader, the split into nodes), then `check` and `create`
 *   of each node, for the cases whose charts hold only hooks.
 * Each run must fail, name the object and the field (or document and line), and leave a listing of
 * the cluster (every namespaced and cluster-scoped object of the common kinds) unchanged.
 * The figures (rejected with zero writes / tried, per entry point) are printed and written to
 * $TMPDIR/sync-hooks-corpus-figures.json.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { createKubeClient, KubeClient } from '../../../src/engine';
import { splitHooks } from '../../../src/interop/split';
import { chartManifests } from '../../../src/manifests/chart-input';
import { KubeObject } from '../../../src/model';
import { ChartInputs } from '../../../src/pulumi/inputs';
import { check, create } from '../../../src/pulumi/runtime';
import { SyncedChart } from '../../../src/pulumi/synced-chart';
import { normalizeManifests } from '../../../src/runner/normalize';
import { eventually, kubeconfigPath } from '../helpers/kube';
import { testStack } from '../helpers/pulumi';
import { BadInput, CASES, CORPUS_NS, chartText, FIXTURES } from './cases';

const BIN = path.resolve(__dirname, '../../../bin/sync-hooks.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-corpus-'));

/** What every listing covers: namespaced kinds across all namespaces, and cluster-scoped kinds. */
const KINDS: Array<[string, string]> = [
  ['v1', 'Namespace'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'Service'],
  ['v1', 'ServiceAccount'],
  ['v1', 'Pod'],
  ['v1', 'PersistentVolumeClaim'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'ReplicaSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
  // sync-hooks' own operation lock; the control plane's leader-election leases renew by themselves.
  ['coordination.k8s.io/v1', 'Lease'],
];
const SELF_RENEWING = new Set(['kube-system', 'kube-node-lease']);

let client: KubeClient;

/** Every object of KINDS with its uid and resourceVersion: any write changes it. */
async function listing(): Promise<string[]> {
  const lines = await Promise.all(
    KINDS.map(async ([apiVersion, kind]) =>
      (await client.list({ apiVersion, kind }))
        .filter((o) => kind !== 'Lease' || !SELF_RENEWING.has(o.metadata.namespace ?? ''))
        .map((o) => `${kind} ${o.metadata.namespace ?? ''}/${o.metadata.name} ${o.metadata.uid} ${o.metadata.resourceVersion}`),
    ),
  );
  return lines.flat().sort();
}

function kubeconfigFor(c: BadInput): string {
  switch (c.kubeconfig) {
    case 'unreachable':
      return path.join(FIXTURES, 'kubeconfig-unreachable.yaml');
    case 'garbage':
      return path.join(FIXTURES, 'kubeconfig-garbage.txt');
    case 'missing':
      return path.join(tmp, 'does-not-exist', 'kubeconfig');
    case 'wrong-token': {
      const kc = parse(fs.readFileSync(kubeconfigPath(), 'utf8'));
      for (const u of kc.users ?? []) u.user = { token: 'wrong-token' };
      const p = path.join(tmp, 'wrong-token.kubeconfig');
      fs.writeFileSync(p, stringify(kc), { mode: 0o600 });
      return p;
    }
    default:
      return kubeconfigPath();
  }
}

function chartFile(c: BadInput): string {
  if (c.file) return path.join(FIXTURES, c.file);
  const p = path.join(tmp, `${c.id}.yaml`);
  fs.writeFileSync(p, c.generate!());
  return p;
}

type Entry = 'CLI' | 'SyncedChart' | 'HookPhases' | 'pulumi up';
const figures: Record<string, { tried: number; rejectedNoWrites: number; namedObjectField: number; failures: string[] }> = {};

/** Runs one case through an entry point; records and asserts: rejected, named, nothing written. */
async function judge(entry: Entry, c: BadInput, run: () => Promise<{ rejected: boolean; message: string }>): Promise<void> {
  const before = await listing();
  const { rejected, message } = await run();
  const after = await listing();
  const f = (figures[entry] ??= { tried: 0, rejectedNoWrites: 0, namedObjectField: 0, failures: [] });
  f.tried++;
  const unchanged = JSON.stringify(before) === JSON.stringify(after);
  const missing = c.expect.filter((re) => !re.test(message)).map(String);
  if (rejected && unchanged) f.rejectedNoWrites++;
  if (rejected && missing.length === 0) f.namedObjectField++;
  if (!rejected || !unchanged || missing.length) f.failures.push(c.id);
  const written = after.filter((l) => !before.includes(l)).concat(before.filter((l) => !after.includes(l)).map((l) => `gone/changed: ${l}`));
  // The message is part of the compared value so that a failure shows it.
  expect({ rejected, written, missing, message: message.slice(0, 3000) }).toEqual({ rejected: true, written: [], missing: [], message: message.slice(0, 3000) });
  if (!rejected || written.length || missing.length) throw new Error(`${entry} ${c.id}: rejected=${rejected} written=${written.length} missing=${missing.join(',')}\n${message.slice(0, 3000)}`);
}

function runCli(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

const quiet = { log: () => undefined };

/** The provider runtime as the pulumi engine drives it for a new resource: check, then create. */
async function checkAndCreate(inputs: ChartInputs): Promise<{ rejected: boolean; message: string }> {
  const r = await check({}, inputs, quiet);
  if (r.failures?.length) return { rejected: true, message: r.failures.map((f) => `${f.property}: ${f.reason}`).join('\n') };
  try {
    await create(inputs, quiet);
    return { rejected: false, message: '(created)' };
  } catch (e) {
    const err = e as { message?: string; reasons?: string[] };
    return { rejected: true, message: [err.message, ...(err.reasons ?? [])].filter(Boolean).join('\n') };
  }
}

function inputsFor(c: BadInput, manifests: KubeObject[], extra: Partial<ChartInputs> = {}): ChartInputs {
  // recordApp as SyncedChart sets it by default: the operation record and lock are in play.
  const app = `corpus-${c.id}`.slice(0, 50);
  return { appName: app, recordApp: app, manifests, kubeconfig: kubeconfigFor(c), namespace: CORPUS_NS, prune: true, runHooks: 'on-change', triggers: [], ...extra };
}

beforeAll(async () => {
  client = createKubeClient(kubeconfigPath());
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: CORPUS_NS } });
  // Earlier test files delete their namespaces in the background: their contents vanish for a
  // while, which a before/after listing would blame on the corpus. Wait until none is terminating.
  await eventually('no namespace of an earlier test still terminating', async () => {
    const namespaces = await client.list({ apiVersion: 'v1', kind: 'Namespace' });
    return namespaces.every((n) => !n.metadata.deletionTimestamp);
  }, 300_000, 500);
  // The controllers' own writes for the new namespace settle before the listings start: two
  // listings in a row (polled) must agree.
  let last = '';
  await eventually('the cluster listing to settle', async () => {
    const now = JSON.stringify(await listing());
    const stable = now === last;
    last = now;
    return stable;
  }, 60_000, 1000);
});

afterAll(() => {
  const text = JSON.stringify(figures, null, 2);
  fs.writeFileSync(path.join(os.tmpdir(), 'sync-hooks-corpus-figures.json'), text);
  console.log(`bad-input corpus, per entry point (rejected with zero writes / tried):\n${text}`);
  client?.close?.();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the corpus has at least 30 cases, each with what its error must name', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(30);
  for (const c of CASES) expect(c.expect.length).toBeGreaterThan(0);
});

describe('CLI: bin/sync-hooks.js sync -f', () => {
  test.each(CASES.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    await judge('CLI', c, async () => {
      const { code, output } = await runCli(['sync', '-f', chartFile(c), '--namespace', CORPUS_NS, '--name', 'corpus-cli', '--kubeconfig', kubeconfigFor(c)]);
      return { rejected: code !== 0, message: output };
    });
  });
});

describe('SyncedChart: chart reader, then the provider runtime check + create', () => {
  test.each(CASES.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    await judge('SyncedChart', c, async () => {
      let manifests: KubeObject[];
      try {
        manifests = normalizeManifests(chartManifests(chartText(c), `SyncedChart "corpus": chart`));
      } catch (e) {
        return { rejected: true, message: (e as Error).message };
      }
      return checkAndCreate(inputsFor(c, manifests));
    });
  });
});

describe('HookPhases: hooks reader and split, then each node through check + create', () => {
  test.each(CASES.filter((c) => c.hookPhases).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    await judge('HookPhases', c, async () => {
      let split;
      try {
        split = splitHooks(normalizeManifests(chartManifests(chartText(c), `HookPhases "corpus": hooks`)));
      } catch (e) {
        return { rejected: true, message: (e as Error).message };
      }
      const messages: string[] = [];
      let rejected = false;
      for (const node of ['before', 'after'] as const) {
        const r = await checkAndCreate(inputsFor(c, split[node], { appName: `corpus-hp-${node}`, recordApp: `corpus-hp-${node}`, prune: false, allowEmpty: true }));
        rejected ||= r.rejected;
        messages.push(r.message);
        if (r.rejected) break;
      }
      return { rejected, message: messages.join('\n') };
    });
  });
});

describe('SyncedChart through a real pulumi up (a handful of cases)', () => {
  // A chart string with a YAML error makes SyncedChart throw inside an Output's apply, which the
  // Automation API's inline program reports as an unhandled rejection in this process; the YAML
  // cases are covered above through the same reader.
  const picked = ['hook-unknown-type', 'job-name-64', 'service-port-out-of-range', 'empty-file'];
  test.each(CASES.filter((c) => picked.includes(c.id)).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const text = chartText(c);
    const kubeconfig = fs.readFileSync(kubeconfigFor(c), 'utf8');
    const t = await testStack(async () => {
      const chart = new SyncedChart('corpus', { chart: text, kubeconfig, namespace: CORPUS_NS });
      return { objects: chart.objects };
    });
    try {
      await judge('pulumi up', c, async () => {
        const out: string[] = [];
        try {
          await t.stack.up({ onOutput: (s) => out.push(s) });
          return { rejected: false, message: out.join('') };
        } catch (e) {
          return { rejected: true, message: `${out.join('')}\n${(e as Error).message}` };
        }
      });
    } finally {
      await t.cleanup();
    }
  });
});
