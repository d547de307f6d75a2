import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { readStandInCredentials } from '../../local/stand-in-credentials';
import { eventually } from '../support/eventually';
import { startStackProcess, type RunningStack } from '../support/local-stack-process';

jest.setTimeout(180_000);

const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-retention-'));
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

describe('npm start -- --retention-seconds (M7.2, C4.3)', () => {
  it('archives a closed case at once, expires it from the table with every item, and an auditor still fetches it verified', async () => {
    stack = await startStackProcess(dataDir, ['--fresh', '--retention-seconds', '4']);
    const { endpoints } = stack;
    const token = async (sub: string, groups: string[]) =>
      ((await (await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, groups, name: sub }) })).json()) as { token: string }).token;
    const agent = await token('ana', ['agents']);
    const auditor = await token('abe', ['auditors']);
    const call = async (bearer: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${endpoints.api}${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Json };
    };

    const opened = await fetch(`${endpoints.api}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'inquiry', name: 'Lena Park', email: 'lena.retention@example.com', subject: 'Opening hours', message: 'When do you open on Sundays?', privacyConsent: true }),
    });
    const { caseId, reference } = (await opened.json()) as { caseId: string; reference: string };
    expect((await call(agent, 'POST', `/cases/${caseId}/claim`)).status).toBe(200);
    expect((await call(agent, 'POST', `/cases/${caseId}/resolve`, { summary: 'Open 10 to 4 on Sundays' })).status).toBe(200);
    expect((await call(agent, 'POST', `/cases/${caseId}/close`, {})).status).toBe(200);

    // Archived at once: the archive is found through the case, verified.
    const archived = await eventually(async () => {
      const res = await call(auditor, 'GET', `/archive/${reference}`);
      return res.status === 200 ? res.body : undefined;
    }, 20_000, 'the archive of the closed case');
    expect(archived).toMatchObject({ reference, caseId, verified: true, foundThrough: 'case' });

    // Four seconds after closure every item of the case expires; the verifier records it on the archive index.
    const expired = await eventually(async () => {
      const res = await call(auditor, 'GET', `/archive/${reference}`);
      return res.body.foundThrough === 'archive-index' && res.body.expiredAt ? res.body : undefined;
    }, 60_000, 'the case expired from the table');
    expect(expired).toMatchObject({ reference, caseId, verified: true, problems: [], archive: { caseId, format: 'caseflow.case-archive/3' }, personalData: 'readable', record: { case: { reference, customer: { email: 'lena.retention@example.com' } } } });
    expect((await call(auditor, 'GET', `/cases/${caseId}`)).status).toBe(404);

    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: endpoints.dynamodb, region: 'us-east-1', credentials: readStandInCredentials(dataDir) }));
    try {
      const table = endpoints.resources.table;
      await eventually(async () => {
        const partition = await doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `CASE#${caseId}` }, ConsistentRead: true }));
        const ref = await doc.send(new GetCommand({ TableName: table, Key: { PK: `REF#${reference}`, SK: 'REF' }, ConsistentRead: true }));
        return (partition.Items ?? []).length === 0 && !ref.Item ? true : undefined;
      }, 30_000, 'no item of the case left in the table');
    } finally {
      doc.destroy();
    }
    // Nothing was dead-lettered on the way.
    expect(await (await fetch(endpoints.outbox.replace('/outbox', '/jobs/expiry-redrive'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()).toMatchObject({ redriven: 0, failed: 0 });
    // Nor left for the retention reconciler: the stream consumers archived and stamped everything.
    const reconciled = await fetch(endpoints.outbox.replace('/outbox', '/jobs/retention-reconcile'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(reconciled.status).toBe(200);
    expect(await reconciled.json()).toMatchObject({ archived: 0, stamped: 0, failed: [], unfinished: false });
  });
});
