/** SyncedChart `retry` (issue 13 item 7): Argo CD's spelling, checked with the field named. */
import { chartRetry } from '../../../src/pulumi/retry';

test('absent: no retry', () => {
  expect(chartRetry(undefined)).toEqual({ problems: [] });
});

test("Argo CD's durations", () => {
  expect(chartRetry({ limit: 2, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } })).toEqual({
    retry: { limit: 2, backoff: { durationMs: 5000, factor: 2, maxDurationMs: 180_000 } },
    problems: [],
  });
  expect(chartRetry({ limit: 1 }).retry).toEqual({ limit: 1 });
});

test('bad values name the field', () => {
  expect(chartRetry({ limit: 1.5 }).problems).toEqual(['retry.limit: must be an integer >= 0, got 1.5']);
  expect(chartRetry({ limit: 1, backoff: { duration: 'soon' } }).problems).toEqual(['retry.backoff.duration: must be a duration such as "5s" or "3m", got "soon"']);
  expect(chartRetry({ limit: 1, backoff: { factor: 0 } }).problems).toEqual(['retry.backoff.factor: must be a number >= 1, got 0']);
});
