import * as z from 'zod';
import { acknowledgeEscalation } from '../core/case-actions';
import { staffAction } from './staff-action';

const AcknowledgementSchema = z.object({ actionsTaken: z.string({ error: 'Describe the actions taken' }).trim().min(1, 'Describe the actions taken').max(5000) });

/** POST /v1/cases/{caseId}/escalation/acknowledgement: the escalated party takes the case (M3.3 escalation log). */
export const handler = staffAction('escalation acknowledged', AcknowledgementSchema, (caseId, body, actor, deps) =>
  acknowledgeEscalation(caseId, body.actionsTaken, actor, deps),
);
