import { newRequestId } from '../adapters/ids';
import { logger } from '../adapters/observability';
import { ErasureRequestInputSchema, runErasureRequest } from '../core/privacy-erasure';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/privacy/erasure-requests `{email}` or `{phone}`: a customer's GDPR erasure request (M5.1,
 * C6.1), run at once (core/privacy-erasure.ts). 201 with the record when done; 409 with the record
 * when a case found is held, open or not yet archived (nothing was changed: `blockedBy` says why);
 * 500 with the record when it failed part-way (run it again: every step is idempotent). The
 * address is in the body, never in a URL or a log. Roles: routes.ts.
 */
export const handler = staffRoute('create-erasure-request', async (req) => {
  const subject = parseRouteBody(req, ErasureRequestInputSchema);
  const { app, actor } = req;
  const record = await runErasureRequest(
    { subject, requestedBy: actor },
    {
      store: app.cases,
      queues: app.queues,
      archives: app.caseArchives,
      keys: app.subjectKeys,
      records: app.caseRecordEraser,
      attachments: app.attachmentEraser,
      inboundMail: app.inboundEraser,
      requests: app.privacyRequests,
      feedback: app.feedbackLog,
      qualityReviews: app.qualityReviews,
      newRequestId,
    },
    app.clock,
  );
  logger.info('privacy erasure request', { requestId: record.requestId, status: record.status, cases: record.caseIds.length, ...(record.erased ? { erased: record.erased } : {}), actorRole: actor.kind });
  if (record.status === 'refused') {
    return json(409, { error: `The erasure was refused: ${record.blockedBy?.map((b) => b.detail).join('; ') ?? 'a case may not be erased now'}. Nothing was changed; the record is kept as ${record.requestId}`, request: record });
  }
  if (record.status !== 'completed') return json(500, { error: `The erasure failed part-way (${record.failure ?? 'unknown error'}); run it again to finish. Its record is kept as ${record.requestId}`, request: record });
  return json(201, { request: record });
});
