import * as z from 'zod';
import { configFor } from '../adapters/function-config';
import { wiring } from '../adapters/wiring';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { httpHandler } from './http/http-handler';
import { staffOnly } from './staff-auth-config';

const config = configFor('list-quarantine');
const app = wiring(config);

const QuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(4096).optional(),
});

/**
 * GET /v1/quarantine?limit=25&cursor=…: inbound mail that could not be parsed or classified, or
 * that SES found a virus in, with the raw object key. Supervisors only.
 */
export const handler = httpHandler(
  async (event) => {
    const q = parseInput(QuerySchema, event.queryStringParameters ?? {});
    const page = await app.inbound.listQuarantine(q.limit, q.cursor);
    return json(200, { items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) });
  },
  [staffOnly(app, ['supervisors'])],
);
