import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parseHookInfo } from '../../../src/model';
import { HookJob, markSkip, setSyncOptions, setSyncWave } from '../../../src/constructs';
import { newChart, only, validationError } from './_helpers';

function configMap(scope: Construct, annotations?: Record<string, string>) {
  return new ApiObject(scope, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', annotations }, data: { a: '1' } });
}

describe('setSyncWave', () => {
  test('writes the wave as a string; negative waves allowed', () => {
    const chart = newChart();
    setSyncWave(configMap(chart), -2);
    expect(only(chart).metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-2' });
    expect(parseHookInfo(only(chart)).wave).toBe(-2);
  });

  test('works through a construct whose default child is an ApiObject', () => {
    const chart = newChart();
    const wrapper = new Construct(chart, 'app');
    new ApiObject(wrapper, 'Resource', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } });
    setSyncWave(wrapper, 3);
    expect(only(chart).metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '3' });
  });

  test('rejects a non-integer, naming the object', () => {
    const chart = newChart();
    const err = validationError(() => setSyncWave(configMap(chart), 1.5));
    expect(err.message).toBe('[test/cm] wave: must be an integer, got 1.5');
    expect(only(chart).metadata).not.toHaveProperty('annotations');
  });

  test('rejects hook constructs (their wave is a prop)', () => {
    const job = new HookJob(newChart(), 'j', { phase: 'PreSync', image: 'x' });
    expect(validationError(() => setSyncWave(job, 1)).message).toBe(
      "[test/j] wave: set the 'wave' prop of the hook construct instead of setSyncWave()",
    );
  });
});

describe('markSkip', () => {
  test('writes hook: Skip, which the parser reads as skipped', () => {
    const chart = newChart();
    markSkip(configMap(chart));
    expect(only(chart).metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'Skip' });
    const info = parseHookInfo(only(chart));
    expect(info.skip).toBe(true);
    expect(info.problems).toEqual([]);
  });

  test('refuses to combine Skip with an existing hook phase', () => {
    const chart = newChart();
    const cm = configMap(chart, { 'argocd.argoproj.io/hook': 'PreSync' });
    expect(validationError(() => markSkip(cm)).message).toBe(
      "[test/cm] phase: 'Skip' cannot be combined with another phase (the object is already a PreSync hook)",
    );
    expect(only(chart).metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PreSync' });
  });

  test('is idempotent', () => {
    const chart = newChart();
    const cm = configMap(chart);
    markSkip(cm);
    markSkip(cm);
    expect(only(chart).metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'Skip' });
  });

  test('rejects hook constructs', () => {
    const job = new HookJob(newChart(), 'j', { phase: 'PreSync', image: 'x' });
    expect(validationError(() => markSkip(job)).message).toBe("[test/j] phase: set phase: 'Skip' on the hook construct instead of markSkip()");
  });
});

describe('setSyncOptions', () => {
  test('writes Prune=false,Delete=false,PruneLast=true', () => {
    const chart = newChart();
    setSyncOptions(configMap(chart), { prune: false, delete: false, pruneLast: true });
    expect(only(chart).metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false,PruneLast=true' });
    const info = parseHookInfo(only(chart));
    expect([info.pruneDisabled, info.keepOnDelete, info.pruneLast]).toEqual([true, true, true]);
  });

  test("Argo CD's defaults write nothing", () => {
    const chart = newChart();
    setSyncOptions(configMap(chart), { prune: true, delete: true, pruneLast: false });
    expect(only(chart).metadata).not.toHaveProperty('annotations');
  });

  test('merges with options already set, in a stable order; setting a default back removes it', () => {
    const chart = newChart();
    const cm = configMap(chart, { 'argocd.argoproj.io/sync-options': 'PruneLast=true' });
    setSyncOptions(cm, { prune: false });
    expect(only(chart).metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,PruneLast=true');
    setSyncOptions(cm, { pruneLast: false });
    expect(only(chart).metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false');
    setSyncOptions(cm, { prune: true });
    expect(only(chart).metadata).not.toHaveProperty('annotations');
  });

  test('keeps options written by hand that it does not manage', () => {
    const chart = newChart();
    const cm = configMap(chart, { 'argocd.argoproj.io/sync-options': 'Replace=true' });
    setSyncOptions(cm, { delete: false });
    expect(only(chart).metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Delete=false,Replace=true');
  });

  test('rejects unknown options and non-booleans', () => {
    const chart = newChart();
    const err = validationError(() => setSyncOptions(configMap(chart), { prune: 'false', replace: true } as never));
    expect(err.message).toBe(['[test/cm] prune: must be a boolean, got "false"', '[test/cm] replace: unknown sync option (expected prune, delete, pruneLast)'].join('\n'));
  });
});
