/** `pulumi-sync-hooks/pulumi`: the `SyncedChart` resource and its input/output types. */
export { SyncedChart } from './synced-chart';
export type { ChartLike, SyncedChartArgs } from './synced-chart';
export type { ChartTimeouts, HookSummary, LastSync, RunHooks } from './inputs';
