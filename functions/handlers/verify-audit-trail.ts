import { logger } from '../adapters/observability';
import type { Wiring } from '../adapters/wiring';
import { AuditAnchorIntegrityError } from '../core/audit-anchor';
import { readAuditTrail, verifyAuditTrail, type AnchoredHead, type AuditVerdict } from '../core/audit-verification';
import { NotFoundError } from '../core/errors';
import { json } from './http/http-event';
import { caseIdOf, staffRoute } from './http/staff-route';

/**
 * POST /v1/cases/{caseId}/audit/verify: recomputes the case's audit chain, checks it against the
 * head the case carries, the heads anchored outside the table each day, and the escalation log
 * against the trail's escalation events; names the first broken link (M7.3). A broken trail is a
 * 200 with `valid: false`: the verification worked. So is an anchor digest that no longer
 * verifies (altered, replaced or removed): the anchors themselves were tampered with, which is
 * the auditor's finding, not a server error. Roles: routes.ts.
 */
export const handler = staffRoute('verify-audit-trail', async ({ event, app, actor }) => {
  const caseId = caseIdOf(event);
  const anchors = await readAnchors(app.auditAnchors.anchorsFor(caseId));
  let checked = await check(app, caseId, anchors);
  // A change landing between reading the trail and the escalation records looks like a log that
  // differs from it: look once more before reporting it.
  if (checked && (checked.verdict.escalationLog || checked.verdict.caseState)) checked = await check(app, caseId, anchors);
  if (!checked) throw new NotFoundError(`No case ${caseId}`);
  const { verdict, head } = checked;
  logger.info('audit trail verified', { caseId, valid: verdict.valid, brokenAtSeq: verdict.brokenAtSeq, anchorsTampered: 'tampered' in anchors, actorRole: actor.kind });
  return json(200, { caseId, ...verdict, head, verifiedAt: app.clock.now().toISOString() });
});

async function check(app: Wiring, caseId: string, anchors: { heads: AnchoredHead[] } | { tampered: string }) {
  const trail = await readAuditTrail(app.cases, caseId);
  if (!trail) return undefined;
  const escalations = await app.cases.getEscalations(caseId);
  const { case: found, events } = trail;
  const head = { version: found.version, lastEventHash: found.lastEventHash };
  const verdict: AuditVerdict =
    'tampered' in anchors
      ? { valid: false, length: events.length, anchorsChecked: 0, reason: `the daily anchors of this case do not verify: ${anchors.tampered}` }
      : verifyAuditTrail(events, head, anchors.heads, escalations, found);
  return { verdict, head };
}

/** The anchored heads, or what made them unverifiable (the message names a day and a case id, nothing personal). */
async function readAnchors(reading: Promise<AnchoredHead[]>): Promise<{ heads: AnchoredHead[] } | { tampered: string }> {
  try {
    return { heads: await reading };
  } catch (error) {
    if (error instanceof AuditAnchorIntegrityError) return { tampered: error.message };
    throw error;
  }
}
