/** The plugin's gRPC surface as the engine sees it (no engine, no cluster): schema, config, check, diff, preview. */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as provrpc from '@pulumi/pulumi/proto/provider_grpc_pb';
import * as provproto from '@pulumi/pulumi/proto/provider_pb';
import { engineAddressOf, onSigint, providerSchema, providerVersion } from '../../../src/provider/main';
import { serve } from '../../../src/provider/server';

const fromPulumi = createRequire(require.resolve('@pulumi/pulumi/package.json'));
const grpc = fromPulumi('@grpc/grpc-js');
const { Struct } = fromPulumi('google-protobuf/google/protobuf/struct_pb');
const URN = 'urn:pulumi:dev::p::sync-hooks:index:SyncedChart::app';
const MANIFESTS = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata: {k: v}\n';

let stop: () => void;
let client: any;
let busy: () => boolean;
beforeAll(async () => {
  const s = await serve({ version: providerVersion(), schema: providerSchema() });
  busy = s.busy;
  client = new (provrpc.ResourceProviderClient as any)(`127.0.0.1:${s.port}`, grpc.credentials.createInsecure());
  stop = () => {
    client.close();
    s.server.forceShutdown();
  };
});
afterAll(() => stop());

const call = <T>(method: string, req: unknown): Promise<T> =>
  new Promise((resolve, reject) => client[method](req, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));

test('GetSchema serves schema.json with the package version', async () => {
  const res = await call<provproto.GetSchemaResponse>('getSchema', new provproto.GetSchemaRequest());
  const schema = JSON.parse(res.getSchema());
  expect(schema.name).toBe('sync-hooks');
  expect(schema.version).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')).version);
  expect(Object.keys(schema.resources)).toEqual(['sync-hooks:index:SyncedChart']);
  expect(schema.config.variables.kubeconfig.secret).toBe(true);
});

test('Configure asks for plaintext and supports preview; Check and Diff speak detailedDiff', async () => {
  const conf = new provproto.ConfigureRequest();
  conf.getVariablesMap().set('sync-hooks:config:context', 'dev');
  const c = await call<provproto.ConfigureResponse>('configure', conf);
  expect(c.getAcceptsecrets()).toBe(false);
  expect(c.getSupportspreview()).toBe(true);

  const check = new provproto.CheckRequest().setUrn(URN).setOlds(Struct.fromJavaScript({})).setNews(Struct.fromJavaScript({ manifests: MANIFESTS }));
  const checked = await call<provproto.CheckResponse>('check', check);
  expect(checked.getFailuresList()).toEqual([]);
  const inputs = checked.getInputs()!.toJavaScript() as Record<string, any>;
  expect(inputs.objectDigests).toHaveProperty(['ConfigMap x/a']);

  const olds = { ...inputs, objectDigests: { 'ConfigMap x/a': 'old' }, objects: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'x', name: 'a' }], hooks: [], lastSync: { status: 'Succeeded' } };
  const diff = await call<provproto.DiffResponse>('diff', new provproto.DiffRequest().setId('x').setUrn(URN).setOlds(Struct.fromJavaScript(olds)).setNews(Struct.fromJavaScript({ ...inputs, manifests: MANIFESTS.replace("k: v", "k: w") })));
  expect(diff.getChanges()).toBe(provproto.DiffResponse.DiffChanges.DIFF_SOME);
  expect(diff.getHasdetaileddiff()).toBe(true);
  expect(diff.toObject().detaileddiffMap).toEqual([['objectDigests["ConfigMap x/a"]', { kind: provproto.PropertyDiff.Kind.UPDATE, inputdiff: true }]]);
  expect(diff.getDiffsList()).toEqual(['objectDigests']);
});

test('Check returns the Secrets\' values as a secret input (the wire form the engine keeps secret), manifests without them', async () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: x}\nstringData: {password: planted-pw}\n';
  const check = new provproto.CheckRequest().setUrn(URN).setOlds(Struct.fromJavaScript({})).setNews(Struct.fromJavaScript({ manifests: `${MANIFESTS}---\n${secret}` }));
  const inputs = (await call<provproto.CheckResponse>('check', check)).getInputs()!.toJavaScript() as Record<string, any>;
  expect(inputs.secretData).toEqual({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: { '1': { stringData: { password: 'planted-pw' } } } });
  expect(JSON.stringify({ ...inputs, secretData: undefined })).not.toContain('planted-pw');
});

test('Check failures reach the engine as CheckFailures', async () => {
  const check = new provproto.CheckRequest().setUrn(URN).setOlds(Struct.fromJavaScript({})).setNews(Struct.fromJavaScript({ manifests: 42 }));
  const res = await call<provproto.CheckResponse>('check', check);
  expect(res.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([['manifests', 'must be a YAML string or a list of Kubernetes objects']]);
});

test('the engine address is the first argument that is not a logging flag', () => {
  expect(engineAddressOf(['--logtostderr', '-v=9', '--tracing', 'http://x', '127.0.0.1:1234'])).toBe('127.0.0.1:1234');
  expect(engineAddressOf([])).toBeUndefined();
});

test('SIGINT ends an idle plugin at once (the engine closing it); a busy one is cancelled and keeps serving', async () => {
  const events: string[] = [];
  const handler = (isBusy: boolean) => onSigint({ cancel: () => events.push('cancel') }, () => isBusy, () => events.push('exit'));
  handler(false)();
  expect(events).toEqual(['cancel', 'exit']);
  events.length = 0;
  handler(true)();
  expect(events).toEqual(['cancel']);

  // The server counts the calls it is serving: none once they answered.
  await call<provproto.GetSchemaResponse>('getSchema', new provproto.GetSchemaRequest());
  await call('checkConfig', new provproto.CheckRequest()).catch(() => undefined);
  expect(busy()).toBe(false);
});
