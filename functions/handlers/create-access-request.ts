import { newRequestId } from '../adapters/ids';
import { logger } from '../adapters/observability';
import { AccessRequestInputSchema, EXPORT_LINK_SECONDS, privacyExportFilename, runAccessRequest } from '../core/privacy-access';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/privacy/access-requests `{email}` or `{phone}`: a customer's GDPR access request (M5.1,
 * C6.1), run at once: their cases found through the customer indexes and the archive's subject
 * index, everything held about them written as one zip beside the cases' files, each case's trail
 * given the export's event, and the request's record kept. The answer is the record and a
 * 15-minute link to the zip (201); a request that failed is kept as failed and answered 500 with
 * its record. The address is in the body, never in a URL or a log. Roles: routes.ts.
 */
export const handler = staffRoute('create-access-request', async (req) => {
  const subject = parseRouteBody(req, AccessRequestInputSchema);
  const { app, actor } = req;
  const record = await runAccessRequest(
    { subject, requestedBy: actor },
    {
      store: app.cases,
      queues: app.queues,
      archives: app.caseArchives,
      keys: app.subjectKeys,
      attachments: app.attachmentFiles,
      inboundMail: app.inboundFiles,
      writer: app.privacyExports,
      requests: app.privacyRequests,
      feedback: app.feedbackLog,
      newRequestId,
    },
    app.clock,
  );
  logger.info('privacy access request', { requestId: record.requestId, status: record.status, cases: record.counts.cases, bytes: record.counts.bytes, actorRole: actor.kind });
  if (record.status !== 'completed' || !record.exportKey) {
    return json(500, { error: `The access request failed (${record.failure ?? 'unknown error'}); its record is kept as ${record.requestId}`, request: record });
  }
  const filename = privacyExportFilename(record.requestId);
  const link = await app.attachmentLinks.link(record.exportKey, { filename, contentType: 'application/zip' }, EXPORT_LINK_SECONDS);
  return json(201, { request: record, download: { url: link.url, filename, expiresAt: link.expiresAt.toISOString() } });
});
