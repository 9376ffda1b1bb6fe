import fc from 'fast-check';
import { flattenSteps, planSync, planTeardown } from '../../../src/plan';
import { formatKey, PlanTask, SYNC_PHASE_ORDER, SyncPhase } from '../../../src/model';
import { build, expectedSyncPhases, previousArb, specsArb } from './arbitraries';

const RUNS = { numRuns: 300 };
const allTasks = (plan: ReturnType<typeof planSync>): PlanTask[] => [...flattenSteps(plan.steps), ...plan.syncFail];
const sorted = (xs: string[]) => [...xs].sort();

describe('planSync properties', () => {
  test('a sync plan is a permutation of its input tasks, with unique ids', () => {
    fc.assert(
      fc.property(specsArb, (specs) => {
        const plan = planSync(specs.map(build));
        const tasks = allTasks(plan);
        const expected = specs.flatMap((s) => expectedSyncPhases(s).map(() => formatKey(planKey(s))));
        expect(sorted(tasks.map((t) => formatKey(t.key)))).toEqual(sorted(expected));
        expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
      }),
      RUNS,
    );
  });

  test('every PreSync task precedes every Sync task, which precedes every PostSync task; waves ascend within a phase', () => {
    fc.assert(
      fc.property(specsArb, previousArb, (specs, prev) => {
        const plan = planSync(specs.map(build), { previous: prev.map(build) });
        const tasks = flattenSteps(plan.steps);
        for (let i = 1; i < tasks.length; i++) {
          const [a, b] = [tasks[i - 1], tasks[i]];
          const dp = SYNC_PHASE_ORDER[a.phase as SyncPhase] - SYNC_PHASE_ORDER[b.phase as SyncPhase];
          expect(dp < 0 || (dp === 0 && a.wave <= b.wave)).toBe(true);
        }
        expect(tasks.every((t) => t.phase !== 'SyncFail')).toBe(true);
        expect(plan.syncFail.every((t) => t.phase === 'SyncFail')).toBe(true);
        const stepKeys = plan.steps.map((s) => `${s.phase}/${s.wave}`);
        expect(new Set(stepKeys).size).toBe(stepKeys.length);
        for (const s of plan.steps) expect(s.tasks.every((t) => t.phase === s.phase && t.wave === s.wave)).toBe(true);
      }),
      RUNS,
    );
  });

  test('a Namespace precedes everything inside it, a CRD every resource of its kind', () => {
    fc.assert(
      fc.property(specsArb, (specs) => {
        const tasks = allTasks(planSync(specs.map(build)));
        tasks.forEach((t, i) => {
          if (t.key.kind === 'Namespace' && tasks.findIndex((u) => u.key.kind === 'Namespace' && u.key.name === t.key.name) === i) {
            const inside = tasks.findIndex((u) => u.key.namespace === t.key.name);
            expect(inside === -1 || inside > i).toBe(true);
          }
          if (t.key.kind === 'CustomResourceDefinition') {
            const crKind = t.object.spec.names.kind;
            const firstCr = tasks.findIndex((u) => u.key.kind === crKind);
            const firstCrd = tasks.findIndex((u) => u.key.kind === 'CustomResourceDefinition' && u.object.spec.names.kind === crKind);
            expect(firstCr === -1 || firstCrd < firstCr).toBe(true);
          }
        });
      }),
      RUNS,
    );
  });

  test('prune order is the reverse of wave order; PruneLast prunes come last in Sync; prunes lead their step', () => {
    fc.assert(
      fc.property(specsArb, previousArb, (specs, prev) => {
        const manifests = specs.map(build);
        const plan = planSync(manifests, { previous: prev.map(build) });
        const tasks = flattenSteps(plan.steps);
        const current = new Set(manifests.map((m) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`));
        const gone = prev.filter((p) => !current.has(`${p.kind}/${p.ns}/${p.name}`));
        const pruneIndex = (p: (typeof prev)[number]) => tasks.findIndex((t) => t.action === 'prune' && t.key.kind === p.kind && t.key.name === p.name && t.key.namespace === p.ns);
        expect(tasks.filter((t) => t.action === 'prune')).toHaveLength(gone.length);
        const normal = gone.filter((p) => !p.pruneLast);
        for (const a of normal) {
          for (const b of normal) {
            if ((a.wave ?? 0) < (b.wave ?? 0)) expect(pruneIndex(a)).toBeGreaterThan(pruneIndex(b));
          }
        }
        const lastSync = Math.max(-1, ...tasks.map((t, i) => (t.phase === 'Sync' ? i : -1)));
        for (const p of gone.filter((g) => g.pruneLast)) {
          const i = pruneIndex(p);
          expect(tasks.slice(i, lastSync + 1).every((t) => t.wave === tasks[i].wave)).toBe(true);
          expect(tasks.filter((t) => t.phase === 'Sync' && t.wave >= tasks[i].wave).every((t) => t.action === 'prune')).toBe(true);
        }
        for (const s of plan.steps) {
          const actions = s.tasks.map((t) => t.action).join(',');
          expect(actions).toMatch(/^(prune,?)*(apply,?)*$/);
        }
      }),
      RUNS,
    );
  });
});

describe('planTeardown properties', () => {
  test('teardown deletes higher waves before lower; every managed object exactly once; Namespaces after their contents', () => {
    fc.assert(
      fc.property(specsArb, (specs) => {
        const plan = planTeardown(specs.map(build));
        const waves = plan.deleteWaves.map((w) => w.wave);
        for (let i = 1; i < waves.length; i++) expect(waves[i]).toBeLessThan(waves[i - 1]);
        const deleted = plan.deleteWaves.flatMap((w) => w.objects.map((o) => ({ o, wave: w.wave })));
        const managed = specs.filter((s) => !s.hook && s.kind !== 'CustomResourceDefinition');
        expect(sorted(deleted.map((d) => `${d.o.kind}/${d.o.metadata.name}/${d.o.metadata.namespace ?? ''}`))).toEqual(
          sorted(managed.map((s) => `${s.kind}/${s.name}/${s.ns}`)),
        );
        for (const d of deleted) {
          const spec = managed.find((s) => s.kind === d.o.kind && s.name === d.o.metadata.name && s.ns === (d.o.metadata.namespace ?? ''))!;
          if (d.o.kind !== 'Namespace') expect(d.wave).toBe(spec.wave ?? 0);
          else {
            const position = deleted.indexOf(d);
            deleted.forEach((x, j) => {
              if (x.o.metadata.namespace === d.o.metadata.name) expect(j).toBeLessThan(position);
            });
          }
        }
        for (const steps of [plan.preDelete, plan.postDelete]) {
          for (let i = 1; i < steps.length; i++) expect(steps[i].wave).toBeGreaterThan(steps[i - 1].wave);
        }
      }),
      RUNS,
    );
  });
});

function planKey(s: { kind: string; name: string; ns: string }) {
  const group = build({ ...s }).apiVersion.includes('/') ? build({ ...s }).apiVersion.split('/')[0] : '';
  return { group, kind: s.kind, namespace: s.ns, name: s.name };
}
