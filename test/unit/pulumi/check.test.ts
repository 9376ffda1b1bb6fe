/** SyncedChart's `check`: failures name object and field, never dump manifests or a kubeconfig. */
import { check } from '../../../src/pulumi/runtime';
import { ChartInputs } from '../../../src/pulumi/inputs';
import { KubeObject } from '../../../src/model';

const SECRET = 'hunter2-c4f3b4b3';
const TOKEN = 'tok-88d1c0ffee77';

function chart(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'app' }, stringData: { password: SECRET } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'app', annotations: { 'argocd.argoproj.io/sync-wave': 'one' } },
      data: { a: '1' },
    },
  ];
}

const inputs = (o: Partial<ChartInputs>): ChartInputs => ({ appName: 'app', manifests: chart(), prune: true, runHooks: 'on-change', ...o });

test('a bad manifest: the failure names object and field, is not tied to a property (Pulumi would print its value)', async () => {
  const { failures } = await check({}, inputs({}));
  expect(failures).toHaveLength(1);
  expect(failures![0].property).toBe('');
  expect(failures![0].reason).toMatch(/^ConfigMap app\/cfg: .*sync-wave.*"one"/);
  expect(JSON.stringify(failures)).not.toContain(SECRET);
});

test('a one-line JSON kubeconfig passes check; an unreadable one fails without being quoted', async () => {
  const kc = JSON.stringify({
    apiVersion: 'v1',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'u', user: { token: TOKEN } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  });
  const good = chart().slice(0, 1);
  expect((await check({}, inputs({ manifests: good, kubeconfig: kc }))).failures).toEqual([]);
  const { failures } = await check({}, inputs({ manifests: good, kubeconfig: kc.slice(0, -3) }));
  expect(failures).toEqual([{ property: '', reason: expect.stringMatching(/^kubeconfig JSON text \(\d+ characters\) is not valid JSON/) }]);
  expect(JSON.stringify(failures)).not.toContain(TOKEN);
  const { failures: f2 } = await check({}, inputs({ manifests: good, kubeconfig: TOKEN }));
  expect(f2![0].reason).toMatch(/neither an existing file nor kubeconfig text/);
  expect(JSON.stringify(f2)).not.toContain(TOKEN);
});
