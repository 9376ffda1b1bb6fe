/**
 * The native provider's view of `sync-hooks:index:SyncedChart` (see schema.json): its inputs and
 * outputs, their translation to the shared runtime's `ChartInputs`/`ChartOutputs`, input checks,
 * and the per-object digests that let `detailedDiff` name the objects and hooks that change.
 * Pure functions, no I/O.
 */
import * as crypto from 'node:crypto';
import { stringify as stringifyYaml } from 'yaml';
import { readManifestText } from '../manifests';
import { describe, KubeObject, keyOf, parseHookInfo } from '../model';
import { planSync, scopeResolver } from '../plan';
import { ChartInputs, ChartOutputs, ChartTimeouts, HookSummary, LastSync, RunHooks } from '../pulumi/inputs';
import { SecretData, splitSecretData } from '../pulumi/secret-data';
import { defaultRecordApp } from '../pulumi/synced-chart';
import { InventoryEntry, normalizeManifests, prepareManifests, toEntry } from '../runner';

/** Pulumi's marker for values unknown during preview. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export function hasUnknown(v: unknown): boolean {
  return JSON.stringify(v ?? null).includes(UNKNOWN);
}

/** Inputs as declared in the schema, plus what `check` adds (`objectDigests`, `runNonce`). */
export interface NativeInputs {
  /** After check: each v1 Secret's values replaced by a placeholder (they are in `secretData`). */
  manifests: string | unknown[];
  /** Values of the chart's Secrets by index in the manifest list (set by check; a secret input). */
  secretData?: SecretData;
  namespace?: string;
  prune?: boolean;
  runHooks?: RunHooks;
  triggers?: unknown[];
  timeouts?: ChartTimeouts;
  /** The application's name in the cluster (record, lock, labels); default from the URN. */
  app?: string;
  /** Start over instead of continuing an interrupted sync or teardown. */
  restart?: boolean;
  /** HTML timeline of each sync and teardown; made absolute by check (relative to the program's directory). */
  timelineFile?: string;
  /** `<label>` → short sha256 of the object, for every object and hook of the chart (set by check). */
  objectDigests?: Record<string, string>;
  /** Changes on every check when `runHooks` is `always`, so every `pulumi up` syncs. */
  runNonce?: string;
}

export interface NativeOutputs extends NativeInputs {
  objects: InventoryEntry[];
  hooks: HookSummary[];
  lastSync: LastSync;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

/** The resource name from its URN (`urn:pulumi:stack::project::type::name`). */
export function nameOfUrn(urn: string): string {
  const parts = urn.split('::');
  return parts[parts.length - 1] || urn;
}

/** The application's name in the cluster (record, lock, labels), as the dynamic resource derives it. */
export function recordAppOfUrn(urn: string): string {
  const [stack = '', project = '', , name = ''] = urn.replace(/^urn:pulumi:/, '').split('::');
  return defaultRecordApp(project, stack, name);
}

/** Manifests from the `manifests` input: multi-document YAML text or a list of objects. */
export function readManifestsInput(value: unknown): { objects: KubeObject[]; failures: CheckFailure[] } {
  if (typeof value === 'string') {
    const { objects, problems } = readManifestText(value, 'manifests');
    // No `property`: Pulumi prints a failing property's whole value (Secrets included) beside it.
    const failures = problems.map((p) => ({ property: '', reason: `${p.source}: ${p.object}: ${p.field ? `${p.field}: ` : ''}${p.message}` }));
    return { objects: normalizeManifests(objects), failures };
  }
  if (Array.isArray(value)) {
    const bad = value.findIndex((o) => o === null || typeof o !== 'object' || Array.isArray(o));
    if (bad >= 0) return { objects: [], failures: [{ property: `manifests[${bad}]`, reason: 'is not a Kubernetes object' }] };
    return { objects: normalizeManifests(value), failures: [] };
  }
  return { objects: [], failures: [{ property: 'manifests', reason: 'must be a YAML string or a list of Kubernetes objects' }] };
}

/**
 * Secret values out of `manifests`, as the dynamic SyncedChart does (src/pulumi/secret-data.ts):
 * the values of each v1 Secret move to `secretData` (which the server marks secret), `manifests`
 * keeps the Secret with a placeholder per value, so it stays readable (`preview --diff`) and
 * holds no secret in plaintext state. A chart without Secret values is returned as given; a YAML
 * string with them is written back as YAML (the normalized documents).
 */
export function splitManifestsInput(value: string | unknown[]): { manifests: string | unknown[]; secretData?: SecretData } {
  const { objects, failures } = readManifestsInput(value);
  if (failures.length) return { manifests: value };
  const split = splitSecretData(objects);
  if (Object.keys(split.secretData).length === 0) return { manifests: value };
  const manifests = typeof value === 'string' ? split.manifests.map((o) => stringifyYaml(o)).join('---\n') : split.manifests;
  return { manifests, secretData: split.secretData };
}

/** Checks the scalar inputs' types and values (the engine does not validate against the schema). */
export function inputFailures(news: NativeInputs): CheckFailure[] {
  const f: CheckFailure[] = [];
  const known = (v: unknown) => v !== undefined && v !== null && v !== UNKNOWN;
  if (known(news.namespace) && typeof news.namespace !== 'string') f.push({ property: 'namespace', reason: 'must be a string' });
  if (known(news.prune) && typeof news.prune !== 'boolean') f.push({ property: 'prune', reason: 'must be a boolean' });
  if (known(news.runHooks) && news.runHooks !== 'on-change' && news.runHooks !== 'always') {
    f.push({ property: 'runHooks', reason: `must be "on-change" or "always", got ${JSON.stringify(news.runHooks)}` });
  }
  if (known(news.triggers) && !Array.isArray(news.triggers)) f.push({ property: 'triggers', reason: 'must be a list' });
  if (known(news.app) && (typeof news.app !== 'string' || news.app.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(news.app))) {
    f.push({ property: 'app', reason: `must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), got ${JSON.stringify(news.app)}` });
  }
  if (known(news.restart) && typeof news.restart !== 'boolean') f.push({ property: 'restart', reason: 'must be a boolean' });
  if (known(news.timelineFile) && (typeof news.timelineFile !== 'string' || news.timelineFile === '')) f.push({ property: 'timelineFile', reason: 'must be a file path' });
  if (known(news.timeouts)) {
    if (typeof news.timeouts !== 'object' || Array.isArray(news.timeouts)) f.push({ property: 'timeouts', reason: 'must be an object with sync, hook, syncFail (seconds)' });
    else {
      for (const [k, v] of Object.entries(news.timeouts)) {
        if (!['sync', 'hook', 'syncFail', 'lock'].includes(k)) f.push({ property: `timeouts.${k}`, reason: 'unknown field (expected sync, hook, syncFail, lock)' });
        else if (known(v) && !(typeof v === 'number' && v > 0)) f.push({ property: `timeouts.${k}`, reason: 'must be a positive number of seconds' });
      }
    }
  }
  return f;
}

/** Label of an object in diffs and logs: `Deployment shop/web`, or `PreSync Job shop/db-migrate` for a hook. */
export function chartObjectLabel(obj: KubeObject, defaultNamespace: string | undefined, clusterScoped: (group: string, kind: string) => boolean): string {
  const key = keyOf(obj);
  if (!key.namespace && defaultNamespace && !clusterScoped(key.group, key.kind)) key.namespace = defaultNamespace;
  if (!obj.metadata?.name && obj.metadata?.generateName) key.name = `${obj.metadata.generateName}*`;
  const hook = parseHookInfo(obj);
  return hook.isHook ? `${hook.phases.join(',')} ${describe(key)}` : describe(key);
}

/** Digest per object and hook of the chart, keyed by label. */
export function objectDigests(manifests: KubeObject[], namespace?: string): Record<string, string> {
  const clusterScoped = scopeResolver(manifests);
  const out: Record<string, string> = {};
  for (const m of prepareManifests(manifests)) {
    const digest = crypto.createHash('sha256').update(JSON.stringify(m)).digest('hex').slice(0, 12);
    out[chartObjectLabel(m, namespace, (g, k) => clusterScoped(g, k))] = digest;
  }
  return out;
}

/** Managed objects (not hooks) the chart will have after a sync, as inventory entries. */
export function desiredObjects(manifests: KubeObject[], namespace?: string): InventoryEntry[] {
  const plan = planSync(prepareManifests(manifests), { defaultNamespace: namespace, prune: false });
  return plan.steps.flatMap((s) => s.tasks).filter((t) => !t.isHook && t.action === 'apply').map((t) => toEntry({ ...t.object, metadata: { ...t.object.metadata, namespace: t.key.namespace || undefined } }));
}

/** The shared runtime's inputs. The kubeconfig comes from the provider configuration, not the resource. */
export function toChartInputs(urn: string, props: NativeInputs): ChartInputs {
  const { objects } = readManifestsInput(props.manifests);
  return {
    appName: nameOfUrn(urn),
    recordApp: props.app || recordAppOfUrn(urn),
    ...(props.restart ? { restart: true } : {}),
    ...(props.timelineFile ? { timelineFile: props.timelineFile } : {}),
    manifests: objects,
    ...(props.secretData ? { secretData: props.secretData } : {}),
    ...(props.namespace ? { namespace: props.namespace } : {}),
    prune: props.prune ?? true,
    ...(props.timeouts ? { timeouts: props.timeouts } : {}),
    runHooks: props.runHooks ?? 'on-change',
    triggers: props.triggers ?? [],
    ...(props.runNonce ? { runNonce: props.runNonce } : {}),
  };
}

export function toChartOutputs(urn: string, props: NativeOutputs): ChartOutputs {
  return { ...toChartInputs(urn, props), objects: props.objects ?? [], hooks: props.hooks ?? [], lastSync: props.lastSync };
}

/** The resource's outputs: its inputs as given plus what the sync produced. */
export function toNativeOutputs(inputs: NativeInputs, outs: Pick<ChartOutputs, 'objects' | 'hooks' | 'lastSync'>): NativeOutputs {
  return { ...inputs, objects: outs.objects, hooks: outs.hooks, lastSync: outs.lastSync };
}

export type DiffKind = 'ADD' | 'DELETE' | 'UPDATE';

export interface PropertyDiff {
  kind: DiffKind;
  inputDiff: boolean;
}

function quote(label: string): string {
  return `objectDigests[${JSON.stringify(label)}]`;
}

/**
 * The detailed diff: one entry per object or hook whose manifest changed (added, removed, edited),
 * plus the other inputs that changed and the reasons a sync runs without a manifest change
 * (`lastSync` failed, `objects` drifted). `changed` are the runtime's changed fields.
 */
export function detailedDiff(olds: NativeOutputs, news: NativeInputs, changed: string[]): Record<string, PropertyDiff> {
  const out: Record<string, PropertyDiff> = {};
  const before = olds.objectDigests ?? {};
  const after = news.objectDigests ?? {};
  if (changed.includes('manifests')) {
    for (const [label, d] of Object.entries(after)) {
      if (!(label in before)) out[quote(label)] = { kind: 'ADD', inputDiff: true };
      else if (before[label] !== d) out[quote(label)] = { kind: 'UPDATE', inputDiff: true };
    }
    for (const label of Object.keys(before)) if (!(label in after)) out[quote(label)] = { kind: 'DELETE', inputDiff: true };
    // Same objects, other text (e.g. a YAML comment or key order): show the input itself.
    if (Object.keys(out).length === 0) out.manifests = { kind: 'UPDATE', inputDiff: true };
  }
  for (const k of ['secretData', 'triggers', 'namespace', 'prune', 'timeouts', 'runNonce'] as const) {
    if (changed.includes(k)) out[k] = { kind: olds[k] === undefined ? 'ADD' : news[k] === undefined ? 'DELETE' : 'UPDATE', inputDiff: true };
  }
  if (changed.includes('lastSync')) out.lastSync = { kind: 'UPDATE', inputDiff: false };
  if (changed.includes('objects')) out.objects = { kind: 'UPDATE', inputDiff: false };
  return out;
}
