// One `jest` run covers every layer; projects keep the stand-ins out of the unit tests.
const { esmPackages } = require('./jest.esm-packages.js');
const transform = { '^.+\\.(t|j)sx?$|^.+\\.mjs$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const transformIgnorePatterns = [`/node_modules/(?!(aws-local-stepfunctions|@middy|jose|hyparquet|hyparquet-writer|${esmPackages.transform})/)`];
const common = { testEnvironment: 'node', transform, transformIgnorePatterns, moduleNameMapper: esmPackages.moduleNameMapper, setupFiles: ['<rootDir>/local/polyfills.ts'] };

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], testPathIgnorePatterns: ['\\.browser\\.test\\.ts$'] },
  ],
};
