/**
 * What the constructs emit is exactly what Argo CD (and src/model's parser) understands:
 * round trips through parseHookInfo, and no annotation outside Argo CD's vocabulary.
 */
import fc from 'fast-check';
import { App } from 'cdk8s';
import {
  ARGO_ANNOTATION_KEYS,
  DELETE_POLICIES,
  DeletePolicy,
  HOOK_PHASES,
  HOOK_TYPES,
  HookPhase,
  isDeletePhase,
  KubeObject,
  parseHookInfo,
  SYNC_OPTIONS,
} from '../../../src/model';
import { HookJob, HookValidationError } from '../../../src/constructs';
import { ShopChart } from '../../../examples/shop/chart';
import { newChart, only } from './_helpers';

const ARGO_PREFIX = 'argocd.argoproj.io/';

/** Problems with the Argo CD annotations of one manifest: unknown keys or invalid values. */
function argoAnnotationProblems(obj: KubeObject): string[] {
  const out: string[] = [];
  const ann = obj.metadata.annotations ?? {};
  const csv = (v: string) => v.split(',');
  for (const [k, v] of Object.entries(ann)) {
    if (k.startsWith('helm.sh/')) out.push(`Helm key ${k}`);
    if (!k.startsWith(ARGO_PREFIX)) continue;
    if (!(ARGO_ANNOTATION_KEYS as readonly string[]).includes(k)) out.push(`unknown key ${k}`);
    const bad = (items: string[], allowed: readonly string[]) => items.filter((i) => !allowed.includes(i));
    if (k === 'argocd.argoproj.io/hook' && bad(csv(v), HOOK_TYPES).length) out.push(`${k}=${v}`);
    if (k === 'argocd.argoproj.io/hook-delete-policy' && bad(csv(v), DELETE_POLICIES).length) out.push(`${k}=${v}`);
    if (k === 'argocd.argoproj.io/sync-wave' && !/^-?\d+$/.test(v)) out.push(`${k}=${v}`);
    if (k === 'argocd.argoproj.io/sync-options' && bad(csv(v), SYNC_OPTIONS).length) out.push(`${k}=${v}`);
  }
  for (const k of Object.keys(obj.spec?.template?.metadata?.annotations ?? {})) {
    if (k.startsWith(ARGO_PREFIX)) out.push(`pod template key ${k}`);
  }
  return out;
}

describe('the seeds scenario (examples/shop, the app `npm start` deploys)', () => {
  const objs: KubeObject[] = new ShopChart(new App(), 'shop').toJson();
  const byName = (n: string) => objs.find((o) => (o.metadata.name ?? o.metadata.generateName) === n)!;

  test('only Argo CD annotation keys with valid values', () => {
    for (const o of objs) expect(argoAnnotationProblems(o)).toEqual([]);
  });

  test('every object parses back to the phases, waves and policies that were set', () => {
    const summary = Object.fromEntries(
      objs.map((o) => {
        const info = parseHookInfo(o);
        expect(info.problems).toEqual([]);
        return [
          `${o.kind}/${o.metadata.name ?? o.metadata.generateName}`,
          { phases: info.phases, wave: info.wave, policies: info.explicitDeletePolicies, keep: info.keepOnDelete, noPrune: info.pruneDisabled },
        ];
      }),
    );
    const none = { keep: false, noPrune: false };
    const kept = { keep: true, noPrune: true };
    const plain = { phases: [], wave: 0, policies: [], ...none };
    expect(summary).toEqual({
      'Namespace/shop': plain,
      'Secret/slack-webhook': { ...plain, wave: -1 },
      'Job/db-migrate': { phases: ['PreSync'], wave: 0, policies: [], ...none },
      'Deployment/web': plain,
      'Service/web': { ...plain, wave: 1 },
      'Namespace/shop-data': { ...plain, ...kept },
      'PersistentVolume/shop-backups': { ...plain, ...kept },
      'PersistentVolumeClaim/shop-backups': { ...plain, ...kept },
      'Job/slack-notification-': { phases: ['PostSync'], wave: 0, policies: ['HookSucceeded'], ...none },
      'Job/cleanup': { phases: ['PostSync'], wave: 5, policies: ['HookFailed'], ...none },
      'Job/failure-alert': { phases: ['SyncFail'], wave: 0, policies: [], ...none },
      'Job/db-backup': { phases: ['PreDelete'], wave: 0, policies: ['HookSucceeded'], ...none },
      'Job/dns-cleanup': { phases: ['PostDelete'], wave: 0, policies: ['HookSucceeded'], ...none },
    });
  });

  test('the notification uses generateName only; hooks and workloads are in their namespaces', () => {
    expect(byName('slack-notification-').metadata).not.toHaveProperty('name');
    const ns = (kind: string, name: string) => objs.find((o) => o.kind === kind && (o.metadata.name ?? o.metadata.generateName) === name)!.metadata.namespace;
    expect(ns('Job', 'db-backup')).toBe('shop-data');
    expect(ns('PersistentVolumeClaim', 'shop-backups')).toBe('shop-data');
    expect(ns('Job', 'dns-cleanup')).toBe('default');
    for (const n of ['db-migrate', 'slack-notification-', 'cleanup', 'failure-alert']) expect(ns('Job', n)).toBe('shop');
    expect(ns('Deployment', 'web')).toBe('shop');
  });
});

describe('properties', () => {
  const phasesArb = fc.oneof(
    fc.shuffledSubarray([...HOOK_PHASES], { minLength: 1 }),
    fc.constant(['Skip'] as const),
  ) as fc.Arbitrary<Array<HookPhase | 'Skip'>>;
  const policiesArb = fc.shuffledSubarray([...DELETE_POLICIES]) as fc.Arbitrary<DeletePolicy[]>;
  const waveArb = fc.option(fc.integer({ min: -1_000_000, max: 1_000_000 }), { nil: undefined });

  test('any valid phase/policy/wave combination round-trips through parseHookInfo', () => {
    fc.assert(
      fc.property(phasesArb, policiesArb, waveArb, fc.boolean(), (phase, policies, wave, useGenerateName) => {
        const chart = newChart();
        const canGenerate = useGenerateName && !phase.some((p) => p !== 'Skip' && isDeletePhase(p));
        const job = new HookJob(chart, 'hook', {
          phase,
          deletePolicy: policies.length ? policies : undefined,
          wave,
          image: 'alpine:3.20',
          ...(canGenerate ? { generateName: 'hook-' } : {}),
        });
        const obj: KubeObject = only(chart);
        expect(argoAnnotationProblems(obj)).toEqual([]);
        const info = parseHookInfo(obj);
        expect(info.problems).toEqual([]);
        expect(info.skip).toBe(phase[0] === 'Skip');
        expect(info.phases).toEqual(phase.filter((p) => p !== 'Skip'));
        expect(info.phases).toEqual(job.phases);
        expect(info.wave).toBe(wave ?? 0);
        expect(info.wave).toBe(job.wave);
        expect(info.explicitDeletePolicies).toEqual(policies);
        expect(info.deletePolicies).toEqual(policies.length ? policies : ['BeforeHookCreation']);
        expect(obj.metadata.name === undefined).toBe(canGenerate);
      }),
      { numRuns: 300 },
    );
  });

  test('any non-integer wave is rejected before synthesis', () => {
    const nonInteger = fc.oneof(
      fc.double({ noDefaultInfinity: false }).filter((d) => !Number.isSafeInteger(d)),
      fc.constantFrom(2 ** 53, -(2 ** 60)),
    );
    fc.assert(
      fc.property(nonInteger, (wave) => {
        const chart = newChart();
        let err: unknown;
        try {
          new HookJob(chart, 'hook', { phase: 'PreSync', image: 'x', wave });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(HookValidationError);
        expect((err as HookValidationError).prop).toBe('wave');
        expect(chart.toJson()).toEqual([]);
      }),
    );
  });
});
