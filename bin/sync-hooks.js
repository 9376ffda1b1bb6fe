#!/usr/bin/env node
'use strict';
// The same minimum as `engines.node` in package.json: @kubernetes/client-node 2.x is ESM-only and
// is loaded with require(esm); its undici declares node >= 22.19.0.
const MIN = [22, 19, 0];
const have = process.versions.node.split('.').map(Number);
const older = have[0] !== MIN[0] ? have[0] < MIN[0] : have[1] !== MIN[1] ? have[1] < MIN[1] : have[2] < MIN[2];
if (older) {
  process.stderr.write(
    `sync-hooks needs Node.js >= ${MIN.join('.')} (this is ${process.version}).\n` +
      'Inside this repository run it through npm (npm exec sync-hooks / npm start), which uses the Node from node_modules/.bin.\n',
  );
  process.exit(1);
}
// Compiled code of the modules loaded below is cached under ~/.cache/pulumi-sync-hooks (best effort).
require('../dist/cli/compile-cache').enableCompileCache();
// dist/cli/bundle.js is the same code as dist/cli/main.js and what it requires, in one file (faster
// to load: scripts/bundle-cli.js); used unless a later build made dist/cli/main.js without it (more
// than a few seconds newer: unpacking a package gives the two files nearly the same time).
const fs = require('node:fs');
const path = require('node:path');
const mtime = (f) => {
  try {
    return fs.statSync(path.join(__dirname, '..', 'dist', 'cli', f)).mtimeMs;
  } catch {
    return -1;
  }
};
require(mtime('bundle.js') >= mtime('main.js') - 5000 ? '../dist/cli/bundle' : '../dist/cli/main')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((e) => {
    process.stderr.write(`sync-hooks: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  });
