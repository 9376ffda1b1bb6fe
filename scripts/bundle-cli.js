#!/usr/bin/env node
// After tsc: the `sync-hooks` command's code (dist/cli/main.js and everything it requires from
// dist/ and yaml) as one file, dist/cli/bundle.js, which bin/sync-hooks.js prefers when it is at
// least as new as dist/cli/main.js. One file instead of ~180 modules saves the CLI about 40 ms of
// CPU per start (issue 15: start-up). What the user's program owns (peer dependencies) and
// @kubernetes/client-node (loaded only for exec-plugin kubeconfigs) stay outside the bundle.
// Without esbuild (a consumer's install, which ships the bundle built), nothing is done.
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..');
let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  process.exit(0);
}
esbuild
  .build({
    entryPoints: [path.join(root, 'dist', 'cli', 'main.js')],
    outfile: path.join(root, 'dist', 'cli', 'bundle.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    sourcemap: false,
    external: ['@kubernetes/client-node', '@pulumi/*', 'cdk8s', 'constructs'],
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
