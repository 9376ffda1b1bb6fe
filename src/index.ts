/**
 * pulumi-sync-hooks: Argo CD's sync-hook lifecycle for Pulumi.
 *
 * - constructs: typed cdk8s hook Jobs that synthesize Argo CD-compatible manifests
 * - plan / health: pure planning (phases, waves, kind order) and health assessment
 * - engine: runs a plan against a cluster (watch-driven, SyncFail, delete policies, teardown)
 * - pulumi: the SyncedChart dynamic resource and @pulumi/kubernetes interop
 */
export * from './model';
export * from './constructs';
export * from './plan';
export * from './health';
export * from './manifests';
export * from './engine';
export * from './runner';
export * from './pulumi';
