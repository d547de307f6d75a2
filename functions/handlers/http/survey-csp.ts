/**
 * The survey page's Content-Security-Policy beyond the pages' own (http-handler.ts): no script at
 * all, and its one form may post back to the page itself. The sandbox stays, allowing forms only.
 */
export const SURVEY_CSP: Record<string, string> = { 'form-action': "'self'", sandbox: 'allow-forms' };
