import type { SlaPolicyVersions } from '../../../web/console/src/api/types';
import { onMyTeam, teamContacts } from '../../../web/console/src/logic/team-escalations';

const policy = (version: string, escalationContacts?: Record<string, { supervisor: string; manager?: string }>) => ({
  policy: { version, acknowledgementMinutes: 15, initialResponseHours: 24, complaintEscalationHours: 24, correctiveActionDays: 7, retentionYears: 5, warningRatio: 0.75, escalationResponseHours: 24, maxEscalationLevel: 2, autoCloseDays: 7, ...(escalationContacts ? { escalationContacts } : {}) },
  current: false,
  calendarByCase: [],
});
const versions: SlaPolicyVersions = {
  currentPolicyVersion: 'v2',
  policies: [policy('2026-11'), policy('v1', { billing: { supervisor: 'Billing.Sup@example.com', manager: 'billing.mgr@example.com' } }), policy('v2', { billing: { supervisor: 'billing.lead@example.com' }, returns: { supervisor: 'returns.sup@example.com' } })],
};
const row = (caseId: string, responsibleParty: string) => ({ caseId, escalation: { number: 1, level: 1, escalatedAt: '2026-03-02T09:00:00.000Z', responsibleParty, respondBy: '2026-03-03T09:00:00.000Z' } });

describe('the escalations board: My team (M3.3, M4.2)', () => {
  it("shows a billing supervisor the escalations that went to billing's contacts of any version, and no other team's (M3.3)", () => {
    const contacts = teamContacts({ team: 'billing' }, versions);
    const rows = [row('a', 'billing.sup@example.com'), row('b', 'returns.sup@example.com'), row('c', 'billing.lead@example.com'), row('d', 'supervisor@example.com'), row('e', 'billing.mgr@example.com')];
    expect(onMyTeam(rows, contacts).map((r) => r.caseId)).toEqual(['a', 'c', 'e']);
  });

  it('shows every active escalation to a supervisor without a team, or of a team no version lists (M4.2)', () => {
    const rows = [row('a', 'billing.sup@example.com'), row('b', 'supervisor@example.com')];
    expect(onMyTeam(rows, teamContacts({}, versions)).map((r) => r.caseId)).toEqual(['a', 'b']);
    expect(onMyTeam(rows, teamContacts({ team: 'shop' }, versions)).map((r) => r.caseId)).toEqual(['a', 'b']);
    expect(onMyTeam(rows, teamContacts(undefined, versions)).map((r) => r.caseId)).toEqual(['a', 'b']);
  });
});
