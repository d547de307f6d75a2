import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { createSfnClient, SfnSlaWorkflows } from '../../functions/adapters/sfn-sla-workflows';
import { systemClock } from '../../functions/adapters/system-clock';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { closeCase } from '../../functions/core/actions/close';
import { clearPendingCustomer, setPendingCustomer } from '../../functions/core/actions/pending-customer';
import { replyToCustomer } from '../../functions/core/actions/reply';
import { resolveCase } from '../../functions/core/actions/resolve';
import type { CaseEvent } from '../../functions/core/case-event';
import { openCaseFromSubmission, type OpenCaseDeps } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { prepareBackground } from '../../local/background';
import { LOCAL_NAMES } from '../../local/resources';
import { COMPLETE_CHECKLIST, submission } from '../support/fixtures';
import { capturedMail, eventually, freshTable, uniqueEmail } from '../support/stand-ins';

/**
 * The SLA workflow (state-machines/case-sla.asl.json) run by the local Step Functions runner
 * against DynamoDB Local, with the clock moved forward instead of waiting (M3.1, M3.2, M3.3, C3.1, C3.3).
 */
const MIN = 60_000;
const HOUR = 60 * MIN;

let env: Awaited<ReturnType<typeof freshTable>>;
let background: Awaited<ReturnType<typeof prepareBackground>>;
let running: Awaited<ReturnType<Awaited<ReturnType<typeof prepareBackground>>['start']>>;

beforeAll(async () => {
  env = await freshTable();
  background = await prepareBackground({ dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT ?? '', tableName: env.tableName, pollIntervalMs: 50 });
  running = await background.start();
});

afterAll(() => background.stop());

const deps = (automatic = true): OpenCaseDeps => ({ store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy(), acknowledgements: { automatic, limitPerHour: 3 } });
const agent = { kind: 'agent' as const, id: 'agent-9' };

/** Opens a case as intake does, and waits until its workflow is parked in a Wait. */
async function opened(type: 'inquiry' | 'complaint', autoAcknowledge = true) {
  const email = uniqueEmail(type);
  const { case: c } = await openCaseFromSubmission({ submission: submission({ type, email }), channel: 'web' }, deps(autoAcknowledge));
  await eventually(() => (background.sfn.listExecutions().some((e) => e.name === `case-${c.caseId}` && e.status === 'RUNNING') ? true : undefined), 10_000, 'workflow started');
  if (autoAcknowledge) await eventually(async () => ((await env.store.getCase(c.caseId))?.acknowledgedAt ? true : undefined), 10_000, 'acknowledged');
  await background.sfn.idle();
  return c;
}

const eventsOf = async (caseId: string, type: CaseEvent['type']) => (await env.store.getTimeline(caseId)).filter((e) => e.type === type);
const mailTo = (to: string, reference: string, subject: string) =>
  eventually(async () => (await capturedMail()).find((m) => m.destination.to.includes(to) && m.subject.includes(reference) && m.subject.includes(subject)), 10_000, `${subject} to ${to}`);
const execution = (caseId: string, generation = 1) => background.sfn.describeExecution(generation === 1 ? `case-${caseId}` : `case-${caseId}-r${generation}`);

describe('the SLA workflow', () => {
  it('meets the acknowledgement milestone with the automatic acknowledgement: no warning, no breach (M3.1)', async () => {
    const c = await opened('inquiry');
    await running.advance(20 * MIN);
    expect(await eventsOf(c.caseId, 'sla_warning')).toEqual([]);
    expect(await eventsOf(c.caseId, 'sla_breached')).toEqual([]);
    expect(execution(c.caseId).status).toBe('RUNNING');
  });

  it('warns at 75% and breaches an acknowledgement that never went out, emailing the supervisor (M3.1)', async () => {
    const c = await opened('inquiry', false);
    await running.advance(16 * MIN);
    expect((await eventsOf(c.caseId, 'sla_warning')).map((e) => e.data)).toEqual([expect.objectContaining({ milestone: 'acknowledgement', notify: LOCAL_NAMES.teamInbox })]);
    const [breach] = await eventsOf(c.caseId, 'sla_breached');
    expect(breach?.data).toMatchObject({ milestone: 'acknowledgement', dueAt: c.sla.acknowledgementDueAt, notify: LOCAL_NAMES.supervisor });
    // Detected within a second of the deadline, on the clock.
    const late = breach?.type === 'sla_breached' ? Date.parse(breach.data.detectedAt) - Date.parse(breach.data.dueAt) : NaN;
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(1000);
    expect((await env.store.getCase(c.caseId))?.slaBreached).toBe(true);
    await mailTo(LOCAL_NAMES.supervisor, c.reference, 'SLA breached: acknowledgement');
  });

  it('meets initial assistance when an agent answers in time, then ends (M3.1, C3.1)', async () => {
    const c = await opened('inquiry');
    await running.advance(HOUR);
    await replyToCustomer(c.caseId, { message: 'Here is the information you asked for.' }, { actor: agent }, { store: env.store, clock: systemClock });
    await running.advance(25 * HOUR);
    expect(await eventsOf(c.caseId, 'sla_warning')).toEqual([]);
    expect(await eventsOf(c.caseId, 'sla_breached')).toEqual([]);
    expect(execution(c.caseId).status).toBe('SUCCEEDED');
  });

  it('closes a resolved case by itself seven days after resolution, through a workflow started again for it (M7.2)', async () => {
    const c = await opened('inquiry');
    await running.advance(HOUR);
    await replyToCustomer(c.caseId, { message: 'Here is the answer.' }, { actor: agent }, { store: env.store, clock: systemClock });
    await running.advance(25 * HOUR);
    expect(execution(c.caseId).status).toBe('SUCCEEDED');
    const resolved = await resolveCase(c.caseId, { summary: 'Answered by email' }, { actor: agent }, { store: env.store, clock: systemClock });
    // The resolution is a change with a timer: the stream starts the case's workflow again.
    await eventually(async () => (background.sfn.listExecutions().some((e) => e.name === `case-${c.caseId}-r2`) ? true : undefined), 15_000, 'the restarted workflow');
    await running.advance(7 * 24 * HOUR - MIN);
    expect((await env.store.getCase(c.caseId))?.status).toBe('resolved');
    await running.advance(2 * MIN);
    const closed = await env.store.getCase(c.caseId);
    expect(closed).toMatchObject({ status: 'closed', expiresAt: expect.any(Number) });
    expect(Date.parse(closed?.closedAt ?? '') - Date.parse(resolved.autoCloseAt ?? '')).toBeLessThan(1000);
    // A week of the workflow's steps: the satisfaction survey and its reminder come before the closure (M8.1).
    expect((await env.store.getTimeline(c.caseId)).map((e) => e.type).filter((t) => t.startsWith('survey_'))).toEqual(['survey_sent', 'survey_reminded']);
  }, 90_000);

  it('warns the team at 18 hours and breaches initial assistance at 24 hours (M3.1, C3.1)', async () => {
    const c = await opened('inquiry');
    await running.advance(18 * HOUR);
    expect((await eventsOf(c.caseId, 'sla_warning')).map((e) => e.data)).toEqual([expect.objectContaining({ milestone: 'initial_response' })]);
    expect(await eventsOf(c.caseId, 'sla_breached')).toEqual([]);
    await mailTo(LOCAL_NAMES.teamInbox, c.reference, 'SLA warning: initial assistance');
    await running.advance(6 * HOUR);
    expect((await eventsOf(c.caseId, 'sla_breached')).map((e) => e.data)).toEqual([expect.objectContaining({ milestone: 'initial_response', dueAt: c.sla.initialResponseDueAt })]);
    await mailTo(LOCAL_NAMES.supervisor, c.reference, 'SLA breached: initial assistance');
  });

  it('escalates an unresolved complaint to the supervisor at 24 hours and to the manager 24 hours later (M3.2, M3.3, C3.3)', async () => {
    const c = await opened('complaint');
    await running.advance(HOUR);
    await replyToCustomer(c.caseId, { message: 'We are looking into the double charge.' }, { actor: agent }, { store: env.store, clock: systemClock });
    await running.advance(23 * HOUR);
    const [first] = await env.store.getEscalations(c.caseId);
    expect(first).toMatchObject({ level: 1, trigger: 'automatic', responsibleParty: LOCAL_NAMES.supervisor });
    // Escalated at the 24-hour deadline: within a second of it, never before.
    const delay = Date.parse(first?.escalatedAt ?? '') - Date.parse(c.sla.escalationDueAt ?? '');
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(1000);
    expect((await eventsOf(c.caseId, 'escalated')).length).toBe(1);
    await mailTo(LOCAL_NAMES.supervisor, c.reference, 'Escalated to you (level 1)');

    await running.advance(24 * HOUR);
    const levels = await env.store.getEscalations(c.caseId);
    expect(levels.map((e) => [e.level, e.responsibleParty, e.escalatedFrom])).toEqual([
      [1, LOCAL_NAMES.supervisor, 'unassigned'],
      [2, LOCAL_NAMES.manager, LOCAL_NAMES.supervisor],
    ]);
    await mailTo(LOCAL_NAMES.manager, c.reference, 'Escalated to you (level 2)');
  });

  it('enforces no deadline of a case closed early, and still emails its satisfaction survey a day after resolution, then ends (M3.1, M8.1)', async () => {
    const c = await opened('complaint');
    const actions = { store: env.store, clock: systemClock };
    await resolveCase(c.caseId, { summary: 'refund issued', checklist: COMPLETE_CHECKLIST }, { actor: agent }, actions);
    await closeCase(c.caseId, {}, { actor: agent }, actions);
    await running.advance(19 * HOUR);
    expect(await eventsOf(c.caseId, 'sla_warning')).toEqual([]);
    expect(await env.store.getEscalations(c.caseId)).toEqual([]);
    expect(await eventsOf(c.caseId, 'survey_sent')).toEqual([]);
    await running.advance(5 * HOUR);
    expect((await eventsOf(c.caseId, 'survey_sent')).length).toBe(1);
    await mailTo(c.customer.email ?? '', c.reference, 'How did we do?');
    await running.advance(3 * 24 * HOUR);
    expect((await eventsOf(c.caseId, 'survey_reminded')).length).toBe(1);
    await mailTo(c.customer.email ?? '', c.reference, 'Reminder: how did we do?');
    await eventually(() => (execution(c.caseId).status === 'SUCCEEDED' ? true : undefined), 10_000, 'the workflow ended');
    expect(await eventsOf(c.caseId, 'sla_breached')).toEqual([]);
  }, 90_000);

  it('moves the initial-assistance deadline by the time spent waiting for the customer', async () => {
    const c = await opened('inquiry');
    const actions = { store: env.store, clock: systemClock };
    await running.advance(HOUR);
    await setPendingCustomer(c.caseId, { reason: 'asked for the order number' }, { actor: agent }, actions);
    await running.advance(30 * HOUR);
    expect(await eventsOf(c.caseId, 'sla_breached')).toEqual([]);
    await clearPendingCustomer(c.caseId, { reason: 'customer answered' }, { actor: { kind: 'customer' } }, actions);
    // 24 h of running clock: 1 h before the pause + 23 h after it.
    await running.advance(22 * HOUR);
    expect(await eventsOf(c.caseId, 'sla_breached')).toEqual([]);
    await running.advance(1 * HOUR + 2 * MIN);
    expect((await eventsOf(c.caseId, 'sla_breached')).map((e) => e.data)).toEqual([expect.objectContaining({ milestone: 'initial_response' })]);
  });

  it('treats a duplicate start as harmless: one execution per case', async () => {
    const c = await opened('inquiry');
    const workflows = new SfnSlaWorkflows(createSfnClient({ ...readConfig(AwsEndpointsSchema), SFN_ENDPOINT: background.sfnEndpoint }), background.slaStateMachineArn);
    expect(await workflows.ensureRunning(c.caseId)).toBe('already-running');
    expect(await workflows.ensureRunning(c.caseId)).toBe('already-running');
    expect(background.sfn.listExecutions().filter((e) => e.name.startsWith(`case-${c.caseId}`))).toHaveLength(1);
  });

  it('restarts a lost execution from the case record with the reconciler, and the breach is still caught', async () => {
    // No automatic acknowledgement: nothing changes the case afterwards, so only the reconciler can restart it.
    const c = await opened('inquiry', false);
    await background.sfn.stopExecution(`case-${c.caseId}`);
    expect(execution(c.caseId).status).toBe('ABORTED');
    const result = await running.reconcile();
    expect(result.started).toBeGreaterThanOrEqual(1);
    expect(execution(c.caseId, 2).status).toBe('RUNNING');
    await background.sfn.idle();
    await running.advance(24 * HOUR);
    expect((await eventsOf(c.caseId, 'sla_breached')).map((e) => e.data)).toEqual([expect.objectContaining({ milestone: 'acknowledgement' }), expect.objectContaining({ milestone: 'initial_response' })]);
  });
});
