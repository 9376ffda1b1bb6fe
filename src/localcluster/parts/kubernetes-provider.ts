/** Part `kubernetes-provider`: `pulumi-resource-kubernetes` (tools/pulumi-kubernetes). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goBuild } from '../go-build';
import { ProgressFn } from '../progress';
import { PULUMI_KUBERNETES_PROVIDER_MODULE, PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION, PULUMI_KUBERNETES_VERSION } from '../versions';

/**
 * `pulumi-resource-kubernetes` from the provider module. Its upstream main package embeds two files
 * that upstream generates and does not commit (schema-embed.json, terraform-mapping-embed.json), so
 * it cannot be built from the module zip; `tools/pulumi-kubernetes` has the same ten-line main and
 * we generate the two files the way upstream's generate.go does: schema.json with `version` set,
 * terraform-mapping.json re-serialized (minified).
 */
export function buildKubernetesProvider(dir: string, progress: ProgressFn): Promise<void> {
  const module = `${PULUMI_KUBERNETES_PROVIDER_MODULE}@${PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION}`;
  const spec = {
    name: 'pulumi-resource-kubernetes',
    announce:
      `building pulumi-resource-kubernetes ${PULUMI_KUBERNETES_VERSION} (${module}) from the Go module proxy into ${dir}. ` +
      'This happens once and takes about 15 minutes on 2 cores.',
    module: 'pulumi-kubernetes',
    marker: { pulumiKubernetes: PULUMI_KUBERNETES_VERSION, module },
  };
  return goBuild(dir, progress, spec, async ({ src, bin, env, run }) => {
    await run('downloading Go modules', ['mod', 'download']);
    const listed = spawnSync('go', ['list', '-m', '-f', '{{.Dir}}', PULUMI_KUBERNETES_PROVIDER_MODULE], { cwd: src, env, encoding: 'utf8', timeout: 120_000 });
    const moduleDir = listed.status === 0 ? listed.stdout.trim() : '';
    if (!moduleDir) throw new Error(`could not locate ${PULUMI_KUBERNETES_PROVIDER_MODULE} in the module cache (go list -m failed)`);
    const upstream = path.join(moduleDir, 'cmd', 'pulumi-resource-kubernetes');
    const main = path.join(src, 'cmd', 'pulumi-resource-kubernetes');
    const schema = JSON.parse(fs.readFileSync(path.join(upstream, 'schema.json'), 'utf8'));
    schema.version = PULUMI_KUBERNETES_VERSION;
    fs.writeFileSync(path.join(main, 'schema-embed.json'), JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(path.join(upstream, 'terraform-mapping.json'), 'utf8'));
    fs.writeFileSync(path.join(main, 'terraform-mapping-embed.json'), JSON.stringify(mapping));
    const ld = `-s -w -X ${PULUMI_KUBERNETES_PROVIDER_MODULE}/pkg/version.Version=${PULUMI_KUBERNETES_VERSION}`;
    await run('building pulumi-resource-kubernetes', ['build', '-trimpath', '-ldflags', ld, '-o', path.join(bin, 'pulumi-resource-kubernetes'), './cmd/pulumi-resource-kubernetes']);
  });
}
