/**
 * Helpers for the @pulumi/kubernetes interop tests: the real `pulumi-resource-kubernetes` plugin
 * (built from Go modules by the toolchain, put on PATH), a namespace per test, an explicit
 * k8s.Provider on the embedded cluster, and a recorder of what happens in the cluster (watches on
 * Jobs and Deployments), so the tests assert the order observed in the cluster, not in our logs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import { createKubeClient, KubeClient, WatchHandle } from '../../../src/engine';
import { ensureToolchain } from '../../../src/localcluster/toolchain';
import { POD_FAIL_LABEL, POD_RUN_DURATION_ANNOTATION } from '../../../src/localcluster';
import { KubeObject } from '../../../src/model';
import { kubeconfigPath, uniqueName } from '../helpers/kube';
import { TestStack, testStack } from '../helpers/pulumi';

/** Builds (once, cached) or finds the provider plugin; cold build is ~15 minutes. */
export async function kubernetesProviderBin(): Promise<string> {
  const tc = await ensureToolchain({ parts: ['kubernetes-provider'] });
  if (!tc.kubernetesProviderBinDir) throw new Error('toolchain did not return the kubernetes provider');
  return tc.kubernetesProviderBinDir;
}

/** A stack whose pulumi CLI finds pulumi-resource-kubernetes on PATH (ambient plugins win). */
export async function interopStack(program: automation.PulumiFn, providerBin: string): Promise<TestStack> {
  const pulumi = process.env.SYNC_HOOKS_PULUMI ?? '';
  const PATH = [path.dirname(process.execPath), providerBin, process.env.SYNC_HOOKS_PULUMI_BIN ?? '', path.dirname(pulumi), process.env.PATH ?? ''].join(path.delimiter);
  return testStack(program, { project: 'synchooksinterop', envVars: { PATH, PULUMI_K8S_SUPPRESS_HELM_HOOK_WARNINGS: 'true' } });
}

export function kubeconfigText(): string {
  return fs.readFileSync(kubeconfigPath(), 'utf8');
}

export function client(): KubeClient {
  return createKubeClient(kubeconfigPath());
}

export async function withNamespace(c: KubeClient, prefix: string): Promise<{ ns: string; cleanup: () => Promise<void> }> {
  const ns = uniqueName(prefix);
  await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  return {
    ns,
    cleanup: async () => {
      await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }, { propagationPolicy: 'Background' }).catch(() => undefined);
    },
  };
}

export interface JobOpts {
  annotations?: Record<string, string>;
  duration?: string;
  fail?: boolean;
}

export function job(ns: string, name: string, o: JobOpts = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns, annotations: o.annotations ?? {} },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { annotations: { [POD_RUN_DURATION_ANNOTATION]: o.duration ?? '300ms' }, labels: o.fail ? { [POD_FAIL_LABEL]: 'true' } : {} },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] },
      },
    },
  };
}

export const argoHook = (phase: string, extra: Record<string, string> = {}) => ({ 'argocd.argoproj.io/hook': phase, ...extra });

export interface Observed {
  seq: number;
  at: number;
  kind: string;
  name: string;
  what: 'created' | 'complete' | 'failed' | 'ready' | 'updated' | 'deleting' | 'deleted';
}

function jobState(o: KubeObject): Observed['what'] | undefined {
  const conds: Array<{ type: string; status: string }> = o.status?.conditions ?? [];
  if (conds.some((c) => c.type === 'Complete' && c.status === 'True')) return 'complete';
  if (conds.some((c) => c.type === 'Failed' && c.status === 'True')) return 'failed';
  return undefined;
}

function deploymentReady(o: KubeObject): boolean {
  const want = o.spec?.replicas ?? 1;
  return (o.status?.observedGeneration ?? 0) >= (o.metadata.generation ?? 0) && (o.status?.readyReplicas ?? 0) >= want && (o.status?.updatedReplicas ?? 0) >= want;
}

/** Records, in order, when Jobs and Deployments of a namespace are created, finish, get ready, are deleted. */
export class ClusterRecorder {
  readonly events: Observed[] = [];
  private readonly seen = new Set<string>();
  private readonly watches: WatchHandle[] = [];
  private seq = 0;
  private stopped = false;
  /** Per kind, the objects the current watch has seen alive (uid → object). */
  private readonly known = new Map<string, Map<string, KubeObject>>();

  constructor(
    private readonly c: KubeClient,
    private readonly ns: string,
  ) {}

  private note(kind: string, o: KubeObject, what: Observed['what'], gen = ''): void {
    const id = `${kind}/${o.metadata.name}/${o.metadata.uid}/${what}/${gen}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.events.push({ seq: this.seq++, at: Date.now(), kind, name: o.metadata.name ?? '', what });
  }

  start(): this {
    for (const [apiVersion, kind] of [
      ['batch/v1', 'Job'],
      ['apps/v1', 'Deployment'],
    ] as const) {
      this.open(apiVersion, kind);
    }
    return this;
  }

  /**
   * One watch per kind, re-opened whenever it ends (the API server or a loaded machine can end a
   * watch at any time). A re-opened watch starts with the objects that exist: those seen before and
   * now gone were deleted in between, and are recorded as deleted once it is established.
   */
  private open(apiVersion: string, kind: string): void {
    if (this.stopped) return;
    const live = new Map<string, KubeObject>();
    const onEvent = (type: string, o: KubeObject) => {
      const uid = o.metadata.uid ?? o.metadata.name ?? '';
      if (type === 'DELETED') {
        live.delete(uid);
        return this.note(kind, o, 'deleted');
      }
      live.set(uid, o);
      this.note(kind, o, 'created');
      if (o.metadata.deletionTimestamp) this.note(kind, o, 'deleting');
      if (kind === 'Job') {
        const s = jobState(o);
        if (s) this.note(kind, o, s);
      } else {
        const gen = o.metadata.generation ?? 1;
        if (gen > 1) this.note(kind, o, 'updated', String(gen));
        if (deploymentReady(o)) this.note(kind, o, 'ready', String(gen));
      }
    };
    const previous = this.known.get(kind) ?? new Map<string, KubeObject>();
    this.known.set(kind, live);
    const onOpen = () => {
      void this.c
        .list({ apiVersion, kind, namespace: this.ns })
        .then((items) => {
          const now = new Set(items.map((o) => o.metadata.uid));
          for (const [uid, o] of previous) if (!now.has(uid) && !live.has(uid)) this.note(kind, o, 'deleted');
        })
        .catch(() => undefined);
    };
    const handle = this.c.watch({ apiVersion, kind, namespace: this.ns }, onEvent, () => this.open(apiVersion, kind), onOpen);
    this.watches.push(handle);
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watches) w.stop();
  }

  /** Index of the first event matching at or after `from`; -1 when none. */
  index(kind: string, name: string, what: Observed['what'], from = 0): number {
    return this.events.findIndex((e, i) => i >= from && e.kind === kind && e.name === name && e.what === what);
  }

  /** Like index, but throws with the timeline when missing. */
  at(kind: string, name: string, what: Observed['what'], from = 0): number {
    const i = this.index(kind, name, what, from);
    if (i < 0) throw new Error(`no "${what}" for ${kind} ${name} in the cluster timeline:\n${this.render()}`);
    return i;
  }

  render(): string {
    const t0 = this.events[0]?.at ?? 0;
    return this.events.map((e) => `  +${e.at - t0}ms ${e.kind} ${e.name} ${e.what}`).join('\n');
  }

  /** Asserts `a` happened before `b` (both must have happened, at or after `from`). */
  before(a: [string, string, Observed['what']], b: [string, string, Observed['what']], from = 0): void {
    const ia = this.at(...a, from);
    const ib = this.at(...b, from);
    if (!(ia < ib)) throw new Error(`expected ${a.join(' ')} before ${b.join(' ')}, observed:\n${this.render()}`);
  }

  /** Waits until the recorder has caught up with an event (watches are asynchronous). */
  async waitFor(kind: string, name: string, what: Observed['what'], from = 0, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.index(kind, name, what, from) < 0) {
      if (Date.now() > deadline) throw new Error(`recorder never saw ${kind} ${name} ${what}:\n${this.render()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Collects output lines; with SYNC_HOOKS_TRACE_FILE set, also appends them to that file as they come. */
export function sink(lines: string[]): (line: string) => void {
  const file = process.env.SYNC_HOOKS_TRACE_FILE;
  return (line: string) => {
    lines.push(line);
    if (file) fs.appendFileSync(file, line);
  };
}

/**
 * Runs a test body against a stack: on failure prints the cluster timeline and Pulumi's output;
 * always stops the recorder, removes the stack and cleans up the namespace.
 */
export async function observe(
  s: { rec: ClusterRecorder; out: string[]; t: TestStack; c: KubeClient; cleanup: () => Promise<void> },
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (e) {
    console.log(`cluster timeline:\n${s.rec.render()}\npulumi output:\n${s.out.join('')}`);
    throw e;
  } finally {
    if (process.env.SYNC_HOOKS_SHOW_TIMELINE) console.log(`cluster timeline:\n${s.rec.render()}`);
    s.rec.stop();
    await removeStack(s.t);
    await s.cleanup();
    s.c.close?.();
  }
}

export async function removeStack(t: TestStack): Promise<void> {
  await t.stack.workspace.removeStack(t.stack.name, { force: true }).catch(() => undefined);
  await t.cleanup();
}
