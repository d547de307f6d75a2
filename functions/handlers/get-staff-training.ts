import { staffTraining } from '../core/training-requests';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';
import { StaffIdPathSchema } from './path-params';
import { trainingRequestDepsOf } from './training-deps';

/**
 * GET /v1/staff/{staffId}/training: the staff member's training records and each course's status
 * (current, due soon, lapsed, never trained: C5.1-C5.3). Their own for everyone, anyone's for
 * supervisors and admins. Roles: routes.ts.
 */
export const handler = staffRoute('get-staff-training', async (req) => {
  const { staffId } = parseInput(StaffIdPathSchema, req.event.pathParameters ?? {});
  return json(200, await staffTraining(staffId, req.actor, trainingRequestDepsOf(req.app, req.config)));
});
