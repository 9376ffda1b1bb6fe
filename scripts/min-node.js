#!/usr/bin/env node
// Provisions the oldest Node.js the package supports (engines.node in package.json) from the npm
// registry's `node` package into the toolchain cache, once, and prints the path of its `node`.
// CI runs the unit tests and the consumer-project test on it, beside the Node 24 of devDependencies.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

function minimumVersion() {
  const range = require('../package.json').engines.node;
  const m = /^>=\s*(\d+\.\d+\.\d+)$/.exec(range);
  if (!m) throw new Error(`engines.node must be ">=X.Y.Z", got ${range}`);
  return m[1];
}

function cacheRoot() {
  if (process.env.SYNC_HOOKS_CACHE_DIR) return process.env.SYNC_HOOKS_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'pulumi-sync-hooks');
}

function minNode() {
  const version = minimumVersion();
  const prefix = path.join(cacheRoot(), `node-${version}`);
  const bin = path.join(prefix, 'node_modules', 'node', 'bin', 'node');
  const ok = () => fs.existsSync(bin) && spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim() === `v${version}`;
  if (!ok()) {
    process.stderr.write(`[sync-hooks] installing Node.js ${version} (npm package node@${version}) into ${prefix}, once\n`);
    fs.mkdirSync(prefix, { recursive: true });
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', prefix, `node@${version}`], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 || !ok()) throw new Error(`could not install node@${version} into ${prefix}`);
  }
  return bin;
}

module.exports = { minNode, minimumVersion };
if (require.main === module) process.stdout.write(`${minNode()}\n`);
