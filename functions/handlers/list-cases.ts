import * as z from 'zod';
import { configFor } from '../adapters/function-config';
import { wiring } from '../adapters/wiring';
import { CaseStatusSchema, CaseTypeSchema } from '../core/case';
import { parseInput } from '../core/validation';
import { httpHandler } from './http/http-handler';
import { json } from './http/http-event';
import { staffOnly } from './staff-auth-config';

const config = configFor('list-cases');
const app = wiring(config);

/** A comma-separated filter; absent means every value. */
const csv = z
  .string()
  .optional()
  .transform((s) => (s ? [...new Set(s.split(',').map((v) => v.trim()).filter(Boolean))] : undefined));

const QuerySchema = z.object({
  status: csv.pipe(z.array(CaseStatusSchema).min(1).optional()).transform((v) => v ?? CaseStatusSchema.options),
  type: csv.pipe(z.array(CaseTypeSchema).min(1).optional()).transform((v) => v ?? CaseTypeSchema.options),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(4096).optional(),
});

/** GET /v1/cases?status=new,acknowledged&type=complaint&limit=25&cursor=…: newest first. */
export const handler = httpHandler(
  async (event) => {
    const q = parseInput(QuerySchema, event.queryStringParameters ?? {});
    const page = await app.cases.listCases({ statuses: q.status, types: q.type, limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    return json(200, { items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) });
  },
  [staffOnly(app, config.STAFF_GROUPS)],
);
