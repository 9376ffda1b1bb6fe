/**
 * pulumi-sync-hooks: Argo CD's sync-hook lifecycle for Pulumi.
 *
 * The package root is what a Pulumi program needs: the cdk8s hook constructs and `SyncedChart`.
 * Everything else has its own entry point, loaded only by those who use it:
 *
 * - `pulumi-sync-hooks/constructs`: the constructs alone (no Pulumi, no engine);
 * - `pulumi-sync-hooks/pulumi`: `SyncedChart` and its types;
 * - `pulumi-sync-hooks/interop`: `HookPhases` / `HookedChart` around `@pulumi/kubernetes` resources;
 * - `pulumi-sync-hooks/engine`: the planner and sync engine, for programs that drive it directly;
 * - `pulumi-sync-hooks/cli`: the `sync-hooks` command line as a function.
 */
export * from './constructs';
export * from './pulumi';
