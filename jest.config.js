/** Two projects: `unit` (no cluster, fast) and `integration` (embedded cluster + real pulumi CLI). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
// The examples import the package by name (root and subpaths), as users do; in tests that name
// means the sources. Keep in step with `exports` in package.json and `paths` in tsconfig.json.
const moduleNameMapper = {
  '^pulumi-sync-hooks$': '<rootDir>/src/index.ts',
  '^pulumi-sync-hooks/engine$': '<rootDir>/src/public/engine.ts',
  '^pulumi-sync-hooks/(constructs|pulumi|interop|cli)$': '<rootDir>/src/$1/index.ts',
};
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/unit'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/setup.ts'],
    },
  ],
};
