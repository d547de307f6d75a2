import { parseInput } from '../core/validation';
import { getNonCompliance } from '../core/non-compliance-records';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';
import { RecordIdPathSchema } from './path-params';

/** GET /v1/non-compliance/{recordId}: one record with its corrective actions and history (C8.1). Roles: routes.ts. */
export const handler = staffRoute('get-non-compliance', async ({ event, app }) => {
  const { recordId } = parseInput(RecordIdPathSchema, event.pathParameters ?? {});
  return json(200, { record: await getNonCompliance(recordId, app.nonCompliance) });
});
