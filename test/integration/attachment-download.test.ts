import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import MailComposer from 'nodemailer/lib/mail-composer';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { createS3Client } from '../../functions/adapters/s3-blob-store';
import type { IngestOutcome } from '../../functions/core/email/ingest-email';
import { lambdaContext } from '../../local/lambda-context';
import { LOCAL_NAMES } from '../../local/resources';
import { objectCreatedEvent } from '../../local/s3-event';
import { SUPPORT } from '../fixtures/email/build-fixtures';
import { apiEvent, freshTable, invoke, onCase, staffToken } from '../support/stand-ins';

let s3: S3Client;
let ingest: (event: S3Event, context: ReturnType<typeof lambdaContext>) => Promise<{ outcomes: IngestOutcome[] }>;
let download: unknown;
let grant: unknown;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  await freshTable();
  Object.assign(process.env, { INBOUND_BUCKET: LOCAL_NAMES.inboundBucket, ATTACHMENTS_BUCKET: LOCAL_NAMES.archiveBucket, SUPPORT_ADDRESSES: SUPPORT });
  s3 = createS3Client(readConfig(AwsEndpointsSchema));
  ({ handler: ingest } = (await import('../../functions/handlers/email-ingest')) as unknown as { handler: typeof ingest });
  download = (await import('../../functions/handlers/get-attachment')).handler;
  grant = (await import('../../functions/handlers/grant-contact-access')).handler;
  tokens.agent = await staffToken(['agents'], 'dl-agent');
  tokens.auditor = await staffToken(['auditors'], 'dl-auditor');
  tokens.supervisor = await staffToken(['supervisors'], 'dl-sup');
  tokens.feedback = await staffToken(['feedback'], 'dl-fb');
});

afterAll(() => s3.destroy());

/** A customer's email with one file, stored as SES stores it and ingested: the case it opened. */
async function caseWithFile(file: { filename: string; contentType: string; content: Buffer }): Promise<string> {
  const tag = randomUUID().slice(0, 8);
  const raw = await new MailComposer({
    from: `Dana Doe <dana.${tag}@example.net>`,
    to: SUPPORT,
    subject: 'My invoice is wrong',
    messageId: `<invoice.${tag}@mail.example.net>`,
    text: 'The invoice attached charges me twice.',
    attachments: [file],
  })
    .compile()
    .build();
  const key = `inbound/${randomUUID()}`;
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: key, Body: raw }));
  const event = objectCreatedEvent({ bucket: LOCAL_NAMES.inboundBucket, key, size: raw.length, eTag: createHash('md5').update(key).digest('hex'), principal: 'SES' });
  const { outcomes } = await ingest(event, lambdaContext('email-ingest'));
  const [out] = outcomes;
  if (out?.outcome !== 'case_opened') throw new Error(`expected a new case, got ${out?.outcome}`);
  return out.caseId;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const get = (caseId: string, hash: string, token: string) =>
  invoke(
    download,
    apiEvent({
      method: 'GET',
      path: `/v1/cases/${caseId}/attachments/${hash}`,
      routePath: '/v1/cases/{caseId}/attachments/{sha256}',
      pathParameters: { caseId, sha256: hash },
      headers: { authorization: `Bearer ${token}` },
    }),
  );

describe('downloading a case’s files (C4.1)', () => {
  const invoice = { filename: 'Rechnung März.pdf', contentType: 'application/pdf', content: randomBytes(48 * 1024) };
  let caseId = '';
  beforeAll(async () => {
    caseId = await caseWithFile(invoice);
  });

  it('gives an agent a five-minute link on the local S3 that downloads the very bytes the customer sent, as a file under its name', async () => {
    const before = Date.now();
    const res = await get(caseId, sha256(invoice.content), tokens.agent ?? '');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ filename: invoice.filename, contentType: 'application/pdf', size: invoice.content.length });
    const url = new URL(String(res.body?.url));
    // The browser reaches it: s3rver on the loopback address, as the stack started it.
    expect(url.origin).toBe(process.env.S3_ENDPOINT);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    // The file's name is personal data: not in the link (S3 access logs, download history), only in the answer.
    expect(decodeURIComponent(url.href)).not.toContain('Rechnung');
    const expiresAt = Date.parse(String(res.body?.expiresAt));
    expect(expiresAt - before).toBeGreaterThanOrEqual(299_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(300_000);

    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(invoice.content)).toBe(true);
    expect(fetched.headers.get('content-type')).toBe('application/pdf');
    const disposition = fetched.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment;/);
    expect(disposition).toContain("filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf");
  });

  it('lets auditors download too (read-only access to everything, M6.3)', async () => {
    const res = await get(caseId, sha256(invoice.content), tokens.auditor ?? '');
    expect(res.status).toBe(200);
    expect((await fetch(String(res.body?.url))).status).toBe(200);
  });

  it('answers 404 for a file the case does not have, even when another case has it', async () => {
    const other = await caseWithFile({ filename: 'photo.png', contentType: 'image/png', content: randomBytes(2048) });
    expect((await get(other, sha256(invoice.content), tokens.agent ?? '')).status).toBe(404);
    expect((await get(caseId, 'f'.repeat(64), tokens.agent ?? '')).status).toBe(404);
  });

  it('answers 400 naming sha256 for anything but 64 hex digits', async () => {
    const res = await get(caseId, 'invoice.pdf', tokens.agent ?? '');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ issues: [{ path: 'sha256' }] });
  });

  it('refuses the feedback team until a supervisor grants them the case’s contact details (C4.2)', async () => {
    const hash = sha256(invoice.content);
    const refused = await get(caseId, hash, tokens.feedback ?? '');
    expect(refused.status).toBe(403);
    expect(refused.body?.url).toBeUndefined();
    const granted = await onCase(grant, caseId, 'contact-access', { token: tokens.supervisor ?? '', body: { staffId: 'dl-fb', reason: 'Reviewing the complaint', hours: 1 } });
    expect(granted.status).toBe(200);
    expect((await get(caseId, hash, tokens.feedback ?? '')).status).toBe(200);
  });
});
