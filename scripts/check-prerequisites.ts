import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { checkJava } from '../local/dynamodb-local';

/**
 * Runs before `npm test`: the tests start DynamoDB Local (Java 17+) and drive Chromium.
 * Each missing prerequisite is named with the command that installs it.
 */
const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 20) {
  console.error(`caseflow needs Node.js 20 or newer; this is ${process.version}.`);
  process.exit(1);
}
try {
  checkJava();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const chromium = spawnSync('bash', [join(__dirname, 'ensure-chromium.sh')], { stdio: 'inherit' });
process.exit(chromium.status ?? 1);
