import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { HttpEvent, HttpResult } from './http-event';

/**
 * The staff reads a client polls (the console's queues and open case): each answer carries a
 * strong ETag, and a request whose `If-None-Match` names it gets `304 Not Modified` with no body,
 * so polling an unchanged queue or case costs a few bytes. The openapi.ts document lists them.
 */
export const CONDITIONAL_GETS = ['list-cases', 'get-case', 'list-escalations', 'get-audit-trail'] as const;

export const isConditionalGet = (handler: string): boolean => (CONDITIONAL_GETS as readonly string[]).includes(handler);

/**
 * The ETag of an answer: a SHA-256 of its body. The body is exact where a case's version is not:
 * it differs by the caller's role (contact details withheld from the feedback team), changes when a
 * grant expires, and an audit trail edited behind the API keeps its version. An answer that carries
 * a case's version as ETag (`"12"`, the If-Match of its changes) keeps it in front: `"12-<hash>"`.
 */
export function bodyEtag(body: string, version?: string): string {
  const hash = createHash('sha256').update(body).digest('base64url');
  return `"${version !== undefined ? `${version}-` : ''}${hash}"`;
}

/** The entity tags of an If-None-Match header (RFC 9110 §13.1.2): `*`, or a list of quoted tags, weak or strong. */
function listedTags(header: string): string[] | '*' {
  if (header.trim() === '*') return '*';
  return [...header.matchAll(/(?:W\/)?"([^"]*)"/g)].map((m) => `"${m[1] ?? ''}"`);
}

/** If-None-Match uses the weak comparison: a listed tag matches whether or not it is marked W/. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  const tags = listedTags(header);
  return tags !== '*' && !tags.includes(etag);
}

/** The case version a handler set as the answer's ETag (`"12"`), if any. */
const versionOf = (headers: HttpResult['headers']): string | undefined => /^"(\d{1,10})"$/.exec(String(headers?.ETag ?? ''))?.[1];

/** Sets the ETag of a successful answer, and turns it into a 304 when the client has it already. */
export function conditionalGet(): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    after: (request) => {
      const { response, event } = request;
      if (!response || response.statusCode !== 200 || typeof response.body !== 'string') return;
      const etag = bodyEtag(response.body, versionOf(response.headers));
      const headers: NonNullable<HttpResult['headers']> = { ...response.headers, ETag: etag };
      if (noneMatch(event.headers['if-none-match'], etag)) {
        response.headers = headers;
        return;
      }
      // RFC 9110 §15.4.5: no body; the ETag and Cache-Control a 200 would have had.
      const { 'Content-Type': _type, ...kept } = headers;
      request.response = { statusCode: 304, headers: kept };
    },
  };
}
