#!/usr/bin/env node
// Runs jest under the project's Node (>= 22; `npm install` provides Node 24 in node_modules/.bin)
// with --experimental-vm-modules, which jest needs to require() ESM-only packages such as
// @kubernetes/client-node.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const major = Number(process.versions.node.split('.')[0]);
if (major < 22 || (major === 22 && Number(process.versions.node.split(".")[1]) < 19)) {
  console.error(`sync-hooks needs Node >= 22.19.0 (this is ${process.version}). Run it through npm (npm test), which puts the Node from node_modules/.bin first on PATH.`);
  process.exit(1);
}
const args = process.argv.slice(2);
// Paths and other jest flags first: --selectProjects takes several values and would swallow them.
const jestArgs = args.filter((a) => a !== '--unit-only' && a !== '--integration-only');
if (args.includes('--unit-only')) jestArgs.push('--selectProjects', 'unit');
else if (args.includes('--integration-only')) jestArgs.push('--selectProjects', 'integration');
// jest runs modules in its own registry and can require() an ES module (@kubernetes/client-node 2
// is ESM-only) only on Node >= 24.9; plain Node does it from 22.12. On an older Node (CI's run on
// engines.node's minimum) the suites that load client-node in-process are left out, by name; the
// consumer-project test covers client-node on that Node outside jest (a real pulumi up).
const [maj, min] = process.versions.node.split('.').map(Number);
if (maj < 24 || (maj === 24 && min < 9)) {
  const fs = require('node:fs');
  const loadsClientNode = (text) => /createKubeClient\(|loadKubeConfig\(|jest: loads @kubernetes\/client-node/.test(text);
  const skipped = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts') && loadsClientNode(fs.readFileSync(p, 'utf8'))) skipped.push(p);
    }
  };
  walk(path.join(__dirname, '..', 'test', 'unit'));
  if (skipped.length) {
    console.error(`[run-tests] Node ${process.version}: jest cannot require(esm) before 24.9; leaving out ${skipped.length} suites that load @kubernetes/client-node:`);
    for (const p of skipped) console.error(`  ${path.relative(path.join(__dirname, '..'), p)}`);
    jestArgs.push('--testPathIgnorePatterns', ...skipped.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }
}
const jest = require.resolve('jest/bin/jest');
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim() };
env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${env.PATH}`;
const r = spawnSync(process.execPath, [jest, ...jestArgs], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
