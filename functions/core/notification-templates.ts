import { customerAddress, type Case } from './case';
import type { OutboxMessage } from './outbox';
import type { OutgoingEmail } from './ports';
import { renderAcknowledgement } from './acknowledgement-template';
import { customerQuoteBlock } from './text/customer-quote-block';
import { escapeHtml } from './text/escape-html';
import { humanDate, type Presentation } from './text/human-date';
import { quoteCustomerText } from './text/quote-customer-text';
import type { SurveyRef } from './survey';

const MILESTONE_NAMES: Record<string, string> = {
  acknowledgement: 'acknowledgement (15 minutes)',
  initial_response: 'initial assistance (24 hours)',
  escalation: 'complaint escalation (24 hours)',
};

/**
 * A plain internal notification; staff emails carry the reference and deadlines, never the customer's
 * contact data. The case subject is customer text, quoted defanged like everywhere in outbound mail:
 * phishing the staff is still phishing (docs/email-templates.md).
 */
function staffEmail(c: Case, to: string, subject: string, lines: string[]): OutgoingEmail {
  const quote = customerQuoteBlock("The customer's subject:", c.subject);
  const summary = `Case ${c.reference} (${c.type}, priority ${c.priority}, status ${c.status})`;
  const text = [...lines, '', summary, ...quote.text].join('\n');
  const html = `<!doctype html><html><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}
<p><strong>Case ${escapeHtml(c.reference)}</strong> (${c.type}, priority ${c.priority}, status ${c.status})</p>
${quote.html}</body></html>`;
  return { to, subject: `[${c.reference}] ${subject}`, text, html, autoSubmitted: 'auto-generated', headers: { 'X-Caseflow-Case': c.reference } };
}

/** Renders an owed message for its recipient; dates in the presentation's time zone and locale (default UTC). */
/** `surveyLink`: a survey message's signed link (surveyRefOf's survey, signed by the SurveyLinks port); survey mail needs it. */
export function renderOutboxMessage(c: Case, m: OutboxMessage, presentation: Presentation = {}, surveyLink?: string): OutgoingEmail {
  const d = m.data ?? {};
  const milestone = MILESTONE_NAMES[d.milestone ?? ''] ?? d.milestone ?? '';
  const when = (iso: string | undefined) => (iso ? humanDate(iso, presentation) : 'unknown');
  switch (m.kind) {
    case 'acknowledgement':
      return renderAcknowledgement(c, presentation);
    case 'agent_reply':
      // The agent's words go as written; the subject line quotes the customer's subject, so defanged.
      return {
        to: customerAddress(c),
        subject: `[${c.reference}] ${quoteCustomerText(c.subject).text}`,
        text: `${d.message ?? ''}\n\n--\nCase ${c.reference}. Reply to this email to add information.`,
        html: `<!doctype html><html><body><p>${escapeHtml(d.message ?? '').replace(/\n/g, '<br>')}</p><p style="color:#666">Case ${c.reference}. Reply to this email to add information.</p></body></html>`,
        headers: { 'X-Caseflow-Case': c.reference },
      };
    case 'sla_warning':
      return staffEmail(c, m.to ?? '', `SLA warning: ${milestone} due ${when(d.dueAt)}`, [
        `The ${milestone} deadline for this case falls at ${when(d.dueAt)}.`,
        d.milestone === 'escalation'
          ? 'If the complaint is not resolved by then it will be escalated to the supervisor on duty automatically.'
          : 'Please act on the case before then.',
      ]);
    case 'sla_breach':
      return staffEmail(c, m.to ?? '', `SLA breached: ${milestone}`, [
        `The ${milestone} deadline for this case passed at ${when(d.dueAt)} without being met (detected ${when(d.detectedAt)}).`,
        'The breach is recorded on the case timeline and the case is flagged in the queues.',
      ]);
    case 'escalation':
      return staffEmail(c, m.to ?? '', `Escalated to you (level ${d.level ?? '?'})`, [
        `This case has been escalated to you at level ${d.level ?? '?'}: ${d.reason ?? ''}.`,
        `Please acknowledge and act by ${when(d.respondBy)}; otherwise it is escalated to the next level.`,
      ]);
    case 'survey':
    case 'survey_reminder':
      return surveyEmail(c, m, presentation, surveyLink);
  }
}

/** The survey a survey message's link names. */
export function surveyRefOf(c: Case, m: OutboxMessage): SurveyRef {
  const d = m.data ?? {};
  if (!d.surveyId || !d.expiresAt) throw new Error(`Outbox message ${m.id} names no survey`);
  return { caseId: c.caseId, surveyId: d.surveyId, expiresAt: d.expiresAt };
}

/**
 * The satisfaction survey (M8.1, M9.4, C7.1) and its one reminder: a link to the survey page, which
 * answers until the link expires. The link is signed now, at delivery, so no token waits in the table.
 */
function surveyEmail(c: Case, m: OutboxMessage, presentation: Presentation, link: string | undefined): OutgoingEmail {
  const ref = surveyRefOf(c, m);
  if (!link) throw new Error('caseflow configuration error: survey mail needs the survey links (SURVEY_BASE_URL and the survey link keys)');
  const reminder = m.kind === 'survey_reminder';
  const lines = [
    reminder ? 'A few days ago we asked how we handled your case; if you have a minute, we would still like to know.' : 'Your case has been resolved. How did we do?',
    'Three short questions (a rating from 1 to 5, whether your issue was solved, and a comment if you wish):',
  ];
  const until = `The link works until ${humanDate(ref.expiresAt, presentation)}.`;
  return {
    to: customerAddress(c),
    subject: `[${c.reference}] ${reminder ? 'Reminder: how did we do?' : 'How did we do?'}`,
    text: [...lines, link, '', until, `--\nCase ${c.reference}`].join('\n'),
    html: `<!doctype html><html><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<p><a href="${escapeHtml(link)}">Answer the survey</a></p><p style="color:#666">${escapeHtml(until)} Case ${escapeHtml(c.reference)}.</p></body></html>`,
    autoSubmitted: 'auto-generated',
    headers: { 'X-Caseflow-Case': c.reference },
  };
}
