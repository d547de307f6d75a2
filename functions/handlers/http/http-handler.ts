import middy, { type MiddlewareObj } from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import {
  CaseStateError,
  ConcurrentUpdateError,
  ForbiddenError,
  DomainError,
  IdempotencyKeyReuseError,
  IllegalTransitionError,
  IncompleteChecklistError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
} from '../../core/errors';
import { PolicyVersionConflictError } from '../../core/sla-policy-versions';
import { logger } from '../../adapters/observability';
import { badRequest, HttpError } from './http-error';
import type { HttpEvent, HttpResult } from './http-event';
import { errorPage, PAGE_STYLE_CSP } from './html-pages';

/** Maps domain errors to HTTP: the core knows nothing of status codes. */
export function toHttpError(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  if (error instanceof InvalidInputError) return badRequest(error.issues, error.message);
  if (error instanceof NotFoundError) return new HttpError(404, { error: error.message });
  if (error instanceof IdempotencyKeyReuseError) return new HttpError(422, { error: error.message, issues: [{ path: 'Idempotency-Key', message: error.message }] });
  const version = error.currentVersion !== undefined ? { currentVersion: error.currentVersion } : {};
  if (error instanceof IncompleteChecklistError) return new HttpError(409, { error: error.message, missing: error.missing, ...version });
  if (error instanceof IllegalTransitionError || error instanceof CaseStateError) return new HttpError(409, { error: error.message, ...version });
  if (error instanceof ForbiddenError) return new HttpError(403, { error: error.message });
  if (error instanceof RateLimitedError) return new HttpError(429, { error: error.message }, { 'Retry-After': String(error.retryAfterSeconds) });
  if (error instanceof ConcurrentUpdateError) return new HttpError(409, { error: error.message, ...version });
  // A published policy version (SLA or retention) never changes: another body under its id is a conflict.
  if (error instanceof PolicyVersionConflictError) return new HttpError(409, { error: error.message });
  return error;
}

/** Error responses for HTML form posts become pages; runs after httpErrorHandler has shaped them. */
const htmlErrorPages = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const { response, error } = request;
    if (!request.event.wantsHtml || !response || !(error instanceof HttpError)) return;
    response.body = errorPage(error.statusCode, error.body);
    response.headers = { ...response.headers, 'Content-Type': 'text/html; charset=utf-8' };
  },
});

/** Server errors are logged by name only: their messages may quote personal data. */
const logServerError = (error: unknown) => {
  const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
  if (statusCode >= 500) logger.error('request failed', { errorName: error instanceof Error ? error.name : typeof error, statusCode });
};

export type HttpLambda = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * The project's HTTP handler stack. `use` adds route-specific middleware (body parsing, auth)
 * between the normalisers and the error handler, which stays last.
 */
export function httpHandler(fn: HttpLambda, use: MiddlewareObj<HttpEvent, HttpResult>[] = [], opts: { csp?: Record<string, string | undefined> } = {}) {
  const wrapped: HttpLambda = async (event, context) => {
    try {
      return await fn(event, context);
    } catch (error) {
      throw toHttpError(error);
    }
  };
  let chain = middy<HttpEvent, HttpResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(
      // reportingEndpoints exists at run time but not in the typings; without it an empty header is sent.
      httpSecurityHeaders({
        reportingEndpoints: false,
        // The confirmation and error pages carry one inline style, allowed by its hash; navigate-to is obsolete.
        // A page with a form (the survey's) widens it to posting back to itself (`opts.csp`).
        contentSecurityPolicy: { 'style-src': PAGE_STYLE_CSP, 'navigate-to': '', ...opts.csp },
      } as Parameters<typeof httpSecurityHeaders>[0]),
    );
  for (const m of use) chain = chain.use(m);
  return chain.use(htmlErrorPages()).use(httpErrorHandler({ logger: logServerError, fallbackMessage: JSON.stringify({ error: 'Internal error' }) })).handler(wrapped);
}

export { badRequest, HttpError };
