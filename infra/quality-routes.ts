import { API_ROUTES, FALLBACK_ROUTES, type RouteDef } from '../functions/handlers/routes';

/**
 * The route handlers built in the quality stack (infra/quality-stack.ts) instead of the stateless
 * one, which had reached CloudFormation's 500 resources: the quality loop's (non-compliance
 * records C8.1–C8.3, training C5.1–C5.3, the SLA policies M8.3, the satisfaction survey and
 * feedback log M8.1, C4.2, C7.1, and what comes after them). A route
 * is placed by its handler here, and only here.
 */
export const QUALITY_ROUTE_HANDLER_NAMES = [
  'list-non-compliance',
  'get-non-compliance',
  'report-non-compliance',
  'record-corrective-action',
  'sign-off-non-compliance',
  'record-training',
  'get-training',
  'get-sla-policies',
  'publish-sla-policy',
  'migrate-sla-policy',
  'get-retention-policies',
  'publish-retention-policy',
  'get-sla-migration',
  'list-feedback',
  'get-survey',
  'answer-survey',
  'list-quality-reviews',
  'get-quality-review',
  'score-quality-review',
  'list-my-quality-reviews',
  'get-quality-rollup',
  'get-feedback-trends',
  'create-action-item',
  'update-action-item',
  'list-action-items',
  'get-action-item',
  'list-performance-reviews',
  'get-performance-review',
  'record-follow-up',
  'list-follow-ups',
] as const;
export type QualityRouteHandler = (typeof QUALITY_ROUTE_HANDLER_NAMES)[number];

export const QUALITY_ROUTE_HANDLERS: ReadonlySet<string> = new Set(QUALITY_ROUTE_HANDLER_NAMES);

export const isQualityRoute = (handler: string) => QUALITY_ROUTE_HANDLERS.has(handler);

/**
 * The 405 fallback of a path goes with the path: in the quality stack when every route on it is the
 * quality loop's, in the stateless stack otherwise (a path served by both keeps its one fallback there).
 */
export function isQualityFallback(route: RouteDef): boolean {
  if (route.handler !== 'method-not-allowed') return false;
  const onPath = API_ROUTES.filter((r) => r.path === route.path);
  return onPath.length > 0 && onPath.every((r) => isQualityRoute(r.handler));
}

/** The routes the quality stack builds: the quality loop's, and the 405 fallbacks of their own paths. */
export const QUALITY_STACK_ROUTES: readonly RouteDef[] = [...API_ROUTES.filter((r) => isQualityRoute(r.handler)), ...FALLBACK_ROUTES.filter(isQualityFallback)];
