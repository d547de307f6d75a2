import { logger } from '../adapters/observability';
import { EscalationAuditQuerySchema, reportEscalationAudit } from '../core/escalation-audit';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/**
 * GET /v1/reports/escalation-audit?from=YYYY-MM-DD&to=YYYY-MM-DD&repeatLimit=2: the escalation audit
 * (M6.3, C6.3) of the cases received in the period, as of now (core/escalation-audit.ts;
 * docs/escalation-audit.md). A period longer than 93 days is a 400 naming the field. Roles: routes.ts.
 */
export const handler = staffRoute('get-escalation-audit', async (req) => {
  const query = parseRouteQuery(req, EscalationAuditQuerySchema);
  const report = await reportEscalationAudit(query, { cases: req.app.receivedCases, escalations: req.app.cases, clock: req.app.clock });
  const { summary } = report;
  logger.info('get-escalation-audit', {
    from: report.period.from,
    to: report.period.to,
    cases: summary.cases,
    escalatedCases: summary.escalatedCases,
    casesBreakingProtocol: summary.casesBreakingProtocol,
    actorRole: req.actor.kind,
  });
  return json(200, report);
});
