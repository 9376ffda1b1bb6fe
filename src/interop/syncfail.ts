/**
 * SyncFail for failures of the wrapped `@pulumi/kubernetes` resources.
 *
 * The before/after nodes run SyncFail themselves when their own phase fails (it is part of their
 * engine run). A wrapped resource failing (apply rejected, Deployment not ready in time, Job
 * failed) happens inside the Kubernetes provider, where our engine has no say; the one place
 * Pulumi tells anybody is a resource `onError` hook, which runs in the program process while the
 * failed step is still open. There we start the SyncFail hooks with the engine (same code as a
 * failing sync: env vars, budget, HookFailed cleanup), once per `HookPhases` and program run, and
 * return `false` so Pulumi does not retry and the step fails as it would have.
 */
import type * as pulumi from '@pulumi/pulumi';
import { createKubeClient, EngineEvent, EngineOptions, formatEvent, KubeClient } from '../engine';
import { DEFAULT_SYNC_FAIL_TIMEOUT_MS } from '../engine/constants';
import { FailureInfo } from '../engine/errors';
import { applyDeletePolicies } from '../engine/hooks';
import { Operation, planHash } from '../engine/operation';
import { runSyncFail } from '../engine/syncfail';
import { SyncFailOutcome } from '../engine/types';
import { KubeObject } from '../model';
import { planSync } from '../plan';
import { syncManifests } from '../runner/run';

export interface SyncFailContext {
  kubeconfig?: string;
  namespace?: string;
  /** SyncFail hooks (annotated `SyncFail`). */
  manifests: KubeObject[];
  timeoutMs?: number;
  onEvent?: (e: EngineEvent) => void;
  /** Engine options (poll/resync intervals, log tail...). */
  engine?: EngineOptions;
  /** For tests: a client instead of one made from `kubeconfig`. */
  client?: KubeClient;
}

/** The failed wrapped resource as the engine names objects: `Kind namespace/name`. */
export function failedObject(args: Pick<pulumi.ErrorHookArgs, 'type' | 'name' | 'newInputs' | 'oldInputs' | 'oldOutputs'>): string {
  const kind = args.type.split(':').pop() || args.type;
  const meta = (args.newInputs?.metadata ?? args.oldOutputs?.metadata ?? args.oldInputs?.metadata ?? {}) as { name?: string; namespace?: string };
  const name = typeof meta.name === 'string' ? meta.name : args.name;
  const ns = typeof meta.namespace === 'string' ? `${meta.namespace}/` : '';
  return `${kind} ${ns}${name}`;
}

/** What the engine's SyncFail hooks are told (SYNC_HOOKS_FAILED_PHASE/OBJECT/FAILURE_MESSAGE). */
export function failureOf(args: Pick<pulumi.ErrorHookArgs, 'type' | 'name' | 'newInputs' | 'oldInputs' | 'oldOutputs' | 'failedOperation' | 'errors'>): FailureInfo {
  const error = args.errors[0] ?? `${args.failedOperation} failed`;
  return {
    reason: 'ApplyFailed',
    phase: 'Sync',
    object: failedObject(args),
    detail: `pulumi ${args.failedOperation} of ${args.type} "${args.name}" failed: ${error}`,
  };
}

/** Starts the SyncFail hooks and waits for them (under their own budget); never throws. */
export async function runSyncFailHooks(ctx: SyncFailContext, failure: FailureInfo): Promise<SyncFailOutcome> {
  const tasks = planSync(ctx.manifests, { defaultNamespace: ctx.namespace, prune: false }).syncFail;
  if (!tasks.length) return { ran: false, status: 'NotRun', hooks: [] };
  const client = ctx.client ?? createKubeClient(ctx.kubeconfig || undefined);
  const op = new Operation(client, 'sync', planHash(['interop-syncfail', failure.object, tasks.map((t) => t.id)]), { ...ctx.engine, onEvent: ctx.onEvent });
  try {
    op.start();
    const outcome = await runSyncFail(op, tasks, failure, ctx.timeoutMs ?? DEFAULT_SYNC_FAIL_TIMEOUT_MS);
    // The operation failed: hooks with HookFailed go (Argo CD: operation-level policy).
    await applyDeletePolicies(op, 'sync-failed');
    return outcome;
  } catch (e) {
    return { ran: true, status: 'Failed', hooks: op.hookResults(), message: (e as Error).message };
  } finally {
    op.dispose();
    if (!ctx.client) client.close?.();
  }
}

/** Runs SyncFail at most once; later failures of the same run wait for the first run. */
export class SyncFailOnce {
  private run?: Promise<SyncFailOutcome>;

  constructor(private readonly context: () => Promise<SyncFailContext | undefined>) {}

  trigger(failure: FailureInfo): Promise<SyncFailOutcome> {
    this.run ??= this.context().then((ctx) =>
      ctx ? runSyncFailHooks(ctx, failure) : { ran: false, status: 'NotRun' as const, hooks: [], message: 'no cluster context (preview?)' },
    );
    return this.run;
  }

  get started(): boolean {
    return this.run !== undefined;
  }
}

export function logLine(e: EngineEvent): string {
  return formatEvent(e);
}

export interface PreSyncContext {
  kubeconfig?: string;
  namespace?: string;
  /** The before node's manifests (PreSync, PostDelete, SyncFail): the sync runs PreSync, SyncFail on failure. */
  manifests: KubeObject[];
  timeouts?: { sync?: number; hook?: number; syncFail?: number };
  onEvent?: (e: EngineEvent) => void;
  engine?: EngineOptions;
  client?: KubeClient;
}

/**
 * The before node's sync, run in the program (see HookPhasesArgs.followWrapped): same manifests,
 * same engine, SyncFail on failure; throws the engine's error, which fails the wrapped step.
 */
export async function runPreSyncInProgram(ctx: PreSyncContext): Promise<void> {
  const client = ctx.client ?? createKubeClient(ctx.kubeconfig || undefined);
  const t = ctx.timeouts ?? {};
  try {
    await syncManifests(client, {
      manifests: ctx.manifests,
      namespace: ctx.namespace,
      prune: false,
      allowEmpty: true,
      engine: {
        ...ctx.engine,
        onEvent: ctx.onEvent,
        timeoutMs: (t.sync ?? 1800) * 1000,
        hookTimeoutMs: (t.hook ?? 600) * 1000,
        syncFailTimeoutMs: (t.syncFail ?? 600) * 1000,
      },
    });
  } finally {
    if (!ctx.client) client.close?.();
  }
}
