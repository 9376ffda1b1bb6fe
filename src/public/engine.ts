/**
 * `pulumi-sync-hooks/engine`: for programs that drive the sync engine themselves.
 *
 * Plan (pure): `planSync` / `planTeardown` turn Argo-annotated manifests into ordered steps.
 * Run: `runSync` / `runTeardown` execute a plan through a `KubeClient` (`createKubeClient` for a
 * real cluster, or any implementation of the interface), reporting typed events and throwing
 * typed errors. `syncManifests` / `teardownManifests` add the inventory
 * (what the last sync applied, for prune and teardown) on top.
 */
export * from '../model';
export * from '../plan';
export * from '../health';
export * from '../manifests';
export * from '../engine';
export * from '../runner';
