import type { Case } from '../../core/case';
import type { ErrorBody } from './http-error';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d2433}
.ref{font-size:1.6rem;font-weight:700;letter-spacing:.05em}.err{color:#a4161a}a{color:#0b5cad}</style>
</head><body>${body}</body></html>`;

/** The page a browser shows after posting the contact form without JavaScript. */
export function confirmationPage(c: Case): string {
  const kind = c.type === 'complaint' ? 'complaint' : 'request';
  return page(
    `Case ${c.reference}`,
    `<h1>Thank you, we have your ${kind}</h1>
<p>Your case reference is</p><p class="ref" data-testid="reference">${escapeHtml(c.reference)}</p>
<p>We have sent a confirmation to your email address. Please quote the reference if you contact us again.
We will get back to you by <strong>${escapeHtml(new Date(c.sla.initialResponseDueAt).toUTCString())}</strong> at the latest.</p>
<p><a href="/">Back to the contact form</a></p>`,
  );
}

export function errorPage(statusCode: number, body: ErrorBody): string {
  const issues = (body.issues ?? []).map((i) => `<li><strong>${escapeHtml(i.path)}</strong>: ${escapeHtml(i.message)}</li>`).join('');
  return page(
    'We could not open your case',
    `<h1 class="err">We could not open your case</h1><p>${escapeHtml(body.error)} (${statusCode}).</p>
${issues ? `<ul>${issues}</ul>` : ''}<p><a href="javascript:history.back()">Go back and correct the form</a></p>`,
  );
}
