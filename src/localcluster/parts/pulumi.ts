/**
 * Part `pulumi`: the pulumi CLI and its nodejs language host (tools/pulumi), unless a recent enough
 * `pulumi` is on PATH, plus the dynamic-provider shim from @pulumi/pulumi's npm package.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { capture } from '../exec';
import { goBuild } from '../go-build';
import { ProgressFn } from '../progress';
import { MIN_PULUMI_VERSION, PULUMI_VERSION } from '../versions';

export function buildPulumi(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'pulumi',
    announce: `building the pulumi CLI ${PULUMI_VERSION} from the Go module proxy into ${dir}. This happens once and takes 3-6 minutes.`,
    module: 'pulumi',
    marker: { pulumi: PULUMI_VERSION },
  };
  return goBuild(dir, progress, spec, async ({ src, bin, run }) => {
    const ld = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}`;
    await run('building pulumi', ['build', '-trimpath', '-tags', 'osusergo,grpcnotrace', '-ldflags', ld, '-o', path.join(bin, 'pulumi'), 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi']);
    if (fs.existsSync(path.join(src, 'langhost'))) {
      await run('building pulumi-language-nodejs', ['build', '-trimpath', '-ldflags', ld, '-o', path.join(bin, 'pulumi-language-nodejs'), './langhost']);
    }
  });
}

/** The dynamic-provider shim shipped in @pulumi/pulumi's npm package, copied next to the CLI. */
export function installNodejsShim(bin: string): void {
  const pkgDir = path.dirname(require.resolve('@pulumi/pulumi/package.json'));
  const shim = path.join(pkgDir, 'pulumi-resource-pulumi-nodejs');
  const dest = path.join(bin, 'pulumi-resource-pulumi-nodejs');
  fs.mkdirSync(bin, { recursive: true });
  const content = fs.readFileSync(shim);
  if (!fs.existsSync(dest) || !fs.readFileSync(dest).equals(content)) {
    fs.writeFileSync(dest, content, { mode: 0o755 });
  }
}

function versionAtLeast(v: string, min: string): boolean {
  const a = v.replace(/^v/, '').split(/[.-]/).map((x) => Number.parseInt(x, 10));
  const b = min.split('.').map((x) => Number.parseInt(x, 10));
  for (let i = 0; i < 3; i++) {
    if ((a[i] || 0) !== b[i]) return (a[i] || 0) > b[i];
  }
  return true;
}

/** A `pulumi` on PATH that is recent enough, if any (SYNC_HOOKS_BUILD_PULUMI=1 forces our own build). */
export function ambientPulumi(): { path: string; version: string } | undefined {
  if (process.env.SYNC_HOOKS_BUILD_PULUMI === '1') return undefined;
  const which = capture('sh', ['-c', 'command -v pulumi']);
  if (!which) return undefined;
  const version = capture(which, ['version'], { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' });
  if (!version || !versionAtLeast(version, MIN_PULUMI_VERSION)) return undefined;
  return { path: which, version };
}
