import { DynamoNonComplianceStore } from '../../functions/adapters/dynamo/non-compliance-store';
import { systemClock } from '../../functions/adapters/system-clock';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { breachRecordId, type NonComplianceRecord } from '../../functions/core/non-compliance';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { prepareBackground } from '../../local/background';
import { LOCAL_NAMES } from '../../local/resources';
import { submission } from '../support/fixtures';
import { apiEvent, capturedMail, eventually, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * Non-compliance records (C8.1–C8.3) end to end on the stand-ins: an SLA breach opens one in the
 * breach's transaction, the table stream starts its corrective-action workflow (the real
 * state-machines/corrective-action.asl.json on the local runner), and the clock is moved instead
 * of waiting 7 days.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/**
 * The two workflow stories move the clock 7 and 8 days: at each midnight passed, every daily job
 * the local stack runs (the scheduled export workflow, the audit anchoring, the retention
 * reconciliation, the reminders) runs and settles before the clock goes on. That is 7–13 s on an
 * idle machine and over 30 s (jest's default here) with the other suites running beside it.
 */
const WEEK_OF_JOBS_MS = 120_000;

let env: Awaited<ReturnType<typeof freshTable>>;
let background: Awaited<ReturnType<typeof prepareBackground>>;
let running: Awaited<ReturnType<Awaited<ReturnType<typeof prepareBackground>>['start']>>;
let records: DynamoNonComplianceStore;
let supervisorToken: string;
// Imported once the test's table exists: a handler reads its configuration when it loads.
let recordCorrectiveAction: unknown;
let reportNonCompliance: unknown;
let listNonCompliance: unknown;

beforeAll(async () => {
  env = await freshTable();
  background = await prepareBackground({ dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT ?? '', tableName: env.tableName, pollIntervalMs: 50 });
  running = await background.start();
  records = new DynamoNonComplianceStore(env.doc, env.tableName);
  supervisorToken = await staffToken(['supervisors'], 'sup-nc');
  const handlerOf = async (name: string) => ((await import(`../../functions/handlers/${name}`)) as { handler: unknown }).handler;
  recordCorrectiveAction = await handlerOf('record-corrective-action');
  reportNonCompliance = await handlerOf('report-non-compliance');
  listNonCompliance = await handlerOf('list-non-compliance');
});

afterAll(() => background.stop());

/** A complaint nobody acknowledges (no automatic acknowledgement), its SLA workflow parked. */
async function unacknowledgedComplaint() {
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ type: 'complaint', email: uniqueEmail('nc') }), channel: 'web' },
    { store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy(), acknowledgements: { automatic: false, limitPerHour: 3 } },
  );
  await eventually(() => (background.sfn.listExecutions().some((e) => e.name === `case-${c.caseId}` && e.status === 'RUNNING') ? true : undefined), 10_000, 'SLA workflow started');
  await background.sfn.idle();
  return c;
}

/** Ids of the records about a staff member, from every month the tests' clock has passed. */
async function recordsOfStaff(staffId: string): Promise<string[]> {
  const months = new Set<string>();
  for (let ms = Date.now() - DAY; ms <= systemClock.now().getTime() + DAY; ms += DAY) months.add(new Date(ms).toISOString().slice(0, 7));
  const all = await Promise.all([...months].map((m) => records.listMonth(m)));
  return all.flat().filter((r) => r.staffId === staffId).map((r) => r.id);
}

const recordOf = (id: string) => eventually(() => records.get(id), 10_000, `record ${id}`);
const correctiveExecution = (id: string) => background.sfn.listExecutions().find((e) => e.name === `ca-${id}`);
const mailAbout = (to: string, id: string, subject: string) =>
  eventually(async () => (await capturedMail()).find((m) => m.destination.to.includes(to) && m.subject === `${subject}: non-compliance ${id}`), 10_000, `${subject} to ${to}`);

describe('non-compliance records and their corrective-action workflow', () => {
  it('opens a record on an SLA breach and, with no corrective action in 7 days, warns the supervisor, then records the missed deadline and tells management (C8.1)', async () => {
    const c = await unacknowledgedComplaint();
    await running.advance(16 * MIN);
    const id = breachRecordId(c.caseId, 'acknowledgement');
    const record = await recordOf(id);
    expect(record).toMatchObject({ caseId: c.caseId, cause: { kind: 'sla_breach', milestone: 'acknowledgement' }, status: 'open', warned: false });
    await eventually(() => (correctiveExecution(id)?.status === 'RUNNING' ? true : undefined), 10_000, 'corrective-action workflow started');
    await background.sfn.idle();

    await running.advance(5 * DAY + 6 * HOUR);
    await mailAbout(LOCAL_NAMES.supervisor, id, 'Corrective action due');
    expect(await records.get(id)).toMatchObject({ status: 'open', warned: true });

    await running.advance(DAY + 18 * HOUR);
    await mailAbout(LOCAL_NAMES.manager, id, 'Corrective action overdue');
    const overdue = await records.get(id);
    expect(overdue?.status).toBe('overdue');
    expect(overdue?.history.map((h) => h.type)).toEqual(['opened', 'warned', 'deadline_missed']);
    await background.sfn.idle();
    expect(correctiveExecution(id)?.status).toBe('SUCCEEDED');
  }, WEEK_OF_JOBS_MS);

  it('ends the workflow without telling management when a corrective action is recorded in time, through the API (C8.1, C8.2)', async () => {
    const reported = await invoke(
      reportNonCompliance,
      apiEvent({ method: 'POST', path: '/v1/non-compliance', body: JSON.stringify({ description: 'A complaint was closed without the checklist', staffId: 'agent-7' }), headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisorToken}` } }),
    );
    expect(reported.status).toBe(201);
    const id = String((reported.body?.record as NonComplianceRecord).id);
    await eventually(() => (correctiveExecution(id)?.status === 'RUNNING' ? true : undefined), 10_000, 'corrective-action workflow started');
    await background.sfn.idle();
    await running.advance(2 * DAY);

    const acted = await invoke(
      recordCorrectiveAction,
      apiEvent({
        method: 'POST',
        path: `/v1/non-compliance/${id}/corrective-actions`,
        routePath: '/v1/non-compliance/{recordId}/corrective-actions',
        pathParameters: { recordId: id },
        body: JSON.stringify({ type: 'retraining', description: 'Complaint-handling refresher', evidence: 'Training record of the day' }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisorToken}` },
      }),
    );
    expect(acted.status).toBe(200);
    expect((acted.body?.record as NonComplianceRecord).status).toBe('action_recorded');

    await running.advance(6 * DAY);
    await background.sfn.idle();
    expect(correctiveExecution(id)?.status).toBe('SUCCEEDED');
    expect((await capturedMail()).filter((m) => m.subject.includes(id))).toEqual([]);
  }, WEEK_OF_JOBS_MS);

  it('answers 400 naming the field for a report without a description, and lists the month’s records (C8.1)', async () => {
    const bad = await invoke(
      reportNonCompliance,
      apiEvent({ method: 'POST', path: '/v1/non-compliance', body: JSON.stringify({ staffId: 'agent-7' }), headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisorToken}` } }),
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('description');
    // The month the earlier report was opened in (the clock has moved on since).
    const month = (await records.get((await recordsOfStaff('agent-7'))[0] ?? ''))?.openedAt.slice(0, 7) ?? '';
    const listed = await invoke(
      listNonCompliance,
      apiEvent({ method: 'GET', path: '/v1/non-compliance', query: { month, staffId: 'agent-7' }, headers: { authorization: `Bearer ${supervisorToken}` } }),
    );
    expect(listed.status).toBe(200);
    expect((listed.body?.items as NonComplianceRecord[]).map((r) => r.cause.kind)).toEqual(['reported']);
  });
});
