import '../../local/polyfills';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { createLocalIssuer, LOCAL_AUDIENCE } from '../../local/local-auth';
import { LOCAL_NAMES } from '../../local/resources';
import { startS3Local } from '../../local/s3-local';
import { startSesLocal } from '../../local/ses-local';
import { newStandInCredentials } from '../../local/stand-in-credentials';

/**
 * Starts the real stand-ins once for the integration project (DynamoDB Local in memory, s3rver,
 * the SES capture, and a JWKS endpoint for the local issuer) on free ports, and hands their
 * addresses to the test workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'caseflow-it-'));
  // Credentials made up for this run, as `npm start` makes them per install.
  const credentials = newStandInCredentials();
  const [dynamo, s3, ses] = await Promise.all([
    startDynamoDbLocal({ credentials }),
    startS3Local({ dataDir: join(work, 's3'), buckets: [LOCAL_NAMES.inboundBucket, LOCAL_NAMES.archiveBucket, LOCAL_NAMES.recordsBucket, LOCAL_NAMES.exportsBucket], credentials }),
    startSesLocal(),
  ]);

  const keyFile = join(work, 'signing-key.json');
  const jwksServer: Server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(issuer.jwks)));
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  const issuer = await createLocalIssuer(`${base}/local`, keyFile);

  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    CASEFLOW_TEST_DYNAMODB_LOOPBACK_ONLY: String(dynamo.loopbackOnly),
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    S3_ENDPOINT: s3.endpoint,
    SES_ENDPOINT: ses.endpoint,
    TABLE_NAME: 'unset-use-freshTable',
    STAFF_DIRECTORY_FILE: join(work, 'staff-unset-use-freshTable.json'),
    AUDIT_ANCHOR_BUCKET: LOCAL_NAMES.archiveBucket,
    ATTACHMENTS_BUCKET: LOCAL_NAMES.archiveBucket,
    INBOUND_BUCKET: LOCAL_NAMES.inboundBucket,
    CASE_ARCHIVE_BUCKET: LOCAL_NAMES.recordsBucket,
    EXPORTS_BUCKET: LOCAL_NAMES.exportsBucket,
    // The export workflow's name for the functions that start it (no Step Functions runs in these tests: test/e2e runs it).
    EXPORT_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:caseflow-test-compliance-export',
    CORRECTIVE_ACTION_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:caseflow-test-corrective-action',
    // The SLA workflow's name for the policy migration route (tests that run the workflow start the local runner, which sets its own).
    SLA_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:caseflow-test-case-sla',
    // The SLA policy migration workflow's, for the migration route (the same: tests that run it start the local runner).
    SLA_MIGRATION_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:caseflow-test-sla-migration',
    SUBJECT_KEY_DIR: join(work, 'subject-keys'),
    EXPORT_SIGNING_KEY_DIR: join(work, 'export-signing'),
    // The survey links' keyring (made on first use) and where the page is served.
    SURVEY_LINK_KEY_DIR: join(work, 'survey-link-keys'),
    SURVEY_BASE_URL: 'https://api.example.com',
    SENDER_EMAIL: LOCAL_NAMES.senderEmail,
    TEAM_INBOX_EMAIL: LOCAL_NAMES.teamInbox,
    SUPERVISOR_EMAIL: LOCAL_NAMES.supervisor,
    MANAGER_EMAIL: LOCAL_NAMES.manager,
    JWT_ISSUER: issuer.issuer,
    JWT_JWKS_URL: `${base}/local/.well-known/jwks.json`,
    JWT_AUDIENCE: LOCAL_AUDIENCE,
    CASEFLOW_TEST_KEY_FILE: keyFile,
    CASEFLOW_TEST_WORKDIR: work,
    // The assignment guard's default is to refuse staff without current training (C5.3); the suites
    // that assign and claim cases do not record any: test/integration/training.test.ts turns it on.
    TRAINING_GUARD: 'off',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });

  (globalThis as Record<string, unknown>).__caseflowStandIns = async () => {
    await new Promise<void>((r) => jwksServer.close(() => r()));
    await Promise.all([dynamo.stop(), s3.stop(), ses.stop()]);
  };
}
