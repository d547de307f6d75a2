import { httpHandler } from './http/http-handler';
import type { HttpResult } from './http/http-event';
import { openApiDocument } from './openapi';

/** Built once per cold start: the document follows from the code, so it changes only with a deployment. */
const body = JSON.stringify(openApiDocument());

/** GET /v1/openapi.json: the API document (openapi.ts), public; clients and caches may keep it for five minutes. */
export const handler = httpHandler(
  async (): Promise<HttpResult> => ({
    statusCode: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=300' },
    body,
  }),
);
