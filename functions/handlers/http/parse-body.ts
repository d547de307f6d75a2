import type { MiddlewareObj } from '@middy/core';
import { HttpError } from './http-error';
import type { HttpEvent, HttpResult } from './http-event';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * Accepts JSON and HTML-form bodies, nothing else: 413 past the limit, 415 for other media
 * types, 400 naming `body` for malformed JSON. Form posts are remembered so the handler can
 * answer with a page instead of JSON.
 */
export function parseBody(opts: { maxBytes?: number; jsonOnly?: boolean } = {}): MiddlewareObj<HttpEvent, HttpResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const accepted = opts.jsonOnly ? JSON_TYPE : `${JSON_TYPE}, ${FORM_TYPE}`;
  return {
    before: (request) => {
      const { event } = request;
      const contentType = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const raw = event.body === undefined ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      if (raw.length > maxBytes) {
        throw new HttpError(413, { error: `The request body is larger than ${maxBytes} bytes` });
      }
      // The staff API takes JSON alone; an action without fields may come without a body at all.
      if (opts.jsonOnly && raw.length === 0) {
        event.parsedBody = {};
        return;
      }
      if (contentType === JSON_TYPE) {
        try {
          event.parsedBody = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new HttpError(400, { error: 'The request body is not valid JSON', issues: [{ path: 'body', message: 'Malformed JSON' }] });
        }
        return;
      }
      if (contentType === FORM_TYPE && !opts.jsonOnly) {
        event.parsedBody = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
        // A form post gets a page, as a browser expects, unless the client asks for JSON alone.
        const accept = (event.headers.accept ?? '').toLowerCase();
        event.wantsHtml = accept.includes('text/html') || !accept.includes('application/json');
        return;
      }
      throw new HttpError(
        415,
        { error: `Unsupported content type '${contentType || '(none)'}': send ${opts.jsonOnly ? JSON_TYPE : `${JSON_TYPE} or ${FORM_TYPE}`}` },
        { Accept: accepted },
      );
    },
  };
}
