import { allowedMethods } from './routes';
import { httpHandler, HttpError } from './http/http-handler';

/** `ANY` fallback routes: a known path with an unsupported method is a 405, not a 404. */
export const handler = httpHandler(async (event) => {
  const path = event.routeKey.replace(/^\S+\s+/, '');
  const allow = allowedMethods(path).join(', ');
  throw new HttpError(405, { error: `Method ${event.requestContext.http.method} is not allowed here; use ${allow}` }, { Allow: allow });
});
