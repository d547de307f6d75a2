import { logger } from '../adapters/observability';
import { verifyAuditTrail } from '../core/audit-verification';
import { NotFoundError } from '../core/errors';
import { json } from './http/http-event';
import { caseIdOf, staffRoute } from './http/staff-route';

/**
 * POST /v1/cases/{caseId}/audit/verify: recomputes the case's audit chain, checks it against the
 * head the case carries and the heads anchored outside the table each day, and names the first
 * broken link (M7.3). A broken trail is a 200 with `valid: false`: the verification worked. Roles: routes.ts.
 */
export const handler = staffRoute('verify-audit-trail', async ({ event, app, actor }) => {
  const caseId = caseIdOf(event);
  const [found, events, anchors] = await Promise.all([app.cases.getCase(caseId), app.cases.getTimeline(caseId), app.auditAnchors.anchorsFor(caseId)]);
  if (!found) throw new NotFoundError(`No case ${caseId}`);
  const head = { version: found.version, lastEventHash: found.lastEventHash };
  const verdict = verifyAuditTrail(events, head, anchors);
  logger.info('audit trail verified', { caseId, valid: verdict.valid, brokenAtSeq: verdict.brokenAtSeq, actorRole: actor.kind });
  return json(200, { caseId, ...verdict, head, verifiedAt: app.clock.now().toISOString() });
});
