import { logger } from '../adapters/observability';
import { findCaseAttachment } from '../core/case-attachments';
import { seesContactDetails } from '../core/contact-access';
import { ForbiddenError, NotFoundError } from '../core/errors';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';
import { AttachmentPathSchema } from './path-params';

/** How long a download link works: long enough to click, short enough that a copied link soon dies. */
export const DOWNLOAD_LINK_SECONDS = 5 * 60;

/**
 * GET /v1/cases/{caseId}/attachments/{sha256}: a short-lived download link to one of the case's
 * files (C4.1), which the browser fetches from storage. Roles: routes.ts. A customer's files may
 * be anything they sent (IDs, invoices, letters with their address): the feedback team, who see
 * the case without contact details (C4.2), gets them only while a supervisor's grant holds.
 */
export const handler = staffRoute('get-attachment', async ({ event, app, actor }) => {
  const { caseId, sha256 } = parseInput(AttachmentPathSchema, event.pathParameters ?? {});
  const [found, timeline] = await Promise.all([app.cases.getCase(caseId), app.cases.getTimeline(caseId)]);
  if (!found) throw new NotFoundError(`No case ${caseId}`);
  if (!seesContactDetails(found, actor, app.clock.now())) {
    throw new ForbiddenError('The feedback team downloads a case’s files only while a supervisor’s contact-detail grant holds (C4.2)');
  }
  const file = findCaseAttachment(timeline, sha256);
  if (!file) throw new NotFoundError(`Case ${caseId} has no file with that SHA-256`);
  const link = await app.attachmentLinks.link(file.key, { filename: file.filename, contentType: file.contentType }, DOWNLOAD_LINK_SECONDS);
  logger.info('get-attachment', { caseId, actorRole: actor.kind });
  return json(200, { url: link.url, filename: file.filename, contentType: file.contentType, size: file.size, expiresAt: link.expiresAt.toISOString() });
});
