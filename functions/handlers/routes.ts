/**
 * The HTTP API's routes, in one place: the CDK stack creates them and the local gateway serves
 * them, so the two cannot drift apart. `handler` names a file in functions/handlers/.
 */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
  path: string;
  handler: string;
  auth: 'public' | 'staff';
}

export const API_ROUTES: readonly RouteDef[] = [
  { method: 'POST', path: '/v1/cases', handler: 'create-case', auth: 'public' },
  { method: 'GET', path: '/v1/cases', handler: 'list-cases', auth: 'staff' },
  { method: 'GET', path: '/v1/cases/{caseId}', handler: 'get-case', auth: 'staff' },
  { method: 'POST', path: '/v1/cases/{caseId}/replies', handler: 'reply-to-case', auth: 'staff' },
  { method: 'POST', path: '/v1/cases/{caseId}/status', handler: 'change-case-status', auth: 'staff' },
  { method: 'POST', path: '/v1/cases/{caseId}/escalations', handler: 'escalate-case', auth: 'staff' },
  { method: 'POST', path: '/v1/cases/{caseId}/escalation/acknowledgement', handler: 'acknowledge-escalation', auth: 'staff' },
  // Supervisors only (checked in the handler): inbound mail that could not be processed.
  { method: 'GET', path: '/v1/quarantine', handler: 'list-quarantine', auth: 'staff' },
];

/** Every other method on a known path answers 405 with an Allow header. */
export const FALLBACK_ROUTES: readonly RouteDef[] = [...new Set(API_ROUTES.map((r) => r.path))].map((path) => ({
  method: 'ANY',
  path,
  handler: 'method-not-allowed',
  auth: 'public',
}));

export const allowedMethods = (path: string): string[] =>
  API_ROUTES.filter((r) => r.path === path).map((r) => r.method);
