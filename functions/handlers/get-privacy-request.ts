import { NotFoundError } from '../core/errors';
import { EXPORT_LINK_SECONDS, exportAvailable, privacyExportFilename } from '../core/privacy-access';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';
import { RequestIdPathSchema } from './path-params';

/**
 * GET /v1/privacy/requests/{requestId}: one privacy request's record (M5.1, C6.1) and, while its
 * export exists (7 days after it was written, unless an erasure deleted it), a fresh 15-minute link
 * to it. Roles: routes.ts.
 */
export const handler = staffRoute('get-privacy-request', async ({ event, app }) => {
  const { requestId } = parseInput(RequestIdPathSchema, event.pathParameters ?? {});
  const record = await app.privacyRequests.get(requestId);
  if (!record) throw new NotFoundError(`No privacy request ${requestId}`);
  // An erasure deletes the exports made of its customer before: no link to what is gone.
  if (!exportAvailable(record, app.clock.now()) || !(await app.attachmentFiles.exists(record.exportKey))) return json(200, { request: record });
  const filename = privacyExportFilename(record.requestId);
  const link = await app.attachmentLinks.link(record.exportKey, { filename, contentType: 'application/zip' }, EXPORT_LINK_SECONDS);
  return json(200, { request: record, download: { url: link.url, filename, expiresAt: link.expiresAt.toISOString() } });
});
