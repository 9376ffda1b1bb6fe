import { hookOperationState, isWorse, resourceOperationState, worstHealth } from '../../../src/health';

describe('task state from health (spec §2.5)', () => {
  test.each([
    [undefined, 'Succeeded', 'Succeeded'],
    ['Healthy', 'Succeeded', 'Succeeded'],
    ['Progressing', 'Running', 'Running'],
    ['Suspended', 'Running', 'Running'],
    ['Degraded', 'Failed', 'Failed'],
    ['Unknown', 'Failed', 'Running'],
    ['Missing', 'Failed', 'Running'],
  ] as const)('%s → hook %s, resource %s', (code, hook, resource) => {
    const health = code ? { status: code } : undefined;
    expect(hookOperationState(health)).toBe(hook);
    expect(resourceOperationState(health)).toBe(resource);
  });
});

describe('health ranking', () => {
  test('isWorse follows Healthy < Suspended < Progressing < Missing < Degraded < Unknown', () => {
    expect(isWorse('Degraded', 'Progressing')).toBe(true);
    expect(isWorse('Progressing', 'Degraded')).toBe(false);
    expect(isWorse('Unknown', 'Degraded')).toBe(true);
    expect(isWorse('Suspended', 'Healthy')).toBe(true);
    expect(isWorse('Healthy', 'Healthy')).toBe(false);
  });

  test('worstHealth picks the worst; no check counts as Healthy', () => {
    expect(worstHealth([undefined, { status: 'Progressing', message: 'p' }, { status: 'Healthy' }])).toEqual({ status: 'Progressing', message: 'p' });
    expect(worstHealth([{ status: 'Degraded', message: 'd' }, { status: 'Progressing' }])).toEqual({ status: 'Degraded', message: 'd' });
    expect(worstHealth([undefined])).toEqual({ status: 'Healthy' });
    expect(worstHealth([])).toEqual({ status: 'Healthy' });
  });
});
