import { request } from 'node:http';
import { ListTablesCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_NAMES } from '../../local/resources';
import { newStandInCredentials } from '../../local/stand-in-credentials';
import { openSecondHost } from '../support/second-host';
import { freshTable, uniqueEmail } from '../support/stand-ins';
import { submission } from '../support/fixtures';

// The local stand-ins hold customers' personal data (M5.1 / C6.1): only this install's stack may
// read or change it, whoever else shares the network or the machine.

const dynamoEndpoint = process.env.DYNAMODB_ENDPOINT ?? '';
const s3Endpoint = process.env.S3_ENDPOINT ?? '';
const port = (endpoint: string) => Number(new URL(endpoint).port);
const stranger = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
let tableName: string;
const objectKey = `isolation/${Date.now()}`;

beforeAll(async () => {
  const env = await freshTable();
  tableName = env.tableName;
  // A case with a customer's name, address and phone, as a stranger would hope to find it.
  const { openCaseFromSubmission } = await import('../../functions/core/open-case');
  const { slaPolicy } = await import('../../functions/core/sla-policy');
  const { randomUUID, randomBytes } = await import('node:crypto');
  await openCaseFromSubmission(
    { submission: submission({ email: uniqueEmail('isolation'), phone: '+44 20 7946 0000' }), channel: 'web' },
    { store: env.store, clock: { now: () => new Date() }, newCaseId: randomUUID, random: (n) => randomBytes(n), policy: slaPolicy() },
  );
  const s3 = new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '' } });
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: objectKey, Body: 'From: ann@example.com\r\n\r\nprivate' }));
  s3.destroy();
});

/** What a client on another host gets from DynamoDB Local and s3rver with made-up credentials, as JSON lines. */
const strangerScript = (host: string) => `
const attempt = async (name, url, init) => {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
    console.log(JSON.stringify({ name, status: res.status, body: (await res.text()).slice(0, 500) }));
  } catch (e) {
    console.log(JSON.stringify({ name, error: (e.cause && e.cause.code) || e.name }));
  }
};
const auth = 'AWS4-HMAC-SHA256 Credential=${stranger.accessKeyId}/20261130/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64);
const ddb = (target, body) => attempt(target, 'http://${host}:${port(dynamoEndpoint)}/', { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.' + target, 'x-amz-date': '20261130T000000Z', authorization: auth }, body: JSON.stringify(body) });
(async () => {
  await ddb('ListTables', {});
  await ddb('Scan', { TableName: '${'TABLE'}' });
  await attempt('GetObject', 'http://${host}:${port(s3Endpoint)}/${LOCAL_NAMES.inboundBucket}/${objectKey}', {});
})();`;

describe('the local stand-ins, seen by anyone but the stack (M5.1, C6.1)', () => {
  it('show another client of DynamoDB Local, with any other credentials, an empty database', async () => {
    const theirs = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials: stranger });
    const another = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials: newStandInCredentials() });
    try {
      expect((await theirs.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      expect((await another.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      await expect(theirs.send(new ScanCommand({ TableName: tableName }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      theirs.destroy();
      another.destroy();
    }
  });

  it('give nothing to a second host on the network: no table, no item, no object', () => {
    const host = openSecondHost();
    if (!host) throw new Error('no second host could be made: run the tests as root with iproute2, or on a machine with a network interface');
    try {
      const lines = host
        .runNode(strangerScript(host.addressOfThisMachine).replace('TABLE', tableName))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { name: string; status?: number; body?: string; error?: string });
      const [list, scan, object] = lines;
      // Never an item, whatever the listener: the stranger's credentials have a database of their own.
      for (const line of lines) expect(line.body ?? '').not.toMatch(/Ada Lovelace|isolation\.|7946|private/);
      if (process.env.CASEFLOW_TEST_DYNAMODB_LOOPBACK_ONLY === 'true') {
        expect(list).toMatchObject({ error: 'ECONNREFUSED' });
        expect(scan).toMatchObject({ error: 'ECONNREFUSED' });
      } else {
        expect(JSON.parse(list?.body ?? '{}')).toEqual({ TableNames: [] });
        expect(scan?.body).toContain('ResourceNotFoundException');
      }
      expect(object).toMatchObject({ error: 'ECONNREFUSED' });
    } finally {
      host.remove();
    }
  });

  it('refuse s3rver requests without the install key, from the old shared key S3RVER, or under a foreign Host', async () => {
    const get = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials }).send(new GetObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: objectKey }));
    await expect(get({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' })).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    const anonymous = await fetch(`${s3Endpoint}/${LOCAL_NAMES.inboundBucket}/${objectKey}`);
    expect(anonymous.status).toBe(403);
    const rebound = await rawGet(port(s3Endpoint), `/${LOCAL_NAMES.inboundBucket}/${objectKey}`, `evil.example:${port(s3Endpoint)}`);
    expect(rebound).toBe(403);
  });

  it('refuse the captured mail to a page under a foreign Host (DNS rebinding)', async () => {
    const ses = port(process.env.SES_ENDPOINT ?? '');
    expect(await rawGet(ses, '/store', `evil.example:${ses}`)).toBe(403);
    expect(await rawGet(ses, '/store', `127.0.0.1:${ses}`)).toBe(200);
  });

  it('answer a key the local S3 cannot store with an S3 error, and stay up for the next request', async () => {
    const s3 = new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '' } });
    try {
      await expect(s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: `x/${'é'.repeat(122)}`, Body: 'a' }))).rejects.toMatchObject({ name: 'KeyTooLongError' });
      await expect(s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: 'x/../../escape', Body: 'a' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
      // An encoded slash separates segments too: no key may climb out of the bucket's directory.
      const climb = await fetch(`${s3Endpoint}/${LOCAL_NAMES.inboundBucket}/a%2F..%2F..%2F..%2Fescaped`, {
        method: 'PUT',
        headers: { authorization: `AWS4-HMAC-SHA256 Credential=${process.env.AWS_ACCESS_KEY_ID}/20261130/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`, 'x-amz-date': '20261130T000000Z', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        body: 'x',
      });
      expect(climb.status).toBe(400);
      const after = await s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: objectKey }));
      expect(await after.Body?.transformToString()).toContain('private');
    } finally {
      s3.destroy();
    }
  });
});

function rawGet(portNumber: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: portNumber, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}
