import { canSendTo as serverCanSendTo } from '../../../functions/core/email-address';
import { availableActions, canSendTo } from '../../../web/console/src/logic/actions';
import { buttonsFor } from '../../../web/console/src/logic/case-actions-ui';
import { caseRecord, session } from './fixtures';

const agent = session(['agents'], 'ada');
const supervisor = session(['supervisors'], 'sam');
const manager = session(['managers'], 'max');
const auditor = session(['auditors'], 'aud');
const escalation = (level: number, accepted = false) => ({ number: 1, level, escalatedAt: '2026-03-02T10:00:00.000Z', responsibleParty: level === 1 ? 'supervisors' : 'managers', respondBy: '2026-03-02T14:00:00.000Z', ...(accepted ? { acknowledgedAt: '2026-03-02T10:30:00.000Z' } : {}) });
const labels = (c: Parameters<typeof availableActions>[0], s: Parameters<typeof availableActions>[1]) => buttonsFor(availableActions(c, s)).map((b) => b.label);

describe('the actions a case view offers, by the case’s state and the person’s roles', () => {
  it('offers an agent a new unassigned case’s first steps, and not a supervisor’s assignment', () => {
    const offered = labels(caseRecord(), agent);
    expect(offered).toEqual(expect.arrayContaining(['Claim', 'Acknowledge', 'Reply', 'Add note', 'Log call', 'Change type', 'Change priority', 'Wait for customer', 'Escalate', 'Resolve']));
    expect(offered).not.toContain('Assign');
    expect(offered).not.toContain('Unassign');
    expect(offered).not.toContain('Close case');
  });

  it('offers assignment to supervisors, and unassigning to the assignee', () => {
    expect(labels(caseRecord(), supervisor)).toContain('Assign');
    expect(labels(caseRecord({ assignee: { id: 'ada' } }), agent)).toContain('Unassign');
    expect(labels(caseRecord({ assignee: { id: 'bob' } }), agent)).not.toContain('Unassign');
    expect(labels(caseRecord({ assignee: { id: 'bob' } }), agent)).not.toContain('Claim');
  });

  it('does not offer acknowledging a case acknowledged already (M3.1)', () => {
    expect(labels(caseRecord({ status: 'acknowledged', acknowledgedAt: '2026-03-02T09:01:00.000Z' }), agent)).not.toContain('Acknowledge');
  });

  it('offers a waiting case Stop waiting instead of Wait for customer', () => {
    const offered = labels(caseRecord({ status: 'pending_customer' }), agent);
    expect(offered).toContain('Stop waiting');
    expect(offered).not.toContain('Wait for customer');
  });

  it('does not offer a reply to a customer who gave no email address', () => {
    expect(labels(caseRecord({ customer: { name: 'Caller', phone: '+44 20 7946 0958' } }), agent)).not.toContain('Reply');
  });

  it('does not offer a reply to an address Amazon SES cannot send to (non-ASCII before the @), as the server refuses it', () => {
    expect(labels(caseRecord({ customer: { name: 'Jörg', email: 'jörg@example.de' } }), agent)).not.toContain('Reply');
    expect(labels(caseRecord({ customer: { name: 'Jörg', email: 'joerg@mächine.example' } }), agent)).toContain('Reply');
    expect(canSendTo('grace@example.com')).toBe(true);
    expect(canSendTo('用户@例子.广告')).toBe(false);
  });

  it('offers supervisors granting the contact details and revoking a live grant (C4.2), and case workers correcting the customer (M5.1)', () => {
    const grant = { staffId: 'fay', grantedBy: 'sam', grantedAt: '2026-03-02T09:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z', reason: 'Survey' };
    expect(labels(caseRecord(), supervisor)).toEqual(expect.arrayContaining(['Grant contact details', 'Correct customer details']));
    expect(labels(caseRecord(), supervisor)).not.toContain('Revoke contact details');
    expect(labels(caseRecord({ contactAccess: [grant] }), supervisor)).toContain('Revoke contact details');
    expect(labels(caseRecord(), agent)).toContain('Correct customer details');
    expect(labels(caseRecord(), agent)).not.toContain('Grant contact details');
    expect(labels(caseRecord({ type: 'complaint' }), agent)).toContain('Checklist');
    expect(labels(caseRecord(), agent)).not.toContain('Checklist');
  });

  it('judges every address the server takes in as the server’s own mail check does', () => {
    for (const address of ['grace@example.com', 'a.b+tag@sub.example.org', 'jörg@example.de', 'joerg@mächine.example', '用户@例子.广告', 'ñandú@example.com']) {
      expect({ address, sendable: canSendTo(address) }).toEqual({ address, sendable: serverCanSendTo(address) });
    }
  });

  it('offers the escalated supervisor accept, record, resolve, de-escalate and escalate further; the agent none of them (M3.3)', () => {
    const c = caseRecord({ type: 'complaint', status: 'in_progress', escalation: escalation(1) });
    expect(labels(c, supervisor)).toEqual(expect.arrayContaining(['Accept escalation', 'Record action', 'Resolve escalation', 'De-escalate', 'Escalate', 'Resolve']));
    const forAgent = labels(c, agent);
    for (const l of ['Accept escalation', 'Record action', 'Resolve escalation', 'De-escalate', 'Escalate', 'Resolve']) expect(forAgent).not.toContain(l);
  });

  it('leaves a level-2 escalation to the managers, and stops offering acceptance once accepted', () => {
    const c = caseRecord({ status: 'in_progress', escalation: escalation(2) });
    expect(labels(c, supervisor)).not.toContain('Accept escalation');
    expect(labels(c, manager)).toContain('Accept escalation');
    expect(labels(caseRecord({ status: 'in_progress', escalation: escalation(1, true) }), supervisor)).not.toContain('Accept escalation');
  });

  it('offers a resolved case closing and reopening, and a closed case nothing at all (M7.2)', () => {
    const resolved = labels(caseRecord({ status: 'resolved' }), agent);
    expect(resolved).toEqual(expect.arrayContaining(['Close case', 'Reopen', 'Add note']));
    expect(resolved).not.toContain('Resolve');
    expect(labels(caseRecord({ status: 'closed' }), supervisor)).toEqual([]);
  });

  it('offers an auditor no change at all, only the audit trail (M6.3)', () => {
    expect(labels(caseRecord(), auditor)).toEqual([]);
    expect([...availableActions(caseRecord(), auditor)]).toEqual(['viewAudit']);
  });

  it('offers Follow-up only on a complaint whose follow-up is pending, to the agent it is for and supervisors, closed or not (M3.2)', () => {
    const pending = { date: '2026-03-09', responsible: 'ada', state: 'pending' as const };
    expect(labels(caseRecord({ type: 'complaint', status: 'resolved', followUp: pending }), agent)).toContain('Follow-up');
    expect(labels(caseRecord({ type: 'complaint', status: 'closed', followUp: pending }), supervisor)).toContain('Follow-up');
    expect(labels(caseRecord({ type: 'complaint', status: 'resolved', followUp: { ...pending, responsible: 'bob' } }), agent)).not.toContain('Follow-up');
    expect(labels(caseRecord({ type: 'complaint', status: 'resolved', followUp: { ...pending, state: 'recorded' } }), supervisor)).not.toContain('Follow-up');
    expect(labels(caseRecord({ type: 'complaint', status: 'resolved' }), supervisor)).not.toContain('Follow-up');
  });

  it('shows each button once (escalating and escalating further are one Escalate button)', () => {
    const all = labels(caseRecord({ status: 'in_progress', escalation: escalation(1) }), manager);
    expect(new Set(all).size).toBe(all.length);
  });
});
