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
const jest = require.resolve('jest/bin/jest');
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim() };
env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${env.PATH}`;
const r = spawnSync(process.execPath, [jest, ...jestArgs], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
