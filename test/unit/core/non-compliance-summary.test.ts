import { parseDocument, DomUtils } from 'htmlparser2';
import { renderMonthlyReportHtml } from '../../../functions/adapters/report-html';
import { computeMonthlyReport } from '../../../functions/core/monthly-report';
import { openNonCompliance, recordCorrectiveAction, type NonComplianceRecord } from '../../../functions/core/non-compliance';
import { summarizeNonCompliance } from '../../../functions/core/non-compliance-summary';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { ALL_RECORDS, AS_OF, MANIFESTS, MONTH } from '../../support/monthly-report-fixture';

const DAY = 86_400_000;
const supervisor = { kind: 'supervisor' as const, id: 'sup-sam' };
const T0 = Date.parse('2026-03-02T09:00:00.000Z');

function opened(id: string, atMs: number, over: { staffId?: string; reported?: boolean; earlier?: NonComplianceRecord[] } = {}): NonComplianceRecord {
  return openNonCompliance({
    id,
    cause: over.reported ? { kind: 'reported', description: 'x' } : { kind: 'sla_breach', milestone: 'acknowledgement', dueAt: new Date(atMs).toISOString() },
    staffId: over.staffId,
    openedBy: supervisor,
    at: new Date(atMs),
    policy: slaPolicy(),
    earlier: over.earlier ?? [],
    notify: 'supervisors',
  });
}
const acted = (r: NonComplianceRecord, atMs: number, type: 'retraining' | 'process_change' = 'retraining') => recordCorrectiveAction(r, { type, description: 'd', evidence: 'e' }, supervisor, new Date(atMs));

describe('non-compliance in the monthly report (C8.1–C8.3)', () => {
  const a1 = opened('nc-a1', T0, { staffId: 'agent-ana' });
  const a2 = opened('nc-a2', T0 + DAY, { staffId: 'agent-ana', earlier: [a1] });
  const a3 = opened('nc-a3', T0 + 2 * DAY, { staffId: 'agent-ana', earlier: [a1, a2] });
  const records = [acted(a1, T0 + 2 * DAY), acted(a2, T0 + 9 * DAY, 'process_change'), a3, opened('nc-r', T0 + 20 * DAY, { reported: true })];
  const asOf = T0 + 21 * DAY;

  it('counts the month’s records by cause, corrected in time or late, overdue or pending, and names the staff with repeated non-compliance', () => {
    expect(summarizeNonCompliance(records, asOf)).toEqual({
      opened: 4,
      byCause: { slaBreach: 3, reported: 1, qualityReview: 0 },
      correctedInTime: 1,
      correctedLate: 1,
      overdue: 1,
      pending: 1,
      signedOff: 0,
      actionsByType: [
        { type: 'retraining', count: 1 },
        { type: 'additional_oversight', count: 0 },
        { type: 'revised_responsibilities', count: 0 },
        { type: 'process_change', count: 1 },
      ],
      repeated: [{ staffId: 'agent-ana', records: 1 }],
    });
  });

  it('shows them on the report page in tables, with the repeated staff member (C8.3)', async () => {
    const report = { ...computeMonthlyReport({ month: MONTH, asOf: AS_OF, records: ALL_RECORDS, manifests: MANIFESTS }), nonCompliance: summarizeNonCompliance(records, asOf) };
    const doc = parseDocument(await renderMonthlyReportHtml(report));
    const text = DomUtils.textContent(doc).replace(/\s+/g, ' ');
    expect(text).toContain('Non-compliance and corrective actions');
    expect(text).toContain('Overdue: no corrective action, deadline passed1');
    expect(text).toContain('Repeated records this month agent-ana1');
  });
});
