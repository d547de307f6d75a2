import * as z from 'zod';
import { replyToCustomer } from '../core/case-actions';
import { cleanBody } from '../core/text/normalise-text';
import { requiredText } from '../core/validation';
import { staffAction } from './staff-action';

const ReplySchema = z.object({ message: requiredText('Message', 20_000, cleanBody) });

/** POST /v1/cases/{caseId}/replies: an agent answers the customer; the first answer meets initial assistance (M3.1); a closed case is a 409. */
export const handler = staffAction('reply-to-case', 'reply sent', ReplySchema, (caseId, body, actor, deps) => replyToCustomer(caseId, body.message, actor, deps));
