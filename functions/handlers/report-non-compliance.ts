import { ReportNonComplianceInputSchema } from '../core/non-compliance';
import { reportNonCompliance } from '../core/non-compliance-records';
import { newRequestId } from '../adapters/ids';
import { logger } from '../adapters/observability';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/non-compliance `{description, staffId?, caseId?}`: a member of staff reports a
 * non-compliance (C8.1: at once); its 7-day corrective-action window starts now, its workflow from
 * the table stream. 201 with the record. Roles: routes.ts.
 */
export const handler = staffRoute('report-non-compliance', async (req) => {
  const input = parseRouteBody(req, ReportNonComplianceInputSchema);
  const { app } = req;
  const record = await reportNonCompliance(input, req.actor, `nc-${newRequestId()}`, { store: app.nonCompliance, clock: app.clock });
  logger.info('non-compliance reported', { recordId: record.id, repeated: record.repeated });
  return json(201, { record });
});
