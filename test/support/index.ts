/**
 * Test doubles for unit tests of the engine and the front ends built on it (test-only: not part
 * of the published package).
 *
 * `FakeKubeClient` is an in-memory cluster behind the engine's `KubeClient` interface, with
 * scripted controllers (`completeJob`, `failJob`, …) so engine logic can be unit-tested without a
 * cluster. It is not a Kubernetes API server: integration tests belong on a real one.
 */
export { FakeKubeClient, matches } from './fake-client';
export type { FakeLogEntry, FakeMatch, FakeVerb, Reaction } from './fake-client';
export * from './fake-reactions';
