/**
 * The route handlers built in the quality stack (infra/quality-stack.ts) instead of the stateless
 * one, which had reached CloudFormation's 500 resources: the quality loop's (C8.1–C8.3
 * non-compliance records, and what comes after them). A route is placed by its handler here, and
 * only here.
 */
export const QUALITY_ROUTE_HANDLERS: ReadonlySet<string> = new Set(['list-non-compliance', 'get-non-compliance', 'report-non-compliance', 'record-corrective-action', 'sign-off-non-compliance']);

export const isQualityRoute = (handler: string) => QUALITY_ROUTE_HANDLERS.has(handler);
