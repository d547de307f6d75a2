// Browser tests: Debian's Chromium (/usr/bin/chromium, see scripts/ensure-chromium.sh), driven by
// playwright-core, against the whole local stack as `npm start` runs it. Run: npx jest -c jest.browser.config.js
const { esmPackages } = require('./jest.esm-packages.js');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.browser.test.ts'],
  transform: { '^.+\\.(t|j)sx?$|^.+\\.mjs$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.transform})/)`],
  moduleNameMapper: esmPackages.moduleNameMapper,
  setupFiles: ['<rootDir>/local/polyfills.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
