import { spawnSync } from 'node:child_process';

/**
 * `npm run test:expiry-scale`: the expiry test at the scale, 1,000 closed cases expiring
 * from DynamoDB Local into verified archives (npm test runs the same test with 100: docs/retention.md).
 */
const run = spawnSync('npx', ['jest', 'test/integration/item-expiry.test.ts', '--selectProjects', 'integration', '-t', 'expires'], {
  stdio: 'inherit',
  env: { ...process.env, EXPIRY_TEST_CASES: process.env.EXPIRY_TEST_CASES ?? '1000' },
});
process.exit(run.status ?? 1);
