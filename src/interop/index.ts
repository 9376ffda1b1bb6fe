/**
 * Interop with `@pulumi/kubernetes`: Argo CD hook phases around resources a Pulumi program already
 * manages (`HookPhases`), and Helm charts whose hooks run through the engine (`HookedChart`).
 * See docs/kubernetes-interop.md.
 */
export * from './split';
export * from './helm';
export * from './syncfail';
export * from './hook-phases';
export * from './hooked-chart';
