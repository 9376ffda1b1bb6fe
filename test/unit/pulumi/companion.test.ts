/** The SyncedChartApp companion: when its delete tears down, and how the chart's options carry over. */
import { companionAction } from '../../../src/pulumi/companion-runtime';
import { companionAliases, companionOptions, COMPANION_TYPE_TOKEN } from '../../../src/pulumi/companion';

const rec = (kind: string, status: string) => ({ operation: { kind, status } });

test('tears down only what the chart could not: an interrupted or failed operation, never after a succeeded sync', () => {
  expect(companionAction(undefined)).toMatchObject({ teardown: false });
  expect(companionAction(rec('sync', 'Succeeded'))).toMatchObject({ teardown: false, why: expect.stringContaining('the last sync succeeded') });
  expect(companionAction(rec('sync', 'Running'))).toMatchObject({ teardown: true, why: 'its last sync was interrupted and the chart did not tear it down' });
  expect(companionAction(rec('sync', 'Failed'))).toMatchObject({ teardown: true });
  expect(companionAction(rec('teardown', 'Running'))).toMatchObject({ teardown: true });
  expect(companionAction(rec('teardown', 'Failed'))).toMatchObject({ teardown: true });
});

test('keeps the chart\'s lifetime options (a retained chart keeps a retained companion) and rewrites its aliases to the companion\'s type', () => {
  const o = companionOptions({ retainOnDelete: true, protect: true, aliases: ['urn:pulumi:s::p::pulumi-nodejs:dynamic/sync-hooks:SyncedChart::old', { name: 'old' }, { name: 'x', type: 'pulumi-nodejs:dynamic/sync-hooks:SyncedChart' }] });
  expect(o).toMatchObject({ retainOnDelete: true, protect: true });
  expect(o.aliases).toEqual([`urn:pulumi:s::p::${COMPANION_TYPE_TOKEN}::old`, { name: 'old' }, { name: 'x', type: COMPANION_TYPE_TOKEN }]);
  expect(companionAliases(undefined)).toBeUndefined();
  expect(companionOptions(undefined)).toEqual({ additionalSecretOutputs: ['kubeconfig'] });
});
