/** The native provider's check/diff/preview, without a cluster (create/update/delete run in integration tests). */
import { desiredObjects, NativeOutputs, readManifestsInput, UNKNOWN } from '../../../src/provider/chart';
import { EngineLogFn, SyncHooksProvider } from '../../../src/provider/provider';
import { ShownStore, shownKey } from '../../../src/pulumi/once';

const URN = 'urn:pulumi:dev::shop::sync-hooks:index:SyncedChart::shop';

const chart = (image = 'nginx:1', extra = '') => `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {k: v}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: {argocd.argoproj.io/sync-wave: "1"}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: {argocd.argoproj.io/hook: PreSync}
spec:
  template:
    spec: {restartPolicy: Never, containers: [{name: m, image: "migrate:1"}]}
${extra}`;

const smoke = `---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: smoke-
  annotations: {argocd.argoproj.io/hook: PostSync}
spec:
  template:
    spec: {restartPolicy: Never, containers: [{name: s, image: "curl"}]}
`;

function provider() {
  const logs: Array<{ severity: string; message: string; urn?: string; ephemeral?: boolean }> = [];
  const log: EngineLogFn = (severity, message, urn, ephemeral) => logs.push({ severity, message, urn, ephemeral });
  // What this "pulumi up" printed, in memory (the plugin keeps it in marker files per pulumi process).
  const keys = new Set<string>();
  const shown: ShownStore = { first: (w) => !keys.has(w) && !!keys.add(w), seen: (w) => keys.has(w) };
  return { p: new SyncHooksProvider(log, shown), logs, shown };
}

test('check parses YAML manifests, fills defaults, labels every object and hook, and prints nothing', async () => {
  const { p, logs } = provider();
  const { inputs, failures } = await p.check(URN, {}, { manifests: chart(), namespace: 'shop' });
  expect(failures).toEqual([]);
  expect(inputs).toMatchObject({ prune: true, runHooks: 'on-change', triggers: [] });
  expect(Object.keys(inputs.objectDigests!).sort()).toEqual(['ConfigMap shop/settings', 'Deployment shop/web', 'PreSync Job shop/migrate']);
  expect(inputs.runNonce).toBeUndefined();
  expect(logs).toEqual([]);
});

test('check rejects bad input naming the property, before anything runs', async () => {
  const { p } = provider();
  const bad = await p.check(URN, {}, { manifests: 'kind: [unclosed', runHooks: 'sometimes' as never, timeouts: { sync: -1 } });
  expect(bad.failures.map((f) => f.property).sort()).toEqual(['runHooks', 'timeouts.sync']);
  const yaml = await p.check(URN, {}, { manifests: 'a: [unclosed' });
  expect(yaml.failures[0]).toMatchObject({ property: '' }); // Pulumi would print the whole value beside a property
  expect(yaml.failures[0].reason).toMatch(/manifests:1.*invalid YAML/);
  const noName = await p.check(URN, {}, { manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }] });
  expect(noName.failures[0]).toMatchObject({ property: '' });
  expect(noName.failures[0].reason).toMatch(/metadata\.name/);
});

test('runHooks always makes every check differ, so every pulumi up syncs', async () => {
  const { p } = provider();
  const a = (await p.check(URN, {}, { manifests: chart(), runHooks: 'always' })).inputs;
  await new Promise((r) => setTimeout(r, 5));
  const b = (await p.check(URN, a, { manifests: chart(), runHooks: 'always' })).inputs;
  expect(a.runNonce).toBeDefined();
  expect(b.runNonce).not.toBe(a.runNonce);
});

async function stateOf(p: SyncHooksProvider, manifests: string | unknown[], extra: Record<string, unknown> = {}): Promise<NativeOutputs> {
  const { inputs } = await p.check(URN, {}, { manifests, namespace: 'shop', ...extra });
  return { ...inputs, objects: desiredObjects(readManifestsInput(manifests).objects, 'shop'), hooks: [], lastSync: { operation: 'sync', status: 'Succeeded', time: '', durationMs: 1 } };
}

test('detailedDiff names the objects and hooks that change', async () => {
  const { p } = provider();
  const olds = await stateOf(p, chart());
  const same = await p.diff('id', URN, olds, (await p.check(URN, olds, { manifests: chart(), namespace: 'shop' })).inputs);
  expect(same).toEqual({ changes: false, detailedDiff: {} });

  const news = (await p.check(URN, olds, { manifests: chart('nginx:2', smoke), namespace: 'shop' })).inputs;
  const d = await p.diff('id', URN, olds, news);
  expect(d.changes).toBe(true);
  expect(d.detailedDiff).toEqual({
    'objectDigests["Deployment shop/web"]': { kind: 'UPDATE', inputDiff: true },
    'objectDigests["PostSync Job shop/smoke-*"]': { kind: 'ADD', inputDiff: true },
  });

  const trig = await p.diff('id', URN, olds, (await p.check(URN, olds, { manifests: chart(), namespace: 'shop', triggers: ['v2'] })).inputs);
  expect(trig.detailedDiff).toEqual({ triggers: { kind: 'UPDATE', inputDiff: true } });

  // Drift found by refresh: an object of the chart is missing from `objects`.
  const drifted = { ...olds, objects: olds.objects.filter((o) => o.kind !== 'Deployment') };
  expect((await p.diff('id', URN, drifted, (await p.check(URN, olds, { manifests: chart(), namespace: 'shop' })).inputs)).detailedDiff).toEqual({
    objects: { kind: 'UPDATE', inputDiff: false },
  });

  const failed: NativeOutputs = { ...olds, lastSync: { ...olds.lastSync, status: 'Failed' } };
  expect((await p.diff('id', URN, failed, (await p.check(URN, olds, { manifests: chart(), namespace: 'shop' })).inputs)).detailedDiff).toEqual({
    lastSync: { kind: 'UPDATE', inputDiff: false },
  });
});

test('preview of create prints the plan once on the resource, a line per step (the teardown\'s in one), and knows the objects, not the hooks', async () => {
  const { p, logs, shown } = provider();
  const { inputs } = await p.check(URN, {}, { manifests: chart(), namespace: 'shop' });
  const { outs } = await p.create(URN, inputs, { preview: true });
  expect(logs).toHaveLength(1);
  expect(logs[0]).toMatchObject({ severity: 'info', urn: URN });
  expect(logs[0].message.split('\n')).toEqual([
    'plan for pulumi up: 3 steps, 2 objects, 1 hook',
    '  PreSync wave 0: hook Job shop/migrate',
    '  Sync wave 0: ConfigMap shop/settings',
    '  Sync wave 1: Deployment shop/web',
    'plan for pulumi destroy: 2 objects deleted in 2 waves',
  ]);
  // Recorded as printed in this pulumi run, under the chart's application: the update's sync does not repeat it.
  expect(shown.first(shownKey.plan('shop-dev-shop', logs[0].message.replace(/^plan for pulumi up:/, 'plan:').replace(/\nplan for pulumi destroy: .*$/, '')))).toBe(false);
  expect(outs.objects.map((o) => `${o.kind} ${o.namespace}/${o.name}`)).toEqual(['ConfigMap shop/settings', 'Deployment shop/web']);
  expect(outs.hooks).toBe(UNKNOWN);
  expect(outs.lastSync).toBe(UNKNOWN);
});

test('unknown manifests in preview: check passes them through, diff reports a change, outputs unknown', async () => {
  const { p, logs } = provider();
  const { inputs, failures } = await p.check(URN, {}, { manifests: UNKNOWN });
  expect(failures).toEqual([]);
  const { outs } = await p.create(URN, inputs, { preview: true });
  expect(outs.objects).toBe(UNKNOWN);
  expect(logs).toEqual([]);
});

test('the application name in the cluster comes from the URN, as the dynamic resource derives it', async () => {
  const { recordAppOfUrn } = await import('../../../src/provider/chart');
  expect(recordAppOfUrn(URN)).toBe('shop-dev-shop');
});

const SECRET_VALUE = 'planted-s3cr3t-value';
const secretDoc = (value = SECRET_VALUE) => `---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: "${value}"}
data: {token: "${Buffer.from(value).toString('base64')}"}
`;

test.each([
  ['a YAML string', (v?: string) => chart('nginx:1', secretDoc(v))],
  ['a list of objects', (v?: string) => readManifestsInput(chart('nginx:1', secretDoc(v))).objects],
])('check moves Secret values out of manifests (given as %s) into secretData; a changed value is a secretData change', async (_what, manifests) => {
  const { p } = provider();
  const { inputs, failures } = await p.check(URN, {}, { manifests: manifests(), namespace: 'shop' });
  expect(failures).toEqual([]);
  expect(typeof inputs.manifests).toBe(typeof manifests());
  const kept = JSON.stringify(inputs.manifests);
  expect(kept).not.toContain(SECRET_VALUE);
  expect(kept).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
  expect(JSON.stringify(inputs.objectDigests)).not.toContain(SECRET_VALUE);
  const objects = readManifestsInput(inputs.manifests).objects;
  const secret = objects.find((o) => o.kind === 'Secret')!;
  expect(secret).toMatchObject({ stringData: { password: '(secret: in secretData)' }, data: { token: '(secret: in secretData)' } });
  expect(objects.find((o) => o.kind === 'Deployment')?.spec.template.spec.containers[0].image).toBe('nginx:1');
  const index = String(objects.indexOf(secret));
  expect(inputs.secretData).toEqual({ [index]: { stringData: { password: SECRET_VALUE }, data: { token: Buffer.from(SECRET_VALUE).toString('base64') } } });

  const olds = await stateOf(p, manifests());
  const same = await p.check(URN, olds, { manifests: manifests(), namespace: 'shop' });
  expect(await p.diff('id', URN, olds, same.inputs)).toEqual({ changes: false, detailedDiff: {} });
  const rotated = await p.check(URN, olds, { manifests: manifests('rotated-value'), namespace: 'shop' });
  const d = await p.diff('id', URN, olds, rotated.inputs);
  expect(d).toEqual({ changes: true, detailedDiff: { secretData: { kind: 'UPDATE', inputDiff: true } } });
});

test('a chart without Secret values keeps its manifests as given and has no secretData', async () => {
  const { p } = provider();
  const { inputs } = await p.check(URN, {}, { manifests: chart(), namespace: 'shop' });
  expect(inputs.manifests).toBe(chart());
  expect(inputs.secretData).toBeUndefined();
});

test('app, restart and timelineFile reach the runtime as the dynamic resource passes them; changing them runs nothing', async () => {
  const { toChartInputs } = await import('../../../src/provider/chart');
  const { p } = provider();
  const { inputs, failures } = await p.check(URN, {}, { manifests: chart(), namespace: 'shop', app: 'shop-prod', restart: true, timelineFile: 'out/timeline.html' });
  expect(failures).toEqual([]);
  expect(inputs.timelineFile).toBe(require('node:path').resolve('out/timeline.html'));
  expect(toChartInputs(URN, inputs)).toMatchObject({ recordApp: 'shop-prod', restart: true, timelineFile: inputs.timelineFile });
  const defaults = toChartInputs(URN, (await p.check(URN, {}, { manifests: chart(), namespace: 'shop' })).inputs);
  expect(defaults.recordApp).toBe('shop-dev-shop');
  expect(defaults.restart).toBeUndefined();
  expect(defaults.timelineFile).toBeUndefined();

  const olds = await stateOf(p, chart(), { app: 'shop-prod' });
  const changed = (await p.check(URN, olds, { manifests: chart(), namespace: 'shop', app: 'other', restart: true, timelineFile: 't.html' })).inputs;
  expect(await p.diff('id', URN, olds, changed)).toEqual({ changes: false, detailedDiff: {} });
});

test('bad app, restart or timelineFile is rejected naming the property', async () => {
  const { p } = provider();
  const { failures } = await p.check(URN, {}, { manifests: chart(), app: 'Shop_Prod', restart: 'yes' as unknown as boolean, timelineFile: 42 as unknown as string });
  expect(failures.map((f) => f.property)).toEqual(['app', 'restart', 'timelineFile']);
  expect(failures[0].reason).toContain('DNS-1123 label');
});
