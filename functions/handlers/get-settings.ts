import { CURRENT_SLA_POLICY_VERSION, SLA_POLICIES } from '../core/sla-policy';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';

/** GET /v1/settings: the service-level policies (every version cases still carry) and the display settings. Roles: routes.ts. */
export const handler = staffRoute('get-settings', async ({ config }) =>
  json(200, {
    currentPolicyVersion: CURRENT_SLA_POLICY_VERSION,
    policies: Object.values(SLA_POLICIES),
    display: { timeZone: config.DISPLAY_TIME_ZONE, locale: config.DISPLAY_LOCALE },
  }),
);
