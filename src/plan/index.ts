/** Pure planning: manifests → ordered sync and teardown plans (spec §2, §1.4). */
export { KIND_ORDER, kindRank } from './kind-order';
export { BUILTIN_CLUSTER_SCOPED, namespaceDefaulter, scopeResolver } from './scope';
export type { ScopeResolver } from './scope';
export { compareTasks, sortTasks } from './sort';
export { flattenSteps, groupSteps } from './steps';
export { reverseWaves } from './prune';
export { autoNamespace, planSync } from './sync-plan';
export type { PlanSyncOptions } from './sync-plan';
export { planTeardown } from './teardown-plan';
export type { PlanTeardownOptions } from './teardown-plan';
export { formatPlan, formatTeardownPlan } from './format';
