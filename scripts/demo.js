#!/usr/bin/env node
// `npm start`: runs the demo (dist/demo) under the project's Node (>= 22, from node_modules/.bin).
'use strict';
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`sync-hooks needs Node >= 22 (this is ${process.version}); run it with npm start.`);
  process.exit(1);
}
require('../dist/demo/index.js');
