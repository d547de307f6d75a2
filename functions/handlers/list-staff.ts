import { ListStaffQuerySchema } from '../core/staff';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/** GET /v1/staff?role=agents: everyone in a role, for assignment. Roles: routes.ts. */
export const handler = staffRoute('list-staff', async (req) => {
  const { role } = parseRouteQuery(req, ListStaffQuerySchema);
  return json(200, { items: await req.app.staff.list(role) });
});
