import { readAuditTrail } from '../core/audit-verification';
import { NotFoundError } from '../core/errors';
import { json } from './http/http-event';
import { caseIdOf, etag, staffRoute } from './http/staff-route';

/**
 * GET /v1/cases/{caseId}/audit: the audit trail (M5.3, M7.3): every event with who (subject and
 * role), when, what changed before and after, and its place on the hash chain; with the head the
 * case carries. Roles: routes.ts.
 */
export const handler = staffRoute('get-audit-trail', async ({ event, app }) => {
  const caseId = caseIdOf(event);
  const trail = await readAuditTrail(app.cases, caseId);
  if (!trail) throw new NotFoundError(`No case ${caseId}`);
  const { case: found, events } = trail;
  return json(200, { caseId, head: { version: found.version, lastEventHash: found.lastEventHash }, events }, etag(found));
});
