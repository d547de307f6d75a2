import { logger } from '../adapters/observability';
import { publishRetentionPolicy, PublishRetentionPolicySchema } from '../core/retention-policy-versions';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/retention-policies: an admin publishes a retention version (M7.2, C4.3, M8.3); cases
 * closing from now on are kept under it. 201 with the version; 200 for a repeat of the same
 * content; 409 for other content under an id that exists; 400 naming `years` below five. Cases
 * closed already keep their expiry. Roles: routes.ts.
 */
export const handler = staffRoute('publish-retention-policy', async (req) => {
  const input = parseRouteBody(req, PublishRetentionPolicySchema);
  const { created, version } = await publishRetentionPolicy(input, req.actor, { versions: req.app.retentionPolicies, clock: req.app.clock });
  logger.info('retention policy published', { version: version.policy.version, years: version.policy.years, created });
  return json(created ? 201 : 200, { ...version, current: created });
});
