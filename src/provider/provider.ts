/**
 * `pulumi-resource-sync-hooks`: the SyncedChart provider plugin. The gRPC glue is in server.ts;
 * this is what each call does, on top of the runtime the dynamic resource uses
 * (src/pulumi/runtime.ts): progress goes to the engine's log with the resource's URN (status
 * updates ephemeral), the plan is printed once, in preview, `Cancel` aborts a running sync (running
 * hooks are terminated, SyncFail runs) and `customTimeouts` bound the operation.
 */
import * as path from 'node:path';
import { SyncFailedError } from '../engine';
import { planSync } from '../plan';
import { printPlanOnce, ShownStore } from '../pulumi/once';
import * as runtime from '../pulumi/runtime';
import { fromEntries, InventoryEntry, planTeardownWithInventory, prepareManifests } from '../runner';
import {
  CheckFailure,
  desiredObjects,
  detailedDiff,
  hasUnknown,
  inputFailures,
  NativeInputs,
  NativeOutputs,
  objectDigests,
  PropertyDiff,
  readManifestsInput,
  splitManifestsInput,
  toChartInputs,
  toChartOutputs,
  toNativeOutputs,
  UNKNOWN,
} from './chart';

export type Severity = 'debug' | 'info' | 'warning' | 'error';
/** The engine's log: lines attached to a resource (its URN); ephemeral lines are status updates. */
export type EngineLogFn = (severity: Severity, message: string, urn?: string, ephemeral?: boolean) => void;

export interface ProviderConfig {
  /** Kubeconfig contents or path; default $KUBECONFIG / ~/.kube/config, as kubectl. */
  kubeconfig?: string;
  /** Context of the kubeconfig to use; default its current context. */
  context?: string;
}

export interface OperationOptions {
  /** Preview (the engine asks what create/update would produce; nothing is written). */
  preview?: boolean;
  /** `customTimeouts` of the step, in seconds (0: none). */
  timeoutSeconds?: number;
}

/** An error the server turns into "created/updated but failed to initialize" (state kept). */
export class InitFailedError extends Error {
  constructor(
    readonly id: string,
    readonly properties: NativeOutputs,
    readonly reasons: string[],
    message: string,
  ) {
    super(message);
    this.name = 'InitFailedError';
  }
}

export class SyncHooksProvider {
  private config: ProviderConfig = {};
  private cancelled = new AbortController();

  /** `shown`: what this `pulumi up` printed already (default: markers per pulumi process; tests pass their own). */
  constructor(
    private readonly engineLog: EngineLogFn,
    private readonly shown?: ShownStore,
  ) {}

  checkConfig(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
    const failures: CheckFailure[] = [];
    for (const k of ['kubeconfig', 'context'] as const) {
      const v = news[k];
      if (v !== undefined && v !== null && v !== UNKNOWN && typeof v !== 'string') failures.push({ property: k, reason: 'must be a string' });
    }
    return { inputs: news, failures };
  }

  /** Changing the cluster connection never replaces charts; it changes the provider. */
  diffConfig(olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; diffs: string[] } {
    const diffs = ['kubeconfig', 'context'].filter((k) => (olds[k] ?? null) !== (news[k] ?? null));
    return { changes: diffs.length > 0, diffs };
  }

  configure(config: ProviderConfig): void {
    this.config = { ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}), ...(config.context ? { context: config.context } : {}) };
  }

  /** The engine's Cancel: aborts every running operation (SyncFail still runs) and any that starts later. */
  cancel(): void {
    this.cancelled.abort(new Error('cancelled by the Pulumi engine'));
  }

  private ctx(urn: string, opts: OperationOptions = {}): runtime.RuntimeContext {
    return {
      log: (line, o) => this.engineLog('info', line, urn, o?.ephemeral),
      signal: this.cancelled.signal,
      timeoutMs: opts.timeoutSeconds ? opts.timeoutSeconds * 1000 : undefined,
      kubeconfig: this.config.kubeconfig,
      context: this.config.context,
      compact: true,
      ...(this.shown ? { shown: this.shown } : {}),
    };
  }

  async check(urn: string, olds: Partial<NativeInputs>, news: NativeInputs): Promise<{ inputs: NativeInputs; failures: CheckFailure[] }> {
    const inputs: NativeInputs = { ...news, prune: news.prune ?? true, runHooks: news.runHooks ?? 'on-change', triggers: news.triggers ?? [] };
    const failures = inputFailures(inputs);
    if (inputs.manifests === undefined || inputs.manifests === null) failures.push({ property: 'manifests', reason: 'is required' });
    // The program's directory is the plugin's working directory: the state keeps an absolute path.
    if (typeof inputs.timelineFile === 'string' && inputs.timelineFile && inputs.timelineFile !== UNKNOWN) inputs.timelineFile = path.resolve(inputs.timelineFile);
    if (inputs.runHooks === 'always') inputs.runNonce = new Date().toISOString();
    else delete inputs.runNonce;
    if (failures.length || hasUnknown(inputs.manifests) || hasUnknown(inputs.namespace)) {
      delete inputs.objectDigests;
      return { inputs, failures };
    }
    const parsed = readManifestsInput(inputs.manifests);
    if (parsed.failures.length) return { inputs, failures: parsed.failures };
    // Secret values leave `manifests` for `secretData` (marked secret by the server).
    const split = splitManifestsInput(inputs.manifests);
    inputs.manifests = split.manifests;
    if (split.secretData) inputs.secretData = split.secretData;
    else delete inputs.secretData;
    const checked = await runtime.check(olds.manifests ? toChartInputs(urn, olds as NativeInputs) : {}, toChartInputs(urn, inputs), this.ctx(urn));
    // Digests of the manifests as kept (placeholders): no hash of a secret value in the state.
    inputs.objectDigests = objectDigests(readManifestsInput(inputs.manifests).objects, inputs.namespace);
    return { inputs, failures: checked.failures ?? [] };
  }

  async diff(_id: string, urn: string, olds: NativeOutputs, news: NativeInputs): Promise<{ changes: boolean; detailedDiff: Record<string, PropertyDiff> }> {
    if (hasUnknown(news.manifests)) return { changes: true, detailedDiff: { manifests: { kind: 'UPDATE', inputDiff: true } } };
    const changed = runtime.changedFields(toChartOutputs(urn, olds), toChartInputs(urn, news));
    return { changes: changed.length > 0, detailedDiff: detailedDiff(olds, news, changed) };
  }

  /** Preview of create/update: the plan, once, and the outputs known before the sync runs. */
  private preview(urn: string, inputs: NativeInputs, previous: InventoryEntry[]): NativeOutputs {
    const unknown = UNKNOWN as unknown as never;
    if (hasUnknown(inputs.manifests) || hasUnknown(inputs.namespace)) return { ...inputs, objects: unknown, hooks: unknown, lastSync: unknown };
    const chart = toChartInputs(urn, inputs);
    const manifests = prepareManifests(chart.manifests);
    const plan = planSync(manifests, { previous: fromEntries(previous), defaultNamespace: chart.namespace, prune: chart.prune });
    // Always in preview; the update does not print it (nor its warnings) again (src/pulumi/once.ts).
    // The teardown plan in one line beside it: what `pulumi destroy` would run.
    const teardown = { plan: planTeardownWithInventory(chart.manifests, previous, chart.namespace), title: 'plan for pulumi destroy' };
    printPlanOnce(chart.recordApp || chart.appName, plan, 'plan for pulumi up', (text) => this.engineLog('info', text, urn), { store: this.shown, always: true, teardown });
    return { ...inputs, objects: desiredObjects(chart.manifests, chart.namespace), hooks: unknown, lastSync: unknown };
  }

  private async sync(id: string, inputs: NativeInputs, run: () => Promise<{ outs: Parameters<typeof toNativeOutputs>[1] }>): Promise<NativeOutputs> {
    try {
      return toNativeOutputs(inputs, (await run()).outs);
    } catch (e) {
      // runtime.sync throws {id, properties, reasons} for a sync that ran and failed: keep its state.
      const failed = e as { id?: string; properties?: Parameters<typeof toNativeOutputs>[1]; reasons?: string[]; message?: string };
      if (failed && failed.properties && failed.reasons) {
        throw new InitFailedError(failed.id || id, toNativeOutputs(inputs, failed.properties), failed.reasons, failed.message ?? 'sync failed');
      }
      if (e instanceof SyncFailedError) throw new Error(e.message);
      throw e;
    }
  }

  async create(urn: string, inputs: NativeInputs, opts: OperationOptions = {}): Promise<{ id: string; outs: NativeOutputs }> {
    if (opts.preview) return { id: '', outs: this.preview(urn, inputs, []) };
    let id = '';
    const outs = await this.sync('', inputs, async () => {
      const r = await runtime.create(toChartInputs(urn, inputs), this.ctx(urn, opts));
      id = r.id;
      return r;
    });
    return { id, outs };
  }

  async update(id: string, urn: string, olds: NativeOutputs, news: NativeInputs, opts: OperationOptions = {}): Promise<{ outs: NativeOutputs }> {
    if (opts.preview) return { outs: this.preview(urn, news, olds.objects ?? []) };
    return { outs: await this.sync(id, news, () => runtime.update(id, toChartOutputs(urn, olds), toChartInputs(urn, news), this.ctx(urn, opts))) };
  }

  /** `pulumi refresh`: objects deleted out of band leave `objects`; the next `up` repairs them. */
  async read(id: string, urn: string, props: NativeOutputs): Promise<{ id: string; props: NativeOutputs; inputs: NativeInputs }> {
    const r = await runtime.read(id, toChartOutputs(urn, props), this.ctx(urn));
    const inputs: NativeInputs = { ...props };
    for (const k of ['objects', 'hooks', 'lastSync']) delete (inputs as unknown as Record<string, unknown>)[k];
    return { id, props: { ...props, objects: r.props.objects }, inputs };
  }

  async delete(id: string, urn: string, props: NativeOutputs, opts: OperationOptions = {}): Promise<void> {
    await runtime.remove(id, toChartOutputs(urn, props), this.ctx(urn, opts));
  }
}
