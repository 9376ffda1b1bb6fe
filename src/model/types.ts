/** Types shared by plan/, health/, engine/ and the front ends (CLI, Pulumi provider). */
import { DeletePhase, DeletePolicy, SyncPhase } from './annotations';
import { KubeObject, ResourceKey } from './resource';

export type HealthStatusCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

export interface HealthStatus {
  status: HealthStatusCode;
  message?: string;
}

/** What a task does to its object. */
export type TaskAction = 'apply' | 'prune';

/** One unit of work of a sync: an object in one phase (multi-phase hooks yield one task per phase). */
export interface PlanTask {
  /** Unique within a plan: `<phase>:<group/kind/namespace/name>` (prune tasks: `prune:<key>`). */
  id: string;
  phase: SyncPhase | DeletePhase;
  wave: number;
  action: TaskAction;
  isHook: boolean;
  key: ResourceKey;
  /** The manifest to apply (target state), or the live/last-applied object for a prune. */
  object: KubeObject;
  /** Effective delete policies for hooks (Argo default BeforeHookCreation); empty for non-hooks. */
  deletePolicies: DeletePolicy[];
  /** Set when the hook uses metadata.generateName (name is made per operation). */
  generateName?: string;
}

/** Tasks sharing one (phase, wave): applied together, gated together. */
export interface PlanStep {
  phase: SyncPhase | DeletePhase;
  wave: number;
  tasks: PlanTask[];
}

export interface PlanWarning {
  key?: ResourceKey;
  message: string;
}

export interface SyncPlan {
  /** PreSync → Sync → PostSync steps in execution order (prunes included in their waves). */
  steps: PlanStep[];
  /** SyncFail hooks, sorted; run only when the operation fails. */
  syncFail: PlanTask[];
  /** Objects left out (Skip, unsupported Helm hooks, delete-only hooks) with the reason. */
  warnings: PlanWarning[];
}

/** A group of managed objects deleted together during teardown (highest wave first). */
export interface DeleteWave {
  wave: number;
  objects: KubeObject[];
}

export interface TeardownPlan {
  preDelete: PlanStep[];
  deleteWaves: DeleteWave[];
  postDelete: PlanStep[];
  /** Objects kept on teardown (Delete=false, helm.sh/resource-policy: keep, CRDs) with the reason. */
  kept: Array<{ key: ResourceKey; reason: string }>;
  warnings: PlanWarning[];
}
