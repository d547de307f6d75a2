import { jsonFixture } from '../support/fixtures';
import { lambdaContext } from '../../local/lambda-context';
import { apiEvent, capturedMail, freshTable, invoke, onCase, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * Training records and the assignment guard through the API, against DynamoDB Local (C5.1-C5.3):
 * a supervisor records completions, staff read their status, the team's status names who is due
 * or lapsed, and a claim or an assignment by someone whose required training lapsed is refused
 * (the default) or, in warn mode, goes through with the warning on the case's timeline.
 */
type Handler = unknown;
let h: Record<'create' | 'record' | 'status' | 'claim' | 'assign' | 'get', Handler>;
let warnAssign: Handler;
let supervisor: string;
let admin: string;
let ana: string;
let ben: string;

const DAY = 24 * 60 * 60 * 1000;
const COURSES = ['communication-skills', 'complaint-handling', 'company-policies', 'crm-software'];
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

beforeAll(async () => {
  await freshTable();
  // Handlers read their configuration when loaded: the guard's default (refuse), then warn mode for one assignment handler of its own.
  delete process.env.TRAINING_GUARD;
  h = {
    create: (await import('../../functions/handlers/create-case')).handler,
    record: (await import('../../functions/handlers/record-training')).handler,
    status: (await import('../../functions/handlers/get-training')).handler,
    claim: (await import('../../functions/handlers/claim-case')).handler,
    assign: (await import('../../functions/handlers/assign-case')).handler,
    get: (await import('../../functions/handlers/get-case')).handler,
  };
  await jest.isolateModulesAsync(async () => {
    process.env.TRAINING_GUARD = 'warn';
    warnAssign = (await import('../../functions/handlers/assign-case')).handler;
  });
  process.env.TRAINING_GUARD = 'off';
  supervisor = await staffToken(['supervisors'], 'train-sup');
  admin = await staffToken(['admins'], 'train-admin');
  ana = await staffToken(['agents'], 'train-ana');
  ben = await staffToken(['agents'], 'train-ben');
});

async function open() {
  const res = await invoke(h.create, apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify({ ...jsonFixture('web-form', 'inquiry.json'), email: uniqueEmail('training') }), headers: { 'content-type': 'application/json' } }));
  expect(res.status).toBe(201);
  return String(res.body?.caseId);
}

const record = (staffId: string, body: unknown, token = supervisor) =>
  invoke(
    h.record,
    apiEvent({
      method: 'POST',
      path: `/v1/staff/${staffId}/training`,
      routePath: '/v1/staff/{staffId}/training',
      pathParameters: { staffId },
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    }),
  );

const readTraining = (staffId: string | undefined, token: string) =>
  invoke(h.status, apiEvent({ method: 'GET', path: '/v1/training', ...(staffId ? { query: { staffId } } : {}), headers: { authorization: `Bearer ${token}` } }));
type StatusBody = { members: { staffId: string; courses: { courseId: string; status: string }[]; requiredMissing: string[]; records: unknown[] }[]; lapsed: string[]; dueSoon: string[] };

async function trainAll(staffId: string, completedAt: string) {
  for (const courseId of COURSES) expect((await record(staffId, { courseId, completedAt, evidence: { note: 'Workshop attended', url: 'https://lms.example/certificates/1' } })).status).toBe(201);
}

describe('training records (C5.1, C5.2)', () => {
  it('records a completion with its evidence and shows it in the staff member’s own status, not in anyone else’s (C5.1, C5.2)', async () => {
    const completedAt = daysAgo(10);
    const res = await record('train-ana', { courseId: 'complaint-handling', completedAt, evidence: { note: 'Passed the assessment', file: 'certificates/ana-complaints.pdf' } });
    expect(res.status).toBe(201);
    expect(res.body?.record).toMatchObject({ staffId: 'train-ana', courseId: 'complaint-handling', completedAt, evidence: { note: 'Passed the assessment', file: 'certificates/ana-complaints.pdf' }, recordedBy: { kind: 'supervisor', id: 'train-sup' } });

    const mine = await readTraining('train-ana', ana);
    expect(mine.status).toBe(200);
    const [status, ...others] = (mine.body as StatusBody).members;
    expect({ staffId: status?.staffId, others: others.length, records: status?.records.length }).toEqual({ staffId: 'train-ana', others: 0, records: 1 });
    expect(status?.courses.map((c) => [c.courseId, c.status])).toEqual([
      ['communication-skills', 'never_trained'],
      ['complaint-handling', 'current'],
      ['company-policies', 'never_trained'],
      ['crm-software', 'never_trained'],
    ]);
    expect(status?.requiredMissing).toEqual(['communication-skills', 'company-policies', 'crm-software']);
    expect((await readTraining('train-ana', ben)).status).toBe(403);
    expect((await readTraining(undefined, ana)).body).toMatchObject({ members: [{ staffId: 'train-ana' }] });
    expect((await readTraining('train-ana', admin)).status).toBe(200);
  });

  it('refuses a course outside the catalogue, a completion in the future and one without evidence, naming the field (C5.1)', async () => {
    const bad = await record('train-ana', { courseId: 'juggling', completedAt: daysAgo(1), evidence: { note: 'x' } });
    expect({ status: bad.status, issues: bad.body?.issues }).toEqual({ status: 400, issues: [{ path: 'courseId', message: expect.stringContaining('No course juggling in the training catalogue') }] });
    const future = await record('train-ana', { courseId: 'crm-software', completedAt: new Date(Date.now() + DAY).toISOString(), evidence: { note: 'x' } });
    expect(future.body?.issues).toEqual([{ path: 'completedAt', message: 'Completed at must not be in the future' }]);
    const noEvidence = await record('train-ana', { courseId: 'crm-software', completedAt: daysAgo(1), evidence: {} });
    expect(noEvidence.body?.issues).toEqual([{ path: 'evidence', message: 'Evidence needs a note, a file or a URL' }]);
    expect((await record('nobody-here', { courseId: 'crm-software', completedAt: daysAgo(1), evidence: { note: 'x' } })).status).toBe(404);
  });

  it('lists the team with who is due soon and who has lapsed, for supervisors (C5.3)', async () => {
    await staffToken(['agents'], 'train-cat');
    await trainAll('train-cat', daysAgo(170));
    const team = await readTraining(undefined, supervisor);
    expect(team.status).toBe(200);
    const body = team.body as StatusBody;
    expect(body.members.map((m) => m.staffId)).toEqual(expect.arrayContaining(['train-ana', 'train-ben', 'train-cat', 'train-sup']));
    expect(body.dueSoon).toContain('train-cat');
    expect(body.lapsed).not.toContain('train-cat');
    expect(body.lapsed).toContain('train-ben');
  });
});

describe('the assignment guard (C5.3)', () => {
  it('refuses a claim by a representative whose required training lapsed, with a 409 naming the lapsed courses, until the refresher is recorded (C5.3)', async () => {
    await trainAll('train-ben', daysAgo(200));
    const caseId = await open();
    const refused = await onCase(h.claim, caseId, 'claim', { token: ben, body: {} });
    expect(refused.status).toBe(409);
    expect(String(refused.body?.error)).toMatch(/lacks required training: Communication skills \(lapsed \d{4}-\d{2}-\d{2}\), Complaint handling \(lapsed/);
    const unchanged = await onCase(h.get, caseId, '', { token: supervisor, method: 'GET' });
    expect((unchanged.body?.case as { assignee?: unknown }).assignee).toBeUndefined();

    await trainAll('train-ben', daysAgo(1));
    const claimed = await onCase(h.claim, caseId, 'claim', { token: ben, body: {} });
    expect(claimed.status).toBe(200);
  });

  it('refuses a supervisor’s assignment to someone never trained (C5.1, C5.3)', async () => {
    await staffToken(['agents'], 'train-new');
    const caseId = await open();
    const refused = await onCase(h.assign, caseId, 'assignment', { token: supervisor, body: { assigneeId: 'train-new' } });
    expect(refused.status).toBe(409);
    expect(String(refused.body?.error)).toContain('CRM software (never trained)');
  });

  it('in warn mode lets the assignment through and records the warning on the case’s timeline (C5.3)', async () => {
    await staffToken(['agents'], 'train-dan');
    const caseId = await open();
    const assigned = await onCase(warnAssign, caseId, 'assignment', { token: supervisor, body: { assigneeId: 'train-dan' } });
    expect(assigned.status).toBe(200);
    const read = await onCase(h.get, caseId, '', { token: supervisor, method: 'GET' });
    const events = read.body?.timeline as { type: string; data: Record<string, unknown> }[];
    expect(events.find((e) => e.type === 'assignment_changed')?.data).toMatchObject({ how: 'assigned', trainingWarning: { courses: COURSES, message: expect.stringContaining('lacks required training') } });
  });
});

describe('refresher reminders (C5.3)', () => {
  it('mails a staff member whose refresher is due soon, and the supervisor on duty a copy, once per lapse window, against the table and the mail capture (C5.3)', async () => {
    process.env.SENDER_EMAIL ??= 'caseflow@example.com';
    process.env.SUPERVISOR_EMAIL = 'supervisor-on-duty@example.com';
    await staffToken(['agents'], 'train-eve');
    await trainAll('train-eve', daysAgo(165));
    const { handler } = (await import('../../functions/handlers/training-reminders')) as { handler: (e: unknown, c: unknown) => Promise<{ members: number; reminders: number }> };
    const first = await handler({}, lambdaContext('training-reminders'));
    expect(first.reminders).toBeGreaterThanOrEqual(4);
    const mailToEve = async () => (await capturedMail()).filter((m) => m.destination.to.includes('train-eve@staff.example') || m.subject.includes('Staff train-eve'));
    const sent = await mailToEve();
    expect(sent.map((m) => m.destination.to).flat().sort()).toEqual(['supervisor-on-duty@example.com', 'train-eve@staff.example']);
    expect(sent[0]?.body.text).toContain('Complaint handling: due by');

    const second = await handler({}, lambdaContext('training-reminders'));
    expect(second.reminders).toBe(0);
    expect((await mailToEve()).length).toBe(2);
  });
});

describe('the training store (C5.1, C5.3)', () => {
  it('keeps records append-only, and a reminder mark once per due date until it is released', async () => {
    const { wiring } = await import('../../functions/adapters/wiring');
    const { AwsEndpointsSchema, readConfig } = await import('../../functions/adapters/config');
    const store = wiring({ ...readConfig(AwsEndpointsSchema), TABLE_NAME: process.env.TABLE_NAME }).training;
    const record = { recordId: 'fixed-id', staffId: 'train-store', courseId: 'crm-software', completedAt: daysAgo(3), evidence: { note: 'first' }, recordedBy: { kind: 'supervisor' as const, id: 'train-sup' }, recordedAt: daysAgo(2) };
    await store.append(record);
    await expect(store.append({ ...record, evidence: { note: 'rewritten' } })).rejects.toThrow();
    expect((await store.listFor('train-store')).map((r) => r.evidence)).toEqual([{ note: 'first' }]);

    const dueAt = '2027-01-01T00:00:00.000Z';
    expect(await store.markReminded('train-store', 'crm-software', dueAt, new Date())).toBe(true);
    expect(await store.markReminded('train-store', 'crm-software', dueAt, new Date())).toBe(false);
    await store.forgetReminded('train-store', 'crm-software', dueAt);
    expect(await store.markReminded('train-store', 'crm-software', dueAt, new Date())).toBe(true);
    expect(await store.listFor('train-store')).toHaveLength(1);
  });
});
