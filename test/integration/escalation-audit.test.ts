import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { casePk, escalationSk } from '../../functions/adapters/dynamo/keys';
import { acceptEscalation, deescalateCase, escalateCase, recordEscalationAction, resolveEscalation } from '../../functions/core/actions/escalation-handling';
import type { Actor } from '../../functions/core/case';
import { fixedClock } from '../../functions/core/clock';
import type { EscalationAuditReport } from '../../functions/core/escalation-audit';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { seededRandom, submission } from '../support/fixtures';
import { apiEvent, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';
import { staffDirectory } from '../support/staff-directory';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (base: string, plusMs: number) => new Date(Date.parse(base) + plusMs).toISOString();

let env: Awaited<ReturnType<typeof freshTable>>;
let getEscalationAudit: unknown;
const ids: Record<string, string> = {};

const ana: Actor = { kind: 'agent', id: 'agent-ana' };
const sam: Actor = { kind: 'supervisor', id: 'sup-sam' };
const mia: Actor = { kind: 'manager', id: 'mgr-mia' };
const contacts = { teamInbox: 'team@example.com', supervisor: 'supervisor@example.com', manager: 'manager@example.com' };

async function open(name: string, type: 'inquiry' | 'complaint', at: string) {
  const caseId = randomUUID();
  ids[name] = caseId;
  await openCaseFromSubmission(
    { submission: submission({ type, email: uniqueEmail('escalation-audit') }), channel: 'web' },
    { store: env.store, clock: fixedClock(at), newCaseId: () => caseId, random: seededRandom(Object.keys(ids).length), policy: slaPolicy() },
  );
  return caseId;
}

const deps = (at: string) => ({ store: env.store, clock: fixedClock(at), staff: staffDirectory(), contacts });

/*
 * Cases received Mon 2 and Tue 3 March 2026, worked through the core's actions on the table (no SLA
 * workflow runs here, so nothing escalates by itself):
 * L  complaint, Mon 09:00: escalated by hand +30 h (6 h after its 24-hour deadline), accepted +31 h,
 *    an action +32 h, resolved +33 h; its log's outcome then rewritten behind the API.
 * N  complaint, Mon 10:00: nothing done.
 * Q  inquiry, Tue 08:00: escalated +1 h, the escalation resolved +2 h with no action recorded.
 * T  inquiry, Tue 09:00: escalated +1 h, an action +1.5 h, escalated further to the manager +2 h, an
 *    action +3 h, handed back +4 h; escalated again +5 h, an action +6 h, resolved +7 h: three escalations.
 * O  complaint, Wed 4 Mar 00:00: outside the period.
 */
beforeAll(async () => {
  env = await freshTable();
  ({ handler: getEscalationAudit } = await import('../../functions/handlers/get-escalation-audit'));

  const L0 = '2026-03-02T09:00:00.000Z';
  const L = await open('L', 'complaint', L0);
  await escalateCase(L, { reason: 'Refund above my authority' }, { actor: ana }, deps(iso(L0, 30 * HOUR)));
  await acceptEscalation(L, {}, { actor: sam }, deps(iso(L0, 31 * HOUR)));
  await recordEscalationAction(L, { action: 'Called the bank' }, { actor: sam }, deps(iso(L0, 32 * HOUR)));
  await resolveEscalation(L, { outcome: 'Refund approved' }, { actor: sam }, deps(iso(L0, 33 * HOUR)));
  await env.doc.send(
    new UpdateCommand({ TableName: env.tableName, Key: { PK: casePk(L), SK: escalationSk(1) }, UpdateExpression: 'SET outcome = :o', ExpressionAttributeValues: { ':o': 'Nothing was owed' } }),
  );

  await open('N', 'complaint', '2026-03-02T10:00:00.000Z');

  const Q0 = '2026-03-03T08:00:00.000Z';
  const Q = await open('Q', 'inquiry', Q0);
  await escalateCase(Q, { reason: 'Customer asks for a manager' }, { actor: ana }, deps(iso(Q0, HOUR)));
  await resolveEscalation(Q, { outcome: 'Explained the policy' }, { actor: sam }, deps(iso(Q0, 2 * HOUR)));

  const T0 = '2026-03-03T09:00:00.000Z';
  const T = await open('T', 'inquiry', T0);
  await escalateCase(T, { reason: 'Needs a supervisor' }, { actor: ana }, deps(iso(T0, HOUR)));
  await recordEscalationAction(T, { action: 'Checked the order' }, { actor: sam }, deps(iso(T0, 90 * MIN)));
  await escalateCase(T, { reason: 'Needs the manager' }, { actor: sam }, deps(iso(T0, 2 * HOUR)));
  await recordEscalationAction(T, { action: 'Approved a voucher' }, { actor: mia }, deps(iso(T0, 3 * HOUR)));
  await deescalateCase(T, { reason: 'The agent can finish it' }, { actor: mia }, deps(iso(T0, 4 * HOUR)));
  await escalateCase(T, { reason: 'The voucher did not work' }, { actor: ana }, deps(iso(T0, 5 * HOUR)));
  await recordEscalationAction(T, { action: 'Issued a new voucher' }, { actor: sam }, deps(iso(T0, 6 * HOUR)));
  await resolveEscalation(T, { outcome: 'New voucher sent' }, { actor: sam }, deps(iso(T0, 7 * HOUR)));

  const O0 = '2026-03-04T00:00:00.000Z';
  const O = await open('O', 'complaint', O0);
  await escalateCase(O, { reason: 'Late' }, { actor: ana }, deps(iso(O0, 30 * HOUR)));
});

const call = (query: Record<string, string>, token: string) =>
  invoke(getEscalationAudit, apiEvent({ method: 'GET', path: '/v1/reports/escalation-audit', query, headers: { authorization: `Bearer ${token}` } }));

const PERIOD = { from: '2026-03-02', to: '2026-03-03' };
const nameOf = (caseId: string) => Object.entries(ids).find(([, id]) => id === caseId)?.[0];

describe('GET /v1/reports/escalation-audit (M6.3, C6.3)', () => {
  it('audits the escalated cases received over two days, read from the table, those breaking the protocol first', async () => {
    const res = await call(PERIOD, await staffToken(['supervisors'], 'audit-sup'));
    expect(res.status).toBe(200);
    const report = res.body as unknown as EscalationAuditReport;
    expect(report.period).toEqual({ ...PERIOD, days: 2 });
    expect(report.cases.map((c) => [nameOf(c.caseId), c.findings.map((f) => `${f.rule} ${f.escalationId ?? '-'}`)])).toEqual([
      // L: late (M3.2), and its log's outcome differs from the trail's (M9.3); N: never escalated; Q: no action.
      ['L', ['M3.2-escalated-late ESC-01', 'M9.3-log-differs ESC-01']],
      ['N', ['M3.2-not-escalated -']],
      ['Q', ['M9.3-no-action ESC-01']],
      ['T', ['M6.3-repeated -']],
    ]);
    const L = report.cases[0]!;
    expect(L.findings[1]?.text).toBe('ESC-01: the escalation log differs from the trail: its outcome is not the one recorded on the trail (M9.3)');
    expect(L.escalations[0]).toMatchObject({ timeToEscalateMs: 30 * HOUR, acceptedBy: 'sup-sam', timeToAcceptMs: HOUR, actionsTaken: 1, ending: 'resolved', outcomeRecorded: true, timeToResolveMs: 3 * HOUR });
    const T = report.cases[3]!;
    expect(T.escalations.map((e) => [e.escalationId, e.level, e.responsibleParty, e.ending, e.actionsTaken])).toEqual([
      ['ESC-01', 1, 'supervisor@example.com', 'escalated-further', 1],
      ['ESC-02', 2, 'manager@example.com', 'de-escalated', 1],
      ['ESC-03', 1, 'supervisor@example.com', 'resolved', 1],
    ]);
    expect(report.summary).toMatchObject({
      cases: 4,
      complaints: 2,
      escalatedCases: 3,
      escalations: 5,
      escalatedMoreThanOnce: 1,
      flaggedForReview: 1,
      complaintEscalation: { inTime: 0, late: 1, missing: 1 },
      audited: 4,
      casesBreakingProtocol: 3,
      breachRate: 0.75,
    });
    // No free text of the cases (M5.1): not the reasons, actions, outcomes, nor the outcome written behind the API.
    for (const t of ['Refund', 'Called the bank', 'voucher', 'Nothing was owed', 'escalation-audit.']) expect(JSON.stringify(report)).not.toContain(t);
  });

  it('is for the auditors too, and flags for review from the limit the query gives', async () => {
    const res = await call({ ...PERIOD, repeatLimit: '3' }, await staffToken(['auditors'], 'audit-aud'));
    expect(res.status).toBe(200);
    const report = res.body as unknown as EscalationAuditReport;
    expect(report.repeatLimit).toBe(3);
    expect(report.summary.flaggedForReview).toBe(0);
  });

  it('turns away a representative and the feedback team with 403: the audit is for supervisors and auditors', async () => {
    for (const role of ['agents', 'feedback']) {
      const res = await call(PERIOD, await staffToken([role], `audit-${role}`));
      expect(res.status).toBe(403);
    }
  });

  it('refuses a period longer than 93 days with a 400 naming `to`', async () => {
    const res = await call({ from: '2026-03-02', to: '2026-06-30' }, await staffToken(['supervisors'], 'audit-sup'));
    expect(res.status).toBe(400);
    expect(res.body?.issues).toEqual([{ path: 'to', message: 'A period is at most 93 days; from 2026-03-02 to 2026-06-30 is 121' }]);
  });
});
