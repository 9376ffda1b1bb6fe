/**
 * How the engine treats the REST layer's typed errors and what it gives the REST layer to work
 * with: 401/403 while waiting surface at once; every hook carries its operation label.
 */
import { KubeAuthError, ObjectRef, runSync } from '../../../src/engine';
import { FakeKubeClient } from '../../support';
import { KubeObject, LABEL_OPERATION, operationLabelValue } from '../../../src/model';
import { planSync } from '../../../src/plan';
import { NS, configMap, fast, job, namespace } from './_helpers';

/** A fake whose GETs of Jobs are refused (403) once a Job exists: RBAC that allows create but not get. */
class ForbiddenReads extends FakeKubeClient {
  deny = false;
  override async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    if (this.deny && ref.kind === 'Job') {
      throw new KubeAuthError(403, 'Forbidden', 'get', `Job ${ref.namespace}/${ref.name}`, 'deployer', `jobs.batch "${ref.name}" is forbidden`);
    }
    return super.get(ref);
  }
}

test('a 403 while waiting on a hook fails the sync at once, naming verb, object and user (not a timeout later)', async () => {
  const fake = new ForbiddenReads();
  fake.seed(namespace(NS));
  fake.watchesBroken = true; // the wait learns only by reading
  fake.react({ kind: 'Job' }, (_live, f) => void ((f as ForbiddenReads).deny = true)); // never completes
  const plan = planSync([job('migrate', { phase: 'PreSync' }), configMap('app')], { defaultNamespace: NS });
  const t0 = Date.now();
  const err = await runSync(fake, plan, { ...fast, hookTimeoutMs: 20_000 }).catch((e) => e);
  expect(err.name).toBe('SyncFailedError');
  expect(err.reason).toBe('ApplyFailed');
  expect(err.detail).toBe('forbidden (403): kubeconfig user "deployer" may not get Job app/migrate: jobs.batch "migrate" is forbidden');
  expect(Date.now() - t0).toBeLessThan(15_000);
  expect(fake.entries('apply', 'ConfigMap')).toHaveLength(0);
  fake.dispose();
});

test('every hook carries the operation label (how an ambiguous create is found again)', async () => {
  const fake = new FakeKubeClient();
  fake.seed(namespace(NS));
  const plan = planSync([job('seed', { phase: 'PreSync', generateName: true }), job('smoke', { phase: 'PostSync' })], { defaultNamespace: NS });
  const r = await runSync(fake, plan, { ...fast, operationId: 'op:Ä/1234' });
  const sent = [...fake.entries('create'), ...fake.entries('apply', 'Job')].map((e) => (e.detail as KubeObject).metadata.labels?.[LABEL_OPERATION]);
  expect(sent).toEqual(['op---1234', 'op---1234']);
  expect(r.hooks).toHaveLength(2);
  expect(operationLabelValue('x'.repeat(80))).toHaveLength(63);
  expect(operationLabelValue('-a.b_c-')).toBe('a.b_c');
  fake.dispose();
});
