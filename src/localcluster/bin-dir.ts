/**
 * The bin dir of this package: the directory `sync-hooks toolchain --json` reports as `binDir`,
 * holding links to pulumi and its plugins and a `pulumi-resource-sync-hooks` of this checkout.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot } from './versions';

/** Root of this package (holds package.json, bin/, dist/). */
function packageRoot(): string {
  return path.resolve(__dirname, '..', '..');
}

export function linkOrReplace(target: string, link: string): void {
  try {
    if (fs.readlinkSync(link) === target) return;
  } catch {
    /* absent or not a link */
  }
  const tmp = `${link}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.symlinkSync(target, tmp);
  fs.renameSync(tmp, link);
}

function writeIfChanged(file: string, content: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o755 });
  fs.renameSync(tmp, file);
}

/**
 * The bin dir of this package: links to pulumi and its plugins, and a `pulumi-resource-sync-hooks`
 * that runs this checkout's provider with the Node running us (>= 22). One per package root, so
 * two checkouts (or an installed package next to a source tree) never run each other's provider.
 */
export function installPackageBinDir(pulumi: string, pluginDirs: string[]): string {
  const root = packageRoot();
  const id = crypto.createHash('sha256').update(root).digest('hex').slice(0, 12);
  const bin = path.join(cacheRoot(), 'bin', id, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  linkOrReplace(pulumi, path.join(bin, 'pulumi'));
  for (const dir of pluginDirs) {
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      if (/^pulumi-(language|resource)-/.test(f) && !f.endsWith('.tmp')) linkOrReplace(path.join(dir, f), path.join(bin, f));
    }
  }
  const launcher = path.join(root, 'bin', 'pulumi-resource-sync-hooks');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeIfChanged(
    path.join(bin, 'pulumi-resource-sync-hooks'),
    `#!/bin/sh\n# SyncedChart provider plugin of ${root} (written by \`sync-hooks toolchain\`).\nexec ${q(process.execPath)} ${q(launcher)} "$@"\n`,
  );
  fs.writeFileSync(path.join(bin, '..', 'package-root'), `${root}\n`);
  return bin;
}
