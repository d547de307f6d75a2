import { createHash } from 'node:crypto';
import type { Case } from '../../core/case';
import { escapeHtml } from '../../core/text/escape-html';
import { humanDate, type Presentation } from '../../core/text/human-date';
import type { ErrorBody } from './http-error';

const PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d2433}' +
  '.ref{font-size:1.6rem;font-weight:700;letter-spacing:.05em;border:2px dashed #0b5cad;display:inline-block;padding:.3rem .8rem}' +
  '.err{color:#a4161a}a{color:#0b5cad}li{margin:.3rem 0}';

/** The pages' Content-Security-Policy allows exactly this inline style, by hash. */
export const PAGE_STYLE_CSP = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

/** A page in the pages' one style (the survey's pages use it too). */
export const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head><body>${body}</body></html>`;

/** The page a browser shows after posting the contact form without JavaScript; the deadline in the presentation's time zone (default UTC). */
export function confirmationPage(c: Case, presentation: Presentation = {}): string {
  const kind = c.type === 'complaint' ? 'complaint' : 'request';
  return page(
    `Case ${c.reference}`,
    `<h1>Thank you, we have your ${kind}</h1>
<p>Your case reference is</p><p class="ref" data-testid="reference">${escapeHtml(c.reference)}</p>
<p>We have sent a confirmation to your email address. Please quote the reference if you contact us again.
We will get back to you no later than <strong>${escapeHtml(humanDate(c.sla.initialResponseDueAt, presentation))}</strong>.</p>
<p><a href="/">Back to the contact form</a></p>`,
  );
}

export function errorPage(statusCode: number, body: ErrorBody): string {
  // The messages name their fields ("Name is required"); the path stays as a data attribute for tools.
  const issues = (body.issues ?? []).map((i) => `<li data-field="${escapeHtml(i.path)}">${escapeHtml(i.message)}</li>`).join('');
  return page(
    'We could not open your case',
    `<h1 class="err">We could not open your case</h1><p>${escapeHtml(body.error)} (${statusCode}).</p>
${issues ? `<ul>${issues}</ul>` : ''}<p>Use your browser's Back button to correct the form: what you entered is kept.</p>
<p><a href="/">Start again</a></p>`,
  );
}
