import { listSlaPolicies } from '../core/sla-policy-versions';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';

/** GET /v1/settings: the service-level policies (every version cases may carry, built in and published: M8.3) and the display settings. Roles: routes.ts. */
export const handler = staffRoute('get-settings', async ({ config, app }) => {
  const { currentPolicyVersion, policies } = await listSlaPolicies(app.slaPolicies);
  return json(200, {
    currentPolicyVersion,
    policies: policies.map((p) => p.policy),
    display: { timeZone: config.DISPLAY_TIME_ZONE, locale: config.DISPLAY_LOCALE },
  });
});
