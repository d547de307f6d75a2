import { calendarsByCase, CURRENT_SLA_POLICY_VERSION, SLA_POLICIES } from '../core/sla-policy';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';

/** GET /v1/sla-policies: the policies in force with their business-hours calendars (docs/business-hours.md). Roles: routes.ts. */
export const handler = staffRoute('get-sla-policies', async () =>
  json(200, {
    currentPolicyVersion: CURRENT_SLA_POLICY_VERSION,
    policies: Object.values(SLA_POLICIES).map((policy) => ({ policy, current: policy.version === CURRENT_SLA_POLICY_VERSION, calendarByCase: calendarsByCase(policy) })),
  }),
);
