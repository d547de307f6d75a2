import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { presentationOf } from '../adapters/config';
import { configFor } from '../adapters/function-config';
import { logger, metrics } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { openCaseFromSubmission } from '../core/open-case';
import { CaseSubmissionSchema } from '../core/submission';
import { parseInput } from '../core/validation';
import { badRequest, httpHandler } from './http/http-handler';
import { html, json, type HttpEvent } from './http/http-event';
import { confirmationPage } from './http/html-pages';
import { parseBody } from './http/parse-body';

const config = configFor('create-case');
const app = wiring(config);
const presentation = presentationOf(config);

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The key from the Idempotency-Key header, or from the hidden field the web form fills in. */
function idempotencyKey(event: HttpEvent): string | undefined {
  const body = event.parsedBody as Record<string, unknown> | undefined;
  const key = event.headers['idempotency-key'] ?? (typeof body?.idempotencyKey === 'string' ? body.idempotencyKey : undefined);
  if (key === undefined || key === '') return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) throw badRequest([{ path: 'Idempotency-Key', message: 'Use 1 to 255 visible ASCII characters' }]);
  return key;
}

/** POST /v1/cases: a customer opens a case from the web form or any JSON client. */
export const handler = httpHandler(
  async (event) => {
    const submission = parseInput(CaseSubmissionSchema, event.parsedBody ?? {});
    const key = idempotencyKey(event);
    const { case: opened, replayed } = await openCaseFromSubmission(
      { submission, channel: 'web', clientAddress: event.requestContext.http.sourceIp, ...(key ? { idempotencyKey: key } : {}) },
      {
        store: app.cases,
        clock: app.clock,
        newCaseId: app.newCaseId,
        random: app.random,
        // The current version (M8.3): the last published, read for each case opened.
        policy: await app.slaPolicies.current(),
        acknowledgements: { automatic: config.AUTO_ACKNOWLEDGEMENT, limitPerHour: config.ACK_RATE_LIMIT_PER_HOUR },
        submissionLimit: { limiter: app.rateLimiter, perHour: config.SUBMISSION_RATE_LIMIT_PER_HOUR },
      },
    );
    logger.info('case opened', { caseId: opened.caseId, reference: opened.reference, type: opened.type, channel: 'web', replayed });
    metrics.addMetric(replayed ? 'IdempotentReplay' : 'CaseOpened', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    if (event.wantsHtml) return html(201, confirmationPage(opened, presentation));
    return json(
      201,
      {
        caseId: opened.caseId,
        reference: opened.reference,
        type: opened.type,
        status: opened.status,
        acknowledgementDueAt: opened.sla.acknowledgementDueAt,
        initialResponseDueAt: opened.sla.initialResponseDueAt,
      },
      replayed ? { 'Idempotent-Replayed': 'true' } : {},
    );
  },
  [parseBody()],
);
