import type { NonComplianceRecord } from './non-compliance';
import type { OutgoingEmail } from './ports';
import { escapeHtml } from './text/escape-html';
import { humanDate, type Presentation } from './text/human-date';

export type NonComplianceNoticeKind = 'non_compliance_warning' | 'non_compliance_overdue';

/**
 * The corrective-action workflow's emails to staff (C8.1): the warning to the supervisor on duty
 * before the deadline, and the missed deadline to management. They name the record, its cause,
 * the case's id and the member of staff's id: never a customer's data (a reported description is
 * staff text and stays in the console, not in mail).
 */
export function renderNonComplianceNotice(r: NonComplianceRecord, kind: NonComplianceNoticeKind, to: string, presentation: Presentation = {}): OutgoingEmail {
  const due = humanDate(r.correctiveActionDueAt, presentation);
  const cause = r.cause.kind === 'sla_breach' ? `SLA breach: the ${r.cause.milestone.replace('_', ' ')} deadline was missed` : r.cause.kind === 'quality_review' ? `a failed response-quality review (${r.cause.reviewId})` : 'reported by staff';
  const lines =
    kind === 'non_compliance_warning'
      ? [`Non-compliance record ${r.id} (${cause}) needs a corrective action by ${due}.`, 'Record the action taken (retraining, additional oversight, revised responsibilities or a process change) with its evidence in the console.']
      : [`Non-compliance record ${r.id} (${cause}) passed its corrective-action deadline (${due}) with no action recorded.`, 'The missed deadline is recorded on the record; the protocol asks for corrective action within 7 days of every non-compliance (C8.1).'];
  const facts = [r.caseId ? `Case: ${r.caseId}` : undefined, r.staffId ? `Staff member: ${r.staffId}` : undefined, r.repeated ? 'Repeated non-compliance by this staff member (C8.3).' : undefined].filter((l): l is string => l !== undefined);
  const subject = kind === 'non_compliance_warning' ? `Corrective action due: non-compliance ${r.id}` : `Corrective action overdue: non-compliance ${r.id}`;
  const all = [...lines, ...facts];
  return {
    to,
    subject,
    text: all.join('\n'),
    html: `<!doctype html><html><body>${all.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`,
    autoSubmitted: 'auto-generated',
    headers: { 'X-Caseflow-Non-Compliance': r.id },
  };
}
