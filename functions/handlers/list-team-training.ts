import { teamTraining } from '../core/training-requests';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';
import { trainingRequestDepsOf } from './training-deps';

/**
 * GET /v1/training/team: everyone who works cases with each course's status, and who is due soon
 * or has lapsed (C5.3), for a supervisor planning refreshers. Roles: routes.ts.
 */
export const handler = staffRoute('list-team-training', async (req) => json(200, await teamTraining(trainingRequestDepsOf(req.app, req.config))));
