#!/usr/bin/env node
// `npm install` hook of this repository (not run for consumers of the published package):
// 1. links node_modules/pulumi-sync-hooks -> .. so the examples, the root Pulumi program and the
//    dynamic provider (which requires the engine by package name) resolve the package itself;
// 2. compiles src/ to dist/.
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
if (fs.existsSync(tsc)) {
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
