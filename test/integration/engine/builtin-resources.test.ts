/**
 * The client's table of built-in kinds (no discovery request for them) must say what the API
 * server's own discovery says: the same resource name and scope for every entry.
 */
import * as https from 'node:https';
import { builtinResources } from '../../../src/engine/builtin-resources';
import { kubeConfig } from '../helpers/kube';

/** GET as JSON with Node's https and client-node's TLS and credentials (not the engine's client). */
function getJson(url: string, opts: https.RequestOptions): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, opts, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      })
      .on('error', reject);
  });
}

test('every built-in kind of the table is served under that resource name and scope', async () => {
  const kc = kubeConfig();
  const server = kc.getCurrentCluster()!.server;
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const byVersion = new Map<string, Array<{ name: string; kind: string; namespaced: boolean }>>();
  const table = builtinResources();
  expect(table.length).toBeGreaterThan(30);
  for (const [apiVersion] of table) {
    if (byVersion.has(apiVersion)) continue;
    const path = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
    const res = await getJson(server + path, opts);
    expect(res.status).toBe(200);
    byVersion.set(apiVersion, res.body.resources);
  }
  const mismatches = table
    .map(([apiVersion, r]) => {
      const live = byVersion.get(apiVersion)!.find((x) => x.kind === r.kind && !x.name.includes('/'));
      return live && live.name === r.name && live.namespaced === r.namespaced ? undefined : `${apiVersion} ${r.kind}: table ${r.name}/${r.namespaced}, server ${live ? `${live.name}/${live.namespaced}` : 'not served'}`;
    })
    .filter(Boolean);
  expect(mismatches).toEqual([]);
});
