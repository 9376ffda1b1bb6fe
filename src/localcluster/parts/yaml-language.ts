/** Part `yaml-language`: `pulumi-language-yaml` (tools/pulumi-yaml). */
import * as path from 'node:path';
import { goBuild } from '../go-build';
import { ProgressFn } from '../progress';
import { PULUMI_YAML_VERSION } from '../versions';

/**
 * `pulumi-language-yaml` from github.com/pulumi/pulumi-yaml v1.25.0, with the pulumi pkg/sdk it
 * requires (v3.206.0; it does not compile against the CLI's v3.259.0), so it costs about as much as
 * the CLI build: only tests that run YAML programs ask for it.
 */
export function buildYamlLanguage(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'pulumi-language-yaml',
    announce: `building pulumi-language-yaml ${PULUMI_YAML_VERSION} from the Go module proxy into ${dir}; this happens once and takes about as long as the pulumi CLI build.`,
    module: 'pulumi-yaml',
    marker: { pulumiYaml: PULUMI_YAML_VERSION },
  };
  return goBuild(dir, progress, spec, async ({ bin, run }) => {
    const ld = `-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=${PULUMI_YAML_VERSION}`;
    await run('building pulumi-language-yaml', [
      'build', '-trimpath', '-tags', 'osusergo,grpcnotrace', '-ldflags', ld, '-o', path.join(bin, 'pulumi-language-yaml'), 'github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml',
    ]);
  });
}
