import type { Case } from './case';
import type { OutgoingEmail } from './ports';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The acknowledgement (M3.1). The reference leads the subject in brackets, the form helpdesks use
 * and mail clients keep on reply, so that replies thread back to the case.
 */
export function renderAcknowledgement(c: Case): OutgoingEmail {
  const kind = c.type === 'complaint' ? 'complaint' : 'request';
  const due = new Date(c.sla.initialResponseDueAt).toUTCString();
  const subject = `[${c.reference}] We received your ${kind}: ${c.subject}`.slice(0, 250);
  const text = [
    `Hello ${c.customer.name},`,
    '',
    `Thank you for contacting us. We have received your ${kind} and opened case ${c.reference}.`,
    `A member of our team will get back to you by ${due} at the latest.`,
    '',
    'To add information, reply to this email and keep the case reference in the subject.',
    '',
    `Your message: "${c.subject}"`,
    '',
    'This is an automatic message.',
  ].join('\n');
  const html = `<!doctype html><html><body>
<p>Hello ${escapeHtml(c.customer.name)},</p>
<p>Thank you for contacting us. We have received your ${kind} and opened case <strong>${c.reference}</strong>.</p>
<p>A member of our team will get back to you by ${escapeHtml(due)} at the latest.</p>
<p>To add information, reply to this email and keep the case reference in the subject.</p>
<p>Your message: &ldquo;${escapeHtml(c.subject)}&rdquo;</p>
<p style="color:#666">This is an automatic message.</p>
</body></html>`;
  return { to: c.customer.email, subject, text, html, autoSubmitted: 'auto-replied', headers: { 'X-Caseflow-Case': c.reference } };
}
