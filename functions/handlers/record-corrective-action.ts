import { RecordCorrectiveActionInputSchema } from '../core/non-compliance';
import { addCorrectiveAction } from '../core/non-compliance-records';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';
import { RecordIdPathSchema } from './path-params';

/** POST /v1/non-compliance/{recordId}/corrective-actions `{type, description, evidence}` (C8.2): the record's timer stops. Roles: routes.ts. */
export const handler = staffRoute('record-corrective-action', async (req) => {
  const { recordId } = parseInput(RecordIdPathSchema, req.event.pathParameters ?? {});
  const input = parseRouteBody(req, RecordCorrectiveActionInputSchema);
  const record = await addCorrectiveAction(recordId, input, req.actor, { store: req.app.nonCompliance, clock: req.app.clock });
  return json(200, { record });
});
