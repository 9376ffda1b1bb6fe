/**
 * The gRPC side of the provider plugin: pulumirpc.ResourceProvider served with the protocol
 * modules of @pulumi/pulumi. `@pulumi/pulumi/provider`'s own server is not used because it drops
 * what this provider is about: the provider configuration (`Configure` variables), `detailedDiff`,
 * the step's `timeout` (customTimeouts), `preview` of create/update, and a log with the URN.
 */
import { createRequire } from 'node:module';
import type * as grpcTypes from '@grpc/grpc-js';
import * as engrpc from '@pulumi/pulumi/proto/engine_grpc_pb';
import * as engproto from '@pulumi/pulumi/proto/engine_pb';
import * as plugproto from '@pulumi/pulumi/proto/plugin_pb';
import * as provrpc from '@pulumi/pulumi/proto/provider_grpc_pb';
import * as provproto from '@pulumi/pulumi/proto/provider_pb';
import type * as structTypes from 'google-protobuf/google/protobuf/struct_pb';
import { EngineLogFn, InitFailedError, Severity, SyncHooksProvider } from './provider';

// Both are dependencies of @pulumi/pulumi (the versions its generated code was built with).
const fromPulumi = createRequire(require.resolve('@pulumi/pulumi/package.json'));
const grpc: typeof grpcTypes = fromPulumi('@grpc/grpc-js');
const structproto: typeof structTypes = fromPulumi('google-protobuf/google/protobuf/struct_pb');
const anyproto = fromPulumi('google-protobuf/google/protobuf/any_pb');
const emptyproto = fromPulumi('google-protobuf/google/protobuf/empty_pb');
const statusproto = fromPulumi('@pulumi/pulumi/proto/status_pb');

const SEVERITY: Record<Severity, engproto.LogSeverity> = {
  debug: engproto.LogSeverity.DEBUG,
  info: engproto.LogSeverity.INFO,
  warning: engproto.LogSeverity.WARNING,
  error: engproto.LogSeverity.ERROR,
};

/** The engine's Log service, calls kept in order; without an engine, lines go to stderr. */
export function engineLogger(engineAddress: string | undefined): { log: EngineLogFn; flush(): Promise<void> } {
  const client = engineAddress ? new engrpc.EngineClient(engineAddress, grpc.credentials.createInsecure()) : undefined;
  let queue: Promise<void> = Promise.resolve();
  const log: EngineLogFn = (severity, message, urn, ephemeral) => {
    if (!client) {
      if (!ephemeral) process.stderr.write(`${severity}: ${message}\n`);
      return;
    }
    const req = new engproto.LogRequest();
    req.setSeverity(SEVERITY[severity]);
    req.setMessage(message);
    if (urn) req.setUrn(urn);
    req.setEphemeral(Boolean(ephemeral));
    queue = queue.then(() => new Promise<void>((resolve) => client.log(req, () => resolve())));
  };
  return { log, flush: () => queue };
}

type Struct = structTypes.Struct | undefined;
const js = (s: Struct): any => (s ? s.toJavaScript() : {});
/** Struct.fromJavaScript rejects `undefined`; JSON drops it. */
const struct = (v: unknown): structTypes.Struct => structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(v ?? {})));

const DIFF_KIND: Record<string, provproto.PropertyDiff.Kind> = {
  ADD: provproto.PropertyDiff.Kind.ADD,
  DELETE: provproto.PropertyDiff.Kind.DELETE,
  UPDATE: provproto.PropertyDiff.Kind.UPDATE,
};

function grpcError(e: unknown): grpcTypes.ServiceError {
  const message = e instanceof Error ? e.message : String(e);
  const metadata = new grpc.Metadata();
  if (e instanceof InitFailedError) {
    // The object exists but failed to initialize: the engine records `properties` as its state.
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(e.id);
    detail.setProperties(struct(e.properties));
    detail.setReasonsList(e.reasons);
    const any = new anyproto.Any();
    any.pack(detail.serializeBinary(), 'pulumirpc.ErrorResourceInitFailed');
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  }
  return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata });
}

/** Pulumi's wire form of a secret value (the engine keeps it secret in state, encrypted). */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_VALUE = '1b47061264138c4ac30d75fd1eb44270';
/** Inputs check marks secret: the Secrets' values split out of `manifests`. */
const SECRET_INPUTS = ['secretData'];

/**
 * The checked inputs with their secret properties in the secret wire form. The engine reads check's
 * inputs keeping secrets even from a provider that does not accept them, and marks outputs of the
 * same name secret.
 */
export function markSecrets(inputs: Record<string, unknown>): Record<string, unknown> {
  if (!inputs || typeof inputs !== 'object') return inputs;
  const out = { ...inputs };
  for (const k of SECRET_INPUTS) {
    const v = out[k];
    if (v !== undefined && v !== null && !(typeof v === 'object' && SECRET_SIG in (v as object))) out[k] = { [SECRET_SIG]: SECRET_VALUE, value: v };
  }
  return out;
}

type Handler = (call: { request: any }, callback: (err: grpcTypes.ServiceError | null, value?: unknown) => void) => void;

/** Wraps an async handler: its result is the response, a throw the gRPC error; logs are flushed first. */
function unary(flush: () => Promise<void>, fn: (req: any) => Promise<unknown> | unknown): Handler {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        async (res) => {
          await flush();
          callback(null, res);
        },
        async (e) => {
          await flush();
          callback(grpcError(e));
        },
      );
  };
}

export interface ServeOptions {
  version: string;
  schema: string;
  engineAddress?: string;
}

/** Starts serving on 127.0.0.1 and returns the port (the launcher prints it for the engine). */
export async function serve(opts: ServeOptions): Promise<{ port: number; provider: SyncHooksProvider; server: grpcTypes.Server; busy: () => boolean }> {
  const engine = engineLogger(opts.engineAddress);
  const provider = new SyncHooksProvider(engine.log);
  /** Calls being served: the engine's SIGINT ends an idle plugin at once, a busy one is cancelled (main.ts). */
  let inFlight = 0;
  const counted =
    (fn: (req: any) => Promise<unknown> | unknown) =>
    async (req: any): Promise<unknown> => {
      inFlight++;
      try {
        return await fn(req);
      } finally {
        inFlight--;
      }
    };
  const u = (fn: (req: any) => Promise<unknown> | unknown) => unary(engine.flush, counted(fn));
  const checkResponse = (r: { inputs: unknown; failures: Array<{ property: string; reason: string }> }) => {
    const resp = new provproto.CheckResponse();
    resp.setInputs(struct(markSecrets(r.inputs as Record<string, unknown>)));
    resp.setFailuresList(
      r.failures.map((f) => {
        const cf = new provproto.CheckFailure();
        cf.setProperty(f.property);
        cf.setReason(f.reason);
        return cf;
      }),
    );
    return resp;
  };
  const impl = {
    getPluginInfo: u(() => new plugproto.PluginInfo().setVersion(opts.version)),
    getSchema: u((req: provproto.GetSchemaRequest) => {
      if (req.getVersion() !== 0) throw new Error(`unsupported schema version ${req.getVersion()}`);
      return new provproto.GetSchemaResponse().setSchema(opts.schema);
    }),
    checkConfig: u((req: provproto.CheckRequest) => checkResponse(provider.checkConfig(js(req.getNews())))),
    diffConfig: u((req: provproto.DiffRequest) => {
      const r = provider.diffConfig(js(req.getOlds()), js(req.getNews()));
      return new provproto.DiffResponse().setChanges(r.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE).setDiffsList(r.diffs);
    }),
    configure: u((req: provproto.ConfigureRequest) => {
      const args = js(req.getArgs());
      const vars = req.getVariablesMap();
      const pick = (k: string) => (typeof args[k] === 'string' ? args[k] : vars.get(`sync-hooks:config:${k}`) ?? undefined);
      provider.configure({ kubeconfig: pick('kubeconfig'), context: pick('context') });
      // Secrets arrive as plaintext and outputs named like secret inputs stay secret (engine side).
      return new provproto.ConfigureResponse().setAcceptsecrets(false).setSupportspreview(true).setAcceptresources(false).setAcceptoutputs(false);
    }),
    check: u(async (req: provproto.CheckRequest) => checkResponse(await provider.check(req.getUrn(), js(req.getOlds()), js(req.getNews())))),
    diff: u(async (req: provproto.DiffRequest) => {
      const r = await provider.diff(req.getId(), req.getUrn(), js(req.getOlds()), js(req.getNews()));
      const resp = new provproto.DiffResponse();
      resp.setChanges(r.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
      resp.setDiffsList([...new Set(Object.keys(r.detailedDiff).map((k) => k.split(/[[.]/)[0]))]);
      resp.setHasdetaileddiff(true);
      const map = resp.getDetaileddiffMap();
      for (const [path, d] of Object.entries(r.detailedDiff)) map.set(path, new provproto.PropertyDiff().setKind(DIFF_KIND[d.kind]).setInputdiff(d.inputDiff));
      return resp;
    }),
    create: u(async (req: provproto.CreateRequest) => {
      const r = await provider.create(req.getUrn(), js(req.getProperties()), { preview: req.getPreview(), timeoutSeconds: req.getTimeout() });
      return new provproto.CreateResponse().setId(r.id).setProperties(struct(r.outs));
    }),
    update: u(async (req: provproto.UpdateRequest) => {
      const r = await provider.update(req.getId(), req.getUrn(), js(req.getOlds()), js(req.getNews()), { preview: req.getPreview(), timeoutSeconds: req.getTimeout() });
      return new provproto.UpdateResponse().setProperties(struct(r.outs));
    }),
    read: u(async (req: provproto.ReadRequest) => {
      const r = await provider.read(req.getId(), req.getUrn(), js(req.getProperties()));
      return new provproto.ReadResponse().setId(r.id).setProperties(struct(r.props)).setInputs(struct(r.inputs));
    }),
    delete: u(async (req: provproto.DeleteRequest) => {
      await provider.delete(req.getId(), req.getUrn(), js(req.getProperties()), { timeoutSeconds: req.getTimeout() });
      return new emptyproto.Empty();
    }),
    cancel: u(() => {
      provider.cancel();
      return new emptyproto.Empty();
    }),
    attach: u(() => new emptyproto.Empty()),
  };
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService as unknown as grpcTypes.ServiceDefinition, impl as unknown as grpcTypes.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, provider, server, busy: () => inFlight > 0 };
}
