import { logger } from '../adapters/observability';
import { RecordTrainingInputSchema } from '../core/training';
import { recordTraining } from '../core/training-requests';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';
import { StaffIdPathSchema } from './path-params';
import { trainingRequestDepsOf } from './training-deps';

/**
 * POST /v1/staff/{staffId}/training: a supervisor or an admin records that the staff member
 * completed a course, with its evidence (C5.1, C5.2); a correction is a new record naming the one
 * it corrects. The answer is the record and the member's status now. Roles: routes.ts.
 */
export const handler = staffRoute('record-training', async (req) => {
  const { staffId } = parseInput(StaffIdPathSchema, req.event.pathParameters ?? {});
  const input = parseRouteBody(req, RecordTrainingInputSchema);
  const done = await recordTraining(staffId, input, req.actor, trainingRequestDepsOf(req.app, req.config));
  logger.info('training recorded', { courseId: done.record.courseId, recordId: done.record.recordId, correction: done.record.corrects !== undefined, actorRole: req.actor.kind });
  return json(201, done);
});
