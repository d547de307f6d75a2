import type { FieldIssue } from '../../core/errors';
import { escapeHtml } from '../../core/text/escape-html';
import { page } from './html-pages';

/**
 * The survey's pages (M8.1, M9.4, C7.1): a plain HTML form that works without JavaScript (there is
 * none), posting back to its own address. Everything shown that came from outside is escaped; the
 * customer's earlier comment is put back as the textarea's text, never as markup.
 */
export interface SurveyFormValues {
  rating?: string | undefined;
  solved?: string | undefined;
  comment?: string | undefined;
}

const RATINGS: readonly [string, string][] = [
  ['1', '1 (very poor)'],
  ['2', '2 (poor)'],
  ['3', '3 (fair)'],
  ['4', '4 (good)'],
  ['5', '5 (very good)'],
];

const errorOf = (issues: readonly FieldIssue[], field: string) => issues.find((i) => i.path === field)?.message;

function radios(name: string, options: readonly [string, string][], checked: string | undefined, error: string | undefined): string {
  const described = error ? ` aria-describedby="${name}-error"` : '';
  return options
    .map(([value, label]) => `<label><input type="radio" name="${name}" value="${value}" required${value === checked ? ' checked' : ''}${described}> ${escapeHtml(label)}</label><br>`)
    .join('\n');
}

/** The form; `issues` (a 400) are shown at the top and by their fields, and the values entered are kept. */
export function surveyFormPage(reference: string, values: SurveyFormValues = {}, issues: readonly FieldIssue[] = [], answered = false): string {
  const rating = errorOf(issues, 'rating');
  const solved = errorOf(issues, 'solved');
  const comment = errorOf(issues, 'comment');
  const summary = issues.length
    ? `<div role="alert"><p class="err">Please check your answers:</p><ul>${issues.map((i) => `<li class="err" data-field="${escapeHtml(i.path)}">${escapeHtml(i.message)}</li>`).join('')}</ul></div>`
    : '';
  const note = answered ? '<p>You have answered already: sending the form again replaces your answer.</p>' : '';
  const fieldError = (name: string, message: string | undefined) => (message ? `<p class="err" id="${name}-error">${escapeHtml(message)}</p>` : '');
  return page(
    `How did we do? (case ${reference})`,
    `<main><h1>How did we do?</h1>
<p>Your case ${escapeHtml(reference)} has been resolved. Three short questions; the comment is optional.</p>
${note}${summary}
<form method="post">
<fieldset><legend>How satisfied are you with how we handled your case?</legend>
${fieldError('rating', rating)}${radios('rating', RATINGS, values.rating, rating)}
</fieldset>
<fieldset><legend>Was your issue solved?</legend>
${fieldError('solved', solved)}${radios('solved', [['yes', 'Yes'], ['no', 'No']], values.solved, solved)}
</fieldset>
<p><label for="comment">Anything you would like to tell us? (optional)</label><br>
${fieldError('comment', comment)}<textarea id="comment" name="comment" rows="5" cols="60" maxlength="2000"${comment ? ' aria-describedby="comment-error"' : ''}>${escapeHtml(values.comment ?? '')}</textarea></p>
<p><button type="submit">Send my answer</button></p>
</form></main>`,
  );
}

export function surveyThanksPage(updated: boolean): string {
  return page('Thank you', `<main><h1>Thank you</h1><p>${updated ? 'Your answer has been updated.' : 'Your answer has been recorded.'} It helps us improve our service.</p></main>`);
}

/** A link that no longer answers (410): expired, replaced, or never valid. No detail of why. */
export function surveyClosedPage(): string {
  return page(
    'This survey is closed',
    '<main><h1>This survey is closed</h1><p>Thank you for wanting to tell us how we did. This survey link has expired or is no longer valid, so it cannot take an answer.</p><p>If you need more help with your case, reply to any email we sent you about it.</p></main>',
  );
}
