import { randomUUID } from 'node:crypto';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { FileStaffDirectory } from '../../functions/adapters/file-staff-directory';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { systemClock } from '../../functions/adapters/system-clock';
import { wiring } from '../../functions/adapters/wiring';
import type { Case } from '../../functions/core/case';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { CURRENT_SLA_POLICY_VERSION, slaPolicy } from '../../functions/core/sla-policy';
import { prepareBackground } from '../../local/background';
import { LOCAL_NAMES } from '../../local/resources';
import { submission } from '../support/fixtures';
import { apiEvent, capturedMail, eventually, freshTable, invoke, onCase, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * Escalations go to the contacts of the case's team (its assignee's team, recorded on the case when it was assigned)
 * under the case's own SLA policy version (M3.3, M8.3), through the handlers against DynamoDB
 * Local, the local SLA workflow on the controllable clock and the SES capture.
 */
const HOUR = 3_600_000;
const BILLING = { supervisor: 'billing.supervisor@staff.example', manager: 'billing.manager@staff.example' };
const BILLING_LATER = { supervisor: 'billing.lead@staff.example', manager: 'billing.head@staff.example' };

let background: Awaited<ReturnType<typeof prepareBackground>>;
let running: Awaited<ReturnType<Awaited<ReturnType<typeof prepareBackground>>['start']>>;
let app: ReturnType<typeof wiring>;
let handlers: { publish: unknown; assign: unknown; escalate: unknown };
let tokens: { admin: string; supervisor: string; billingAgent: string };

beforeAll(async () => {
  const env = await freshTable();
  background = await prepareBackground({ dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT ?? '', tableName: env.tableName, pollIntervalMs: 50 });
  running = await background.start();
  app = wiring({ ...readConfig(AwsEndpointsSchema), TABLE_NAME: env.tableName, SFN_ENDPOINT: background.sfnEndpoint, SLA_STATE_MACHINE_ARN: background.slaStateMachineArn });
  handlers = {
    publish: (await import('../../functions/handlers/publish-sla-policy')).handler,
    assign: (await import('../../functions/handlers/assign-case')).handler,
    escalate: (await import('../../functions/handlers/escalate-case')).handler,
  };
  tokens = { admin: await staffToken(['admins'], 'admin-1'), supervisor: await staffToken(['supervisors'], 'sup-1'), billingAgent: await staffToken(['agents'], 'bill-agent') };
  // The directory's teams (a token puts its member on the roster without one, so the teams go on after).
  const roster = new FileStaffDirectory(process.env.STAFF_DIRECTORY_FILE ?? '');
  roster.register({ id: 'bill-agent', name: 'Bill Agent', email: 'bill.agent@staff.example', roles: ['agents'], team: 'billing' });
  roster.register({ id: 'shop-agent', name: 'Shop Agent', email: 'shop.agent@staff.example', roles: ['agents'], team: 'shop' });
}, 90_000);

afterAll(() => background.stop());

/** Publishes a version like the built-in one with these escalation contacts, as an admin does (POST /v1/sla-policies). */
async function publish(escalationContacts: Record<string, { supervisor: string; manager?: string }>) {
  const version = `it-team-${randomUUID().slice(0, 8)}`;
  const body = { ...slaPolicy(CURRENT_SLA_POLICY_VERSION), version, escalationContacts };
  const res = await invoke(handlers.publish, apiEvent({ method: 'POST', path: '/v1/sla-policies', body: JSON.stringify(body), headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' } }));
  expect(res.status).toBe(201);
  return version;
}

/** A complaint opened under the current version as intake does, assigned by a supervisor, its workflow parked in a Wait. */
async function complaintAssignedTo(assigneeId: string): Promise<Case> {
  const policy = await app.slaPolicies.current();
  const deps = { store: app.cases, clock: systemClock, newCaseId, random: cryptoRandom, policy, acknowledgements: { automatic: true, limitPerHour: 3 } };
  const { case: c } = await openCaseFromSubmission({ submission: submission({ type: 'complaint', email: uniqueEmail('complaint') }), channel: 'web' }, deps);
  await eventually(() => (background.sfn.listExecutions().some((e) => e.name === `case-${c.caseId}` && e.status === 'RUNNING') ? true : undefined), 10_000, 'workflow started');
  await eventually(async () => ((await app.cases.getCase(c.caseId))?.acknowledgedAt ? true : undefined), 10_000, 'acknowledged');
  expect((await onCase(handlers.assign, c.caseId, 'assignment', { token: tokens.supervisor, body: { assigneeId } })).status).toBe(200);
  await background.sfn.idle();
  return (await app.cases.getCase(c.caseId))!;
}

const mailTo = (to: string, reference: string, subject: string) =>
  eventually(async () => (await capturedMail()).find((m) => m.destination.to.includes(to) && m.subject.includes(reference) && m.subject.includes(subject)), 10_000, `${subject} to ${to}`);

describe('escalations to the case team’s contacts', () => {
  it("escalates a billing agent's complaint after 24 hours to billing's supervisor of the case's version, another team's to the configured supervisor; a later version changes neither, by hand or by the workflow (M3.2, M3.3, M8.3)", async () => {
    const version = await publish({ billing: BILLING });
    const billing = await complaintAssignedTo('bill-agent');
    const shop = await complaintAssignedTo('shop-agent');
    const byHand = await complaintAssignedTo('bill-agent');
    expect([billing, shop, byHand].map((c) => c.sla.policyVersion)).toEqual([version, version, version]);

    // A newer version lists other billing contacts: the open cases keep their version's (M8.3).
    await publish({ billing: BILLING_LATER });
    const manual = await onCase(handlers.escalate, byHand.caseId, 'escalations', { token: tokens.billingAgent, body: { reason: 'Refund above my authority' } });
    expect(manual.status).toBe(200);
    expect(await app.cases.getEscalations(byHand.caseId)).toEqual([expect.objectContaining({ trigger: 'manual', responsibleParty: BILLING.supervisor, escalatedFrom: 'bill.agent@staff.example' })]);
    await mailTo(BILLING.supervisor, byHand.reference, 'Escalated to you (level 1)');

    await running.advance(24 * HOUR + 1000);
    const [auto] = await app.cases.getEscalations(billing.caseId);
    expect(auto).toMatchObject({ level: 1, trigger: 'automatic', responsibleParty: BILLING.supervisor, escalatedFrom: 'bill.agent@staff.example' });
    await mailTo(BILLING.supervisor, billing.reference, 'Escalated to you (level 1)');
    const [other] = await app.cases.getEscalations(shop.caseId);
    expect(other).toMatchObject({ level: 1, trigger: 'automatic', responsibleParty: LOCAL_NAMES.supervisor, escalatedFrom: 'shop.agent@staff.example' });
    await mailTo(LOCAL_NAMES.supervisor, shop.reference, 'Escalated to you (level 1)');
    // Nobody mailed the newer version's billing lead.
    expect((await capturedMail()).filter((m) => m.destination.to.includes(BILLING_LATER.supervisor))).toEqual([]);

    // A day later, unaccepted: billing's manager of the case's version.
    await running.advance(24 * HOUR);
    expect((await app.cases.getEscalations(billing.caseId)).map((e) => [e.level, e.responsibleParty])).toEqual([
      [1, BILLING.supervisor],
      [2, BILLING.manager],
    ]);
    await mailTo(BILLING.manager, billing.reference, 'Escalated to you (level 2)');
  }, 90_000);
});
