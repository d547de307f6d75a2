import { SignOffInputSchema } from '../core/non-compliance';
import { signOff } from '../core/non-compliance-records';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';
import { RecordIdPathSchema } from './path-params';

/** POST /v1/non-compliance/{recordId}/sign-off `{note?}`: a supervisor signs off the corrective action taken; the record closes (C8.1, C8.2). Roles: routes.ts. */
export const handler = staffRoute('sign-off-non-compliance', async (req) => {
  const { recordId } = parseInput(RecordIdPathSchema, req.event.pathParameters ?? {});
  const input = parseRouteBody(req, SignOffInputSchema);
  const record = await signOff(recordId, input, req.actor, { store: req.app.nonCompliance, clock: req.app.clock });
  return json(200, { record });
});
