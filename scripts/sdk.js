#!/usr/bin/env node
// `npm run sdk`: regenerates sdk/{nodejs,python,go,dotnet} from schema.json (src/provider/sdkgen.ts).
// `npm run sdk:check` (CI): fails if the committed SDKs differ from a fresh generation.
'use strict';
const { syncSdks } = require('../dist/provider/sdkgen.js');

const check = process.argv.includes('--check');
syncSdks({ check }).then(
  ({ differences, failed }) => {
    if (failed.length) process.exitCode = 1;
    if (check && differences.length) {
      console.error(`the SDKs under sdk/ are out of date (run npm run sdk):\n  ${differences.join('\n  ')}`);
      process.exitCode = 1;
    } else if (check) console.error('sdk/ matches schema.json');
  },
  (e) => {
    console.error(e.stack || String(e));
    process.exitCode = 1;
  },
);
