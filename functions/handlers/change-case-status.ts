import * as z from 'zod';
import { CaseStatusSchema } from '../core/case';
import { changeStatus } from '../core/case-actions';
import { staffAction } from './staff-action';

const StatusSchema = z.object({ status: CaseStatusSchema, reason: z.string().trim().max(1000).optional() });

/** POST /v1/cases/{caseId}/status: move a case through its lifecycle; illegal moves are a 409. */
export const handler = staffAction('change-case-status', 'status changed', StatusSchema, (caseId, body, actor, deps) => changeStatus(caseId, body.status, actor, body.reason, deps));
