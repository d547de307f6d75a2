import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** The API Gateway HTTP API (payload 2.0) event, as middleware leaves it for the handler. */
export interface HttpEvent extends APIGatewayProxyEventV2 {
  /** Set by parseBody: the decoded JSON or form fields. */
  parsedBody?: unknown;
  /** True when a browser posted an HTML form and expects a page, not JSON. */
  wantsHtml?: boolean;
  /** Set by staffAuth: the verified caller. */
  staff?: { sub: string; groups: string[] };
}

export type HttpResult = APIGatewayProxyStructuredResultV2;

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

export const html = (statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  body,
});
