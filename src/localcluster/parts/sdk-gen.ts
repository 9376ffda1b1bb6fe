/** Part `sdk-gen`: code-generation-only language hosts for `pulumi package gen-sdk` (tools/pulumi-sdkgen). */
import * as path from 'node:path';
import { linkOrReplace } from '../bin-dir';
import { goBuild } from '../go-build';
import { ProgressFn } from '../progress';
import { PULUMI_VERSION } from '../versions';

/**
 * `pulumi package gen-sdk` asks the target language's host to generate the SDK; the upstream hosts
 * are not served by the module proxy. tools/pulumi-sdkgen links pkg/v3's generators into one
 * codegen-only host, linked here as pulumi-language-nodejs, -python and -go.
 */
export function buildSdkGen(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'the SDK generators',
    announce: `building code-generation-only language hosts (pulumi ${PULUMI_VERSION} codegen) into ${dir}; this happens once and takes about as long as the pulumi CLI build.`,
    module: 'pulumi-sdkgen',
    marker: { pulumi: PULUMI_VERSION },
  };
  return goBuild(dir, progress, spec, async ({ bin, run }) => {
    const exe = path.join(bin, 'pulumi-sdkgen-host');
    const ld = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}`;
    await run('building pulumi-sdkgen-host', ['build', '-trimpath', '-tags', 'osusergo,grpcnotrace', '-ldflags', ld, '-o', exe, '.']);
    for (const lang of ['nodejs', 'python', 'go']) linkOrReplace('pulumi-sdkgen-host', path.join(bin, `pulumi-language-${lang}`));
  });
}
