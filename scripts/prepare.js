#!/usr/bin/env node
// `npm install` hook of this repository (not run for consumers of the published package):
// 1. links node_modules/pulumi-sync-hooks -> .. so the examples, the root Pulumi program and the
//    dynamic provider (which requires the engine by package name) resolve the package itself;
// 2. compiles src/ to dist/. With `--prune` (as `npm pack`/`npm publish` run it), outputs whose
//    source is gone (a file removed or moved) are deleted first, so they cannot end up in the
//    tarball; nothing else in dist/ is touched (tests running at the same time keep working).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const link = path.join(root, 'node_modules', 'pulumi-sync-hooks');
try {
  const st = fs.lstatSync(link);
  if (!st.isSymbolicLink()) fs.rmSync(link, { recursive: true, force: true });
} catch {
  /* absent */
}
if (!fs.existsSync(link)) fs.symlinkSync('..', link, 'dir');

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// Built from dist/ itself (scripts/bundle-cli.js), not from a source file of its own.
const KEEP = new Set([path.join('cli', 'bundle.js')]);
function pruneOrphans(dir, srcDir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const out = path.join(dir, e.name);
    if (e.isDirectory()) {
      const src = path.join(srcDir, e.name);
      if (!fs.existsSync(src)) fs.rmSync(out, { recursive: true, force: true });
      else pruneOrphans(out, src);
      continue;
    }
    if (KEEP.has(path.relative(path.join(root, 'dist'), out))) continue;
    const base = e.name.replace(/(\.d\.ts|\.js|\.js\.map|\.d\.ts\.map)$/, '');
    if (base !== e.name && !fs.existsSync(path.join(srcDir, `${base}.ts`))) fs.rmSync(out, { force: true });
  }
}
if (process.argv.includes('--prune')) pruneOrphans(path.join(root, 'dist'), path.join(root, 'src'));
if (fs.existsSync(tsc)) {
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const b = spawnSync(process.execPath, [path.join(__dirname, 'bundle-cli.js')], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
