import * as path from 'node:path';
import { alternation, childrenCpuMs, findKubectl, startupFigures, StartupResult, timed } from '../../../src/bench/startup';
import { BulkResult } from '../../../src/bench/scenarios';

describe('bench (e): CLI start-up', () => {
  test('kubectl: BENCH_KUBECTL, else the first executable on PATH, else none', () => {
    const exe = new Set([path.join('/b', 'kubectl'), path.join('/c', 'kubectl')]);
    const isExe = (p: string) => exe.has(p);
    expect(findKubectl({ BENCH_KUBECTL: '/x/kubectl', PATH: '/b' }, isExe)).toBe('/x/kubectl');
    expect(findKubectl({ PATH: ['/a', '', '/c', '/b'].join(path.delimiter) }, isExe)).toBe(path.join('/c', 'kubectl'));
    expect(findKubectl({ PATH: '/a' }, isExe)).toBeUndefined();
    expect(findKubectl({}, isExe)).toBeUndefined();
  });

  test('runs alternate which command goes first', () => {
    expect(alternation(3)).toEqual([
      ['kubectl', 'sync'],
      ['sync', 'kubectl'],
      ['kubectl', 'sync'],
    ]);
  });

  test('medians of wall and CPU time; no CPU median when a run has none', () => {
    expect(timed([{ wallMs: 30, cpuMs: 20 }, { wallMs: 10, cpuMs: 10 }, { wallMs: 20, cpuMs: 40 }])).toEqual({ medianMs: 20, runsMs: [30, 10, 20], cpuMedianMs: 20 });
    expect(timed([{ wallMs: 30, cpuMs: 20 }, { wallMs: 10 }])).not.toHaveProperty('cpuMedianMs');
  });

  test("children's CPU time from /proc/self/stat (cutime + cstime, 10 ms ticks), a command name with spaces and parentheses", () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3)); // field k holds k
    fields[16 - 3] = '12';
    fields[17 - 3] = '3';
    expect(childrenCpuMs(`4242 (my (odd) cmd) ${fields.join(' ')}`)).toBe(150);
    expect(childrenCpuMs('')).toBeUndefined();
  });

  const startup = (syncMs: number, kubectlMs: number | undefined, quickMs: number): StartupResult => ({
    runs: 5,
    sync: { medianMs: syncMs, runsMs: [] },
    ...(kubectlMs !== undefined ? { kubectl: { path: 'kubectl', version: 'v1.37.2' }, kubectlApply: { medianMs: kubectlMs, runsMs: [] }, ratio: syncMs / kubectlMs } : {}),
    plan: { medianMs: quickMs, runsMs: [] },
    help: { medianMs: quickMs, runsMs: [] },
    version: { medianMs: quickMs, runsMs: [] },
    nodeBare: { medianMs: 40, runsMs: [] },
  });

  test('figures: sync against kubectl (<= 1.5x), plan/--help/--version (< 150 ms)', () => {
    const met = Object.fromEntries(startupFigures(startup(300, 200, 149), undefined).map((f) => [f.id, f.met]));
    expect(met).toEqual({ 'e.sync': true, 'e.plan': true, 'e.help': true, 'e.version': true });
    const missed = Object.fromEntries(startupFigures(startup(301, 200, 150), undefined).map((f) => [f.id, f.met]));
    expect(missed).toEqual({ 'e.sync': false, 'e.plan': false, 'e.help': false, 'e.version': false });
    const noKubectl = startupFigures(startup(300, undefined, 100), undefined).find((f) => f.id === 'e.sync');
    expect(noKubectl).toMatchObject({ ratio: undefined, met: undefined, baseline: expect.stringContaining('no kubectl') });
  });

  test('figures: memory of (c) as issue 15 states it (RSS before <= 80 MiB, growth <= 40 KiB per object)', () => {
    const c = { objects: 2000, memory: { baselineRssMiB: 70, peakRssMiB: 70 + (2000 * 40) / 1024 } } as unknown as BulkResult;
    expect(startupFigures(undefined, c).map((f) => [f.id, f.measured, f.met])).toEqual([
      ['e.rss', '70.0 MiB', true],
      ['e.growth', '40.0 KiB', true],
    ]);
    const worse = { objects: 2000, memory: { baselineRssMiB: 138, peakRssMiB: 286 } } as unknown as BulkResult;
    expect(startupFigures(undefined, worse).map((f) => [f.id, f.measured, f.met])).toEqual([
      ['e.rss', '138.0 MiB', false],
      ['e.growth', '75.8 KiB', false],
    ]);
  });
});
