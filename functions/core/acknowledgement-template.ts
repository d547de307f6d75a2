import { customerAddress, type Case } from './case';
import type { OutgoingEmail } from './ports';
import { customerQuoteBlock } from './text/customer-quote-block';
import { escapeHtml } from './text/escape-html';
import { humanDate, type Presentation } from './text/human-date';
import { greetingName } from './text/quote-customer-text';

export const NOT_YOU_NOTE = 'If you did not contact us, you can ignore this email; no account or action is involved.';

/**
 * The acknowledgement (M3.1). It goes to an address the submitter typed, unverified, so it carries
 * customer text only as docs/email-templates.md allows: none in the subject line, at most a first
 * name in the greeting, and the customer's subject once, framed as theirs, shortened and defanged.
 * The reference leads the subject in brackets, the form helpdesks use and mail clients keep on
 * reply, so that replies thread back to the case.
 */
export function renderAcknowledgement(c: Case, presentation: Presentation = {}): OutgoingEmail {
  const kind = c.type === 'complaint' ? 'complaint' : 'request';
  const due = humanDate(c.sla.initialResponseDueAt, presentation);
  const first = greetingName(c.customer.name);
  const hello = first ? `Hello ${first},` : 'Hello,';
  const quote = customerQuoteBlock('You wrote to us with this subject:', c.subject);
  const text = [
    hello,
    '',
    `Thank you for contacting us. We have received your ${kind} and opened case ${c.reference}.`,
    `A member of our team will get back to you no later than ${due}.`,
    '',
    ...quote.text,
    '',
    'To add information, reply to this email and keep the case reference in the subject.',
    '',
    NOT_YOU_NOTE,
    '',
    'This is an automatic message.',
  ].join('\n');
  const html = `<!doctype html><html><body>
<p>${escapeHtml(hello)}</p>
<p>Thank you for contacting us. We have received your ${kind} and opened case <strong>${escapeHtml(c.reference)}</strong>.</p>
<p>A member of our team will get back to you no later than ${escapeHtml(due)}.</p>
${quote.html}
<p>To add information, reply to this email and keep the case reference in the subject.</p>
<p>${escapeHtml(NOT_YOU_NOTE)}</p>
<p style="color:#666">This is an automatic message.</p>
</body></html>`;
  return {
    to: customerAddress(c),
    // No customer text in the subject line: it is what an inbox shows of a mail, and a relay's payload.
    subject: `[${c.reference}] We received your ${kind}`,
    text,
    html,
    autoSubmitted: 'auto-replied',
    headers: { 'X-Caseflow-Case': c.reference },
  };
}
