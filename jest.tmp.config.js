const base = require('./jest.config.js').projects[1];
module.exports = { ...base, rootDir: __dirname, globalSetup: '/tmp/gs.ts' };
