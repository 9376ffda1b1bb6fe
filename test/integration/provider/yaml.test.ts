/**
 * A Pulumi YAML program (`runtime: yaml`, the real pulumi CLI and pulumi-language-yaml) uses
 * `sync-hooks:index:SyncedChart` from the native provider plugin: `pulumi up` runs PreSync → Sync
 * waves → PostSync, `pulumi destroy` runs PreDelete → delete → PostDelete, as an independent watch sees it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { ShopChart } from '../../../examples/shop/chart';
import { Toolchain } from '../../../src/localcluster/toolchain';
import { KubeObject } from '../../../src/model';
import { eventually, k8s, kubeConfig, uniqueName } from '../helpers/kube';
import { Recorder } from '../helpers/recorder';
import { app } from '../pulumi/fixtures';
import { manifestsYaml, nativeToolchain, readLines, runPulumi, yamlProject } from './_native';

let tc: Toolchain;
beforeAll(async () => {
  tc = await nativeToolchain(true);
}, 60 * 60_000);

test('YAML program: up runs the hooks and waves in order, destroy runs the delete hooks around the deletion; app and timelineFile apply', async () => {
  const ns = uniqueName('yml');
  const rec = await Recorder.start(['Job', 'Deployment', 'ConfigMap', 'Namespace']);
  // `app` names the operation record; `timelineFile` is relative to the program's directory.
  const appName = `${ns}-app`;
  const p = await yamlProject(tc, { manifests: manifestsYaml(app({ ns })), namespace: ns, extra: { app: appName, timelineFile: 'timeline.html', restart: false } });
  try {
    const lines: string[] = [];
    const events: any[] = [];
    const up = await p.stack.up({ onOutput: (l) => lines.push(l), onEvent: (e) => events.push(e) });
    expect(up.summary.result).toBe('succeeded');
    const hooks = (up.outputs.hooks.value as Array<{ phase: string; name: string; status: string }>).map((h) => `${h.phase} ${h.name} ${h.status}`);
    expect(hooks).toEqual(['PreSync migrate Succeeded', expect.stringMatching(/^PostSync notify-\S+ Succeeded$/)]);
    expect((up.outputs.objects.value as Array<{ kind: string; name: string }>).map((o) => `${o.kind} ${o.name}`).sort()).toEqual(
      ['ConfigMap cfg-a', 'ConfigMap cfg-b', 'Deployment web', `Namespace ${ns}`].sort(),
    );

    // Order as the cluster saw it: PreSync done before wave 0, waves in order, PostSync after the last wave.
    // The watch may lag the operation on a busy machine: wait for each event, then compare times.
    const seen = (what: string, f: () => number | undefined) => eventually(what, async () => f());
    const migrated = await seen('migrate completed', () => rec.completed('migrate', ns));
    const cfgA = await seen('cfg-a created', () => rec.created('ConfigMap', 'cfg-a', ns));
    const web = await seen('web created', () => rec.created('Deployment', 'web', ns));
    const cfgB = await seen('cfg-b created', () => rec.created('ConfigMap', 'cfg-b', ns));
    const notify = await seen('notify created', () => rec.created('Job', 'notify-', ns));
    expect(migrated).toBeLessThan(cfgA);
    expect(cfgA).toBeLessThan(web);
    expect(web).toBeLessThan(cfgB);
    expect(cfgB).toBeLessThan(notify);
    expect(rec.created('Job', 'alert', ns)).toBeUndefined();

    // The schema's app/timelineFile inputs reached the runtime: the record is named by `app`, the
    // timeline page was written in the program's directory.
    const core = kubeConfig().makeApiClient(k8s().CoreV1Api);
    const record = await core.readNamespacedConfigMap({ name: `sync-hooks-op-${appName}`, namespace: 'default' });
    expect(record.metadata?.name).toBe(`sync-hooks-op-${appName}`);
    expect(fs.readFileSync(path.join(p.dir, 'timeline.html'), 'utf8')).toMatch(/<html[\s\S]*migrate/i);

    // Progress is on the SyncedChart's row: engine diagnostics carry its URN.
    const diag = events.filter((e) => e.diagnosticEvent).map((e) => e.diagnosticEvent);
    const mine = diag.filter((d) => String(d.urn ?? '').includes('sync-hooks:index:SyncedChart::app'));
    expect(mine.some((d) => /^sync succeeded in .*2 hooks/.test(d.message))).toBe(true);
    expect(diag.filter((d) => !d.urn && /hook Job|sync succeeded/.test(d.message))).toEqual([]);

    rec.clear();
    const destroy = await p.stack.destroy({ onOutput: (l) => lines.push(l) });
    expect(destroy.summary.result).toBe('succeeded');
    const backedUp = await eventually('backup completed', async () => rec.completed('backup', ns));
    const webDeleted = await eventually('web DELETED', async () => rec.deleted('Deployment', 'web', ns));
    const nsDeleted = await eventually('namespace DELETED', async () => rec.deleted('Namespace', ns));
    const cleanup = await eventually('PostDelete cleanup ran', async () => rec.created('Job', `cleanup-${ns}`, 'default'));
    expect(backedUp).toBeLessThan(webDeleted);
    expect(nsDeleted).toBeLessThan(cleanup);
  } finally {
    rec.stop();
    await p.stack.destroy().catch(() => undefined);
    p.cleanup();
  }
});

/** The shop example's chart, its names made unique (`shop` → `ns`; hooks in `default` suffixed) so runs do not meet. */
function shopChart(ns: string): KubeObject[] {
  const objs = JSON.parse(JSON.stringify(new ShopChart(new App(), 'shop').toJson()).replace(/\bshop\b/g, ns)) as KubeObject[];
  for (const o of objs) if (o.metadata.namespace === 'default' && o.metadata.name) o.metadata.name = `${o.metadata.name}-${ns}`;
  return objs;
}

test('pulumi up of the shop example, as a user runs it, prints at most 60 lines: the plan once, in preview; a summary naming the hooks at the end', async () => {
  const ns = uniqueName('shp');
  // Pulumi YAML interpolates ${...} in strings: the chart's shell snippets need $${...}.
  const p = await yamlProject(tc, { manifests: manifestsYaml(shopChart(ns)).split('${').join('$${'), extra: { triggers: ['1.8.0'] } });
  try {
    const run = runPulumi(tc, p, ['up', '--yes']);
    expect((await run.exited).code).toBe(0);
    const out = run.output();
    const lines = readLines(out);
    // Shown to whoever reads this test's failure: the whole output as counted.
    const shown = `${lines.length} lines:\n${lines.join('\n')}`;
    expect(lines.length <= 60 ? 'at most 60 lines' : shown).toBe('at most 60 lines');

    // The plan once, in preview, a line per step: its step lines appear once; the update neither
    // prints it again nor repeats its warnings.
    const count = (re: RegExp) => out.split('\n').filter((l) => re.test(l)).length;
    const previewEnd = out.indexOf('Updating (');
    expect(previewEnd).toBeGreaterThan(0);
    expect(count(new RegExp(`^ +PreSync wave 0: Namespace ${ns}; hook Job ${ns}/db-migrate$`))).toBe(1);
    expect(count(new RegExp(`^ +PostSync wave 5: hook Job ${ns}/cleanup \\(HookFailed\\)$`))).toBe(1);
    expect(out.indexOf(`hook Job ${ns}/cleanup (HookFailed)`)).toBeLessThan(previewEnd);
    // The delete hooks are named once, by the teardown plan's line; the engine's warnings that they
    // are not part of the sync are not printed by the update (preview printed what they say).
    expect(count(new RegExp(`^ +plan for pulumi destroy: PreDelete hook Job ${ns}-data/db-backup \\(HookSucceeded\\), then .*PostDelete hook Job default/dns-cleanup-${ns}`))).toBe(1);
    expect(count(/runs only on teardown/)).toBe(0);
    expect(out).not.toMatch(/sync plan:|PHASE +WAVE/);

    // The update: the hooks as they start, a summary naming each hook with its time, kept in Diagnostics.
    const update = out.slice(previewEnd).split('\nOutputs:')[0];
    expect(update).toMatch(new RegExp(`PreSync wave 0: hook Job ${ns}/db-migrate started`));
    expect(update).toMatch(/\n {2}sync-hooks:index:SyncedChart \(app\):\n {4}sync succeeded in \S+: 7 objects applied, 3 hooks: PreSync db-migrate \S+, PostSync slack-notification-\S+ \S+, PostSync cleanup \S+\n/);
  } finally {
    await p.stack.destroy().catch(() => undefined);
    p.cleanup();
  }
});
