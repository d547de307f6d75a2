import { logger } from '../adapters/observability';
import { SlaPolicySchema } from '../core/sla-policy';
import { publishSlaPolicy } from '../core/sla-policy-versions';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/sla-policies: an admin publishes a policy version (M8.3); it is current from now on,
 * for cases opened after it. 201 with the version; 200 with it for a repeat of the same body; 409
 * for another body under a version id that exists. Open cases keep theirs. Roles: routes.ts.
 */
export const handler = staffRoute('publish-sla-policy', async (req) => {
  const policy = parseRouteBody(req, SlaPolicySchema);
  const { created, policy: published } = await publishSlaPolicy(policy, req.actor, { versions: req.app.slaPolicies, clock: req.app.clock });
  logger.info('sla policy published', { version: published.version, created });
  return json(created ? 201 : 200, { policy: published, current: created });
});
