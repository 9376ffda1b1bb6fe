/**
 * Moving a stack from the dynamic `SyncedChart` (TypeScript, pulumi-nodejs dynamic provider) to the
 * native plugin's `sync-hooks:index:SyncedChart` with the alias the README documents: the engine
 * diffs the existing state with the plugin, which finds nothing changed, so `pulumi up` runs no
 * sync: no hook runs again, no object is recreated (same uids), and the state holds the native
 * resource only. The plugin then owns it: a later preview is quiet, destroy runs the delete hooks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { Toolchain } from '../../../src/localcluster/toolchain';
import { KubeObject } from '../../../src/model';
import { SyncedChart } from '../../../src/pulumi/synced-chart';
import { eventually, isNotFound, k8s, kubeConfig, kubeconfigPath, uniqueName } from '../helpers/kube';
import { localStack } from '../../../src/pulumi/workspace';
import { Recorder } from '../helpers/recorder';
import { app } from '../pulumi/fixtures';
import { nativeToolchain } from './_native';

const kc = kubeConfig();
const core = kc.makeApiClient(k8s().CoreV1Api);
const batch = kc.makeApiClient(k8s().BatchV1Api);
const apps = kc.makeApiClient(k8s().AppsV1Api);

// The toolchain with this checkout's bin dir (pulumi, the nodejs host, the dynamic-provider shim and
// pulumi-resource-sync-hooks), so one stack can use both resources.
let tc: Toolchain;
beforeAll(async () => {
  tc = await nativeToolchain();
}, 30 * 60_000);

const DYNAMIC_TYPE = 'pulumi-nodejs:dynamic/sync-hooks:SyncedChart';
const NATIVE_TYPE = 'sync-hooks:index:SyncedChart';

/** The plugin's resource as the generated Node.js SDK declares it (sdk/nodejs/syncedChart.ts). */
class NativeSyncedChart extends pulumi.CustomResource {
  declare readonly hooks: pulumi.Output<unknown>;
  declare readonly objects: pulumi.Output<unknown>;
  constructor(name: string, args: { manifests: unknown; namespace?: string }, opts?: pulumi.CustomResourceOptions) {
    super(NATIVE_TYPE, name, { ...args, objects: undefined, hooks: undefined, lastSync: undefined }, opts);
  }
}

test('dynamic SyncedChart → native plugin by type alias: no hook re-runs, no object recreated, state moved', async () => {
  const ns = uniqueName('mig');
  const manifests: KubeObject[] = app({ ns, secretValue: `s3cr3t-${uniqueName('v')}` });
  const kubeconfig = fs.readFileSync(kubeconfigPath(), 'utf8');
  const mode = { native: false };
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-migrate-'));
  const program = async () => {
    if (!mode.native) {
      const c = new SyncedChart('app', { chart: manifests, kubeconfig, namespace: ns });
      return { hooks: c.hooks, objects: c.objects };
    }
    // As the README shows: same name, same chart, the old type as an alias.
    const c = new NativeSyncedChart('app', { manifests, namespace: ns }, { aliases: [{ type: DYNAMIC_TYPE }] });
    return { hooks: c.hooks, objects: c.objects };
  };
  const stack = await localStack({ projectName: 'synchooksmigrate', stackName: uniqueName('m'), program, stateDir, toolchain: tc });
  const t = { stack, cleanup: async () => fs.rmSync(stateDir, { recursive: true, force: true }) };
  await t.stack.setConfig('sync-hooks:kubeconfig', { value: kubeconfig, secret: true });
  const rec = await Recorder.start(['Job', 'Deployment', 'ConfigMap', 'Secret']);
  try {
    const first = await t.stack.up();
    expect(first.summary.result).toBe('succeeded');
    const uids = async () => ({
      migrate: (await batch.readNamespacedJob({ name: 'migrate', namespace: ns })).metadata?.uid,
      web: (await apps.readNamespacedDeployment({ name: 'web', namespace: ns })).metadata?.uid,
      cfgA: (await core.readNamespacedConfigMap({ name: 'cfg-a', namespace: ns })).metadata?.uid,
      creds: (await core.readNamespacedSecret({ name: 'creds', namespace: ns })).metadata?.uid,
      ns: (await core.readNamespace({ name: ns })).metadata?.uid,
    });
    const before = await uids();
    const hooksBefore = (first.outputs.hooks.value as Array<{ name: string; startedAt: string }>).map((h) => `${h.name}@${h.startedAt}`);
    await eventually('the first sync to be seen by the watch', async () => rec.created('Job', 'notify-', ns));

    rec.clear();
    mode.native = true;
    const lines: string[] = [];
    const moved = await t.stack.up({ onOutput: (l) => lines.push(l) });
    expect(moved.summary.result).toBe('succeeded');
    // The chart resource was neither created, updated, replaced nor deleted: "same" steps, and one
    // delete: the dynamic chart's companion SyncedChartApp, which the plugin's resource does not
    // have (after a successful sync its delete leaves the application alone: uids checked below).
    const changes = moved.summary.resourceChanges ?? {};
    expect(Object.fromEntries(Object.entries(changes).filter(([k]) => k !== 'same'))).toEqual({ delete: 1 });
    // No sync ran: no plan, no hook, no summary on the way (the stack outputs below list the old hooks).
    expect(lines.join('').split('\nOutputs:')[0]).not.toMatch(/sync plan|sync succeeded|PreSync|hook Job/);
    // No hook ran again and nothing was written to the chart's objects.
    expect(await uids()).toEqual(before);
    expect(rec.events.filter((e) => e.namespace === ns && (e.type === 'ADDED' || e.type === 'DELETED'))).toEqual([]);
    expect((moved.outputs.hooks.value as Array<{ name: string; startedAt: string }>).map((h) => `${h.name}@${h.startedAt}`)).toEqual(hooksBefore);

    // The state now holds the plugin's resource under the new type, and no dynamic one.
    const exported = await t.stack.exportStack();
    const types = exported.deployment.resources.map((r: { type: string }) => r.type);
    expect(types).toContain(NATIVE_TYPE);
    expect(types).not.toContain(DYNAMIC_TYPE);
    expect(types).not.toContain('pulumi-nodejs:dynamic/sync-hooks:SyncedChartApp');

    // Owned by the plugin from now on: nothing to do on the next preview; destroy runs the delete hooks.
    const again = await t.stack.preview();
    expect(Object.keys(again.changeSummary).filter((k) => k !== 'same')).toEqual([]);
    const destroyed = await t.stack.destroy();
    expect(destroyed.summary.result).toBe('succeeded');
    await eventually('PreDelete backup ran', async () => rec.completed('backup', ns));
    await eventually('namespace gone', () => isNotFound(core.readNamespace({ name: ns })));
  } finally {
    rec.stop();
    await t.stack.destroy().catch(() => undefined);
    await t.cleanup();
  }
});

test('native plugin → dynamic SyncedChart by type alias (manifests as objects): no hook re-runs, no object recreated', async () => {
  const ns = uniqueName('mig');
  const manifests: KubeObject[] = app({ ns, secretValue: `s3cr3t-${uniqueName('v')}` });
  const kubeconfig = fs.readFileSync(kubeconfigPath(), 'utf8');
  const mode = { dynamic: false };
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-migrate-'));
  const program = async () => {
    if (!mode.dynamic) {
      const c = new NativeSyncedChart('app', { manifests, namespace: ns });
      return { hooks: c.hooks, objects: c.objects };
    }
    // As the README says: same name, same chart, the plugin's type as an alias.
    const c = new SyncedChart('app', { chart: manifests, kubeconfig, namespace: ns }, { aliases: [{ type: NATIVE_TYPE }] });
    return { hooks: c.hooks, objects: c.objects };
  };
  const stack = await localStack({ projectName: 'synchooksmigrate', stackName: uniqueName('m'), program, stateDir, toolchain: tc });
  await stack.setConfig('sync-hooks:kubeconfig', { value: kubeconfig, secret: true });
  const rec = await Recorder.start(['Job', 'Deployment', 'ConfigMap', 'Secret']);
  try {
    const first = await stack.up();
    expect(first.summary.result).toBe('succeeded');
    await eventually('the first sync to be seen by the watch', async () => rec.created('Job', 'notify-', ns));
    const uids = async () => ({
      migrate: (await batch.readNamespacedJob({ name: 'migrate', namespace: ns })).metadata?.uid,
      web: (await apps.readNamespacedDeployment({ name: 'web', namespace: ns })).metadata?.uid,
      cfgA: (await core.readNamespacedConfigMap({ name: 'cfg-a', namespace: ns })).metadata?.uid,
    });
    const before = await uids();

    rec.clear();
    mode.dynamic = true;
    const lines: string[] = [];
    const moved = await stack.up({ onOutput: (l) => lines.push(l) });
    expect(moved.summary.result).toBe('succeeded');
    // The chart's state is rewritten as the dynamic resource's (an update without a sync), and the
    // dynamic chart's companion SyncedChartApp is created.
    const changes = moved.summary.resourceChanges ?? {};
    expect(Object.fromEntries(Object.entries(changes).filter(([k]) => k !== 'same'))).toEqual({ create: 1, update: 1 });
    const log = lines.join('').split('\nOutputs:')[0];
    expect(log).toContain('taken over without a sync');
    expect(log).not.toMatch(/sync succeeded|hook Job|sync plan/);
    expect(await uids()).toEqual(before);
    expect(rec.events.filter((e) => e.namespace === ns && (e.type === 'ADDED' || e.type === 'DELETED'))).toEqual([]);
    const types = (await stack.exportStack()).deployment.resources.map((r: { type: string }) => r.type);
    expect(types).toContain(DYNAMIC_TYPE);
    expect(types).not.toContain(NATIVE_TYPE);

    // Owned by the dynamic resource from now on: destroy runs the delete hooks.
    const destroyed = await stack.destroy();
    expect(destroyed.summary.result).toBe('succeeded');
    await eventually('PreDelete backup ran', async () => rec.completed('backup', ns));
    await eventually('namespace gone', () => isNotFound(core.readNamespace({ name: ns })));
  } finally {
    rec.stop();
    await stack.destroy().catch(() => undefined);
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});
