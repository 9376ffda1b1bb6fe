#!/usr/bin/env node
'use strict';
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `sync-hooks needs Node.js >= 22 (this is ${process.version}).\n` +
      'Inside this repository run it through npm (npm exec sync-hooks / npm start), which uses the Node from node_modules/.bin.\n',
  );
  process.exit(1);
}
require('../dist/cli/main')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((e) => {
    process.stderr.write(`sync-hooks: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  });
