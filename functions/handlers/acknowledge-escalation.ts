import * as z from 'zod';
import { acknowledgeEscalation } from '../core/case-actions';
import { cleanBody } from '../core/text/normalise-text';
import { requiredText } from '../core/validation';
import { staffAction } from './staff-action';

const AcknowledgementSchema = z.object({ actionsTaken: requiredText('Actions taken', 5000, cleanBody) });

/**
 * POST /v1/cases/{caseId}/escalation/acknowledgement: the escalated party takes the case (M3.3
 * escalation log). Supervisors and managers only; the core checks the level (a supervisor cannot
 * acknowledge the manager's escalation).
 */
export const handler = staffAction(
  'acknowledge-escalation',
  'escalation acknowledged',
  AcknowledgementSchema,
  (caseId, body, actor, deps) => acknowledgeEscalation(caseId, body.actionsTaken, actor, deps),
  ['supervisors', 'managers'],
);
