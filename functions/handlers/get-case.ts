import { readAuditTrail, verifyAuditTrail } from '../core/audit-verification';
import type { Actor, Case } from '../core/case';
import type { CaseEvent } from '../core/case-event';
import { seesContactDetails } from '../core/contact-access';
import { NotFoundError } from '../core/errors';
import { json } from './http/http-event';
import { caseIdOf, caseView, etag, staffRoute } from './http/staff-route';

/**
 * The timeline as the feedback team sees it without a grant (C4.2): addresses the system mailed
 * the customer at, and the customer's contact details in before/after records, are left out.
 * Free text the customer wrote is theirs to read: it is what they analyse.
 */
function timelineView(c: Case, events: CaseEvent[], actor: Actor, at: Date): CaseEvent[] {
  if (seesContactDetails(c, actor, at)) return events;
  const address = c.customer.email?.toLowerCase();
  return events.map((e) => {
    const { changes, ...rest } = e;
    const kept = changes ? Object.fromEntries(Object.entries(changes).filter(([field]) => field !== 'customer')) : undefined;
    const data = e.data as Record<string, unknown>;
    const recipient = typeof data.recipient === 'string' && data.recipient.toLowerCase() === address ? { ...data, recipient: 'customer' } : data;
    return { ...rest, ...(kept && Object.keys(kept).length ? { changes: kept } : {}), data: recipient } as CaseEvent;
  });
}

/** GET /v1/cases/{caseId}: the case, its timeline, and whether its audit chain verifies (M7.3). Roles: routes.ts. */
export const handler = staffRoute('get-case', async ({ event, app, actor }) => {
  const caseId = caseIdOf(event);
  const trail = await readAuditTrail(app.cases, caseId);
  if (!trail) throw new NotFoundError(`No case ${caseId}`);
  const { case: found, events: timeline } = trail;
  const now = app.clock.now();
  // The chain and the head the case carries (a truncated trail shows here too); the daily anchors are checked by POST …/audit/verify.
  const verdict = verifyAuditTrail(timeline, { version: found.version, lastEventHash: found.lastEventHash }, []);
  const integrity = verdict.valid ? { valid: true, length: verdict.length } : { valid: false, brokenAtSeq: verdict.brokenAtSeq ?? 0, reason: verdict.reason ?? '' };
  return json(200, { case: caseView(found, actor, now), timeline: timelineView(found, timeline, actor, now), integrity }, etag(found));
});
