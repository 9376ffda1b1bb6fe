/** `sync` flags for the Application-level sync policy (issue 13 items 6, 7). */
import { parseArgs, UsageError } from '../../../src/cli/args';
import { createNamespaceFlag, retryFlags } from '../../../src/cli/sync-flags';

const args = (...a: string[]) => parseArgs(['sync', ...a]);

test('no --retry-limit: no retry (Argo CD: off unless configured)', () => {
  expect(retryFlags(args())).toBeUndefined();
});

test('--retry-limit with backoff durations as Argo CD writes them', () => {
  expect(retryFlags(args('--retry-limit', '3', '--retry-backoff-duration', '2s', '--retry-backoff-factor', '3', '--retry-backoff-max-duration', '1m'))).toEqual({
    limit: 3,
    backoff: { durationMs: 2000, factor: 3, maxDurationMs: 60_000 },
  });
  expect(retryFlags(args('--retry-limit', '1'))).toEqual({ limit: 1 });
});

test('bad values are usage errors naming the flag', () => {
  expect(() => retryFlags(args('--retry-limit', '-1'))).toThrow(/--retry-limit: must be an integer >= 0/);
  expect(() => retryFlags(args('--retry-limit', 'x'))).toThrow(UsageError);
  expect(() => retryFlags(args('--retry-limit', '2', '--retry-backoff-factor', '0.5'))).toThrow(/--retry-backoff-factor: must be a number >= 1/);
  expect(() => retryFlags(args('--retry-backoff-duration', '5s'))).toThrow(/need --retry-limit/);
});

test('--create-namespace', () => {
  expect(createNamespaceFlag(args('--create-namespace'))).toBe(true);
  expect(createNamespaceFlag(args())).toBe(false);
});
