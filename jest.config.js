/** Two projects: `unit` (no cluster, fast) and `integration` (embedded cluster + real pulumi CLI). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
// The examples import the package by name, as users do; in tests that name means the sources.
const moduleNameMapper = { '^pulumi-sync-hooks$': '<rootDir>/src/index.ts' };
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
