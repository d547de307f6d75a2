import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Which of the heavier modules a process has loaded after building the composition root and using
 * the dependencies named (a fresh Node process with tsx, as `npm start` runs the handlers: jest's
 * module registry would not say what Node itself loaded).
 */
function loadedAfterUsing(uses: string[]): string[] {
  const script = `
    const { wiring } = require('./functions/adapters/wiring');
    const app = wiring({ AWS_REGION: 'us-east-1', TABLE_NAME: 't', EXPORTS_BUCKET: 'b', EXPORT_SIGNING_KEY_DIR: '/nonexistent', SENDER_EMAIL: 'support@example.com' });
    for (const name of ${JSON.stringify(uses)}) void app[name];
    const watched = /(report-html|vega|ses-mailer|nodemailer|jwt-verifier|jose|zip-export-writer|client-cognito-identity-provider|client-sfn|client-ses|client-sqs|client-kms)[\\/]?/;
    const hits = new Set();
    for (const file of Object.keys(require.cache)) { const m = watched.exec(file); if (m) hits.add(m[1]); }
    process.stdout.write(JSON.stringify([...hits].sort()));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('the composition root', () => {
  it('loads only what a compliance export uses: no report charts, mail, JWT, zip or other AWS clients in its process (M5.3)', () => {
    expect(loadedAfterUsing(['exportSource', 'exportStore', 'exportCodec', 'manifestSigner', 'clock'])).toEqual([]);
  }, 30_000);

  it('loads an adapter and its client when a function first uses it', () => {
    expect(loadedAfterUsing(['mailer'])).toEqual(expect.arrayContaining(['client-ses', 'ses-mailer']));
  }, 30_000);
});
