import { json } from './http/http-event';
import { httpHandler } from './http/http-handler';

/** GET /v1/openapi.json: the API document. */
export const handler = httpHandler(async () => json(200, { openapi: '3.1.0' }));
