import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '../adapters/observability';
import { OpenCaseFromCallInputSchema, openCaseFromCall } from '../core/actions/open-case-from-call';
import { requestHash } from '../core/open-case';
import { badRequest } from './http/http-handler';
import { json } from './http/http-event';
import { etag, parseRouteBody, staffRoute } from './http/staff-route';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * POST /v1/calls: an agent who took a call opens its case (channel phone), assigned to them, with
 * the call on the timeline, in one transaction (C4.1, M3.1). Idempotency-Key: a retry opens nothing new. Roles: routes.ts.
 */
export const handler = staffRoute('open-case-from-call', async (req) => {
  const input = parseRouteBody(req, OpenCaseFromCallInputSchema);
  const key = req.event.headers['idempotency-key'];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw badRequest([{ path: 'Idempotency-Key', message: 'Use 1 to 255 visible ASCII characters' }]);
  const { app } = req;
  const { case: opened, replayed } = await openCaseFromCall(
    input,
    { actor: req.actor, requestHash: requestHash({ channel: 'phone', by: req.actor.id, input }), ...(key ? { idempotencyKey: key } : {}) },
    {
      store: app.cases,
      clock: app.clock,
      get staff() {
        return app.staff;
      },
      newCaseId: app.newCaseId,
      random: app.random,
      policy: await app.slaPolicies.current(),
    },
  );
  logger.info('case opened', { caseId: opened.caseId, reference: opened.reference, type: opened.type, channel: 'phone', replayed });
  metrics.addMetric(replayed ? 'IdempotentReplay' : 'CaseOpened', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  return json(201, { case: opened }, { ...etag(opened), ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}) });
});
