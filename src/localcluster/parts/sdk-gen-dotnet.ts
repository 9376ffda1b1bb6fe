/** Part `sdk-gen-dotnet`: the .NET SDK generator (tools/pulumi-sdkgen-dotnet). */
import * as path from 'node:path';
import { goBuild } from '../go-build';
import { ProgressFn } from '../progress';
import { PULUMI_DOTNET_CODEGEN_VERSION } from '../versions';

/**
 * The .NET generator moved from pulumi/pulumi to pulumi-dotnet, which the module proxy does not
 * serve; pkg/v3 PULUMI_DOTNET_CODEGEN_VERSION is the newest served release that still has it, so
 * it is a module of its own (the other generators stay on the toolchain's pulumi version) and a
 * plain command: `pulumi-sdkgen-dotnet <schema.json> <out-dir>`.
 */
export function buildSdkGenDotnet(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'the .NET SDK generator',
    announce: `building the .NET SDK generator (pulumi ${PULUMI_DOTNET_CODEGEN_VERSION} codegen/dotnet) into ${dir}; this happens once and takes a few minutes.`,
    module: 'pulumi-sdkgen-dotnet',
    marker: { pulumi: PULUMI_DOTNET_CODEGEN_VERSION },
  };
  return goBuild(dir, progress, spec, async ({ bin, run }) => {
    const exe = path.join(bin, 'pulumi-sdkgen-dotnet');
    await run('building pulumi-sdkgen-dotnet', ['build', '-trimpath', '-tags', 'osusergo', '-ldflags', '-s -w', '-o', exe, '.']);
  });
}
