import { NotFoundError } from '../core/errors';
import { json } from './http/http-event';
import { caseIdOf, staffRoute } from './http/staff-route';

/** GET /v1/cases/{caseId}/escalations: the escalation log (M3.3, M9.3), first escalation first. Roles: routes.ts. */
export const handler = staffRoute('list-escalations', async ({ event, app }) => {
  const caseId = caseIdOf(event);
  const [found, items] = await Promise.all([app.cases.getCase(caseId), app.cases.getEscalations(caseId)]);
  if (!found) throw new NotFoundError(`No case ${caseId}`);
  return json(200, { items });
});
