import type { ActorKind, QueueName, StaffRole } from '../api/types';
import { readsTraining } from './training';
import { readsPerformance } from './performance';

/**
 * The signed-in person's roles, read from their token's `cognito:groups` (Cognito in AWS, the
 * local issuer on a laptop), and what the console offers each role (docs/roles.md). The server
 * judges every request anyway: this only keeps the console from offering what would be refused.
 */
export const STAFF_ROLES: readonly StaffRole[] = ['agents', 'supervisors', 'managers', 'feedback', 'auditors', 'admins'];

export interface Session {
  sub: string;
  name: string;
  email?: string | undefined;
  roles: readonly StaffRole[];
  /** Epoch ms when the access token expires. */
  expiresAt: number;
}

/** The roles a token's groups give: unknown groups count for nothing, a manager holds the supervisors' rights (core/roles.ts). */
export function rolesOfGroups(groups: unknown): StaffRole[] {
  const list = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
  const held = new Set<StaffRole>();
  for (const g of list) {
    const role = STAFF_ROLES.find((r) => r === g);
    if (!role) continue;
    held.add(role);
    if (role === 'managers') held.add('supervisors');
  }
  return STAFF_ROLES.filter((r) => held.has(r));
}

const has = (s: Pick<Session, 'roles'>, ...roles: StaffRole[]) => roles.some((r) => s.roles.includes(r));

/** Works cases: representatives, supervisors, managers. */
export const worksCases = (s: Pick<Session, 'roles'>) => has(s, 'agents', 'supervisors', 'managers');
export const supervises = (s: Pick<Session, 'roles'>) => has(s, 'supervisors', 'managers');
export const readsCases = (s: Pick<Session, 'roles'>) => has(s, 'agents', 'supervisors', 'managers', 'feedback', 'auditors');
/** The audit trail and its verification (supervisors answer for adherence, auditors check it). */
export const readsAudit = (s: Pick<Session, 'roles'>) => has(s, 'supervisors', 'managers', 'auditors');
/** Search by a customer's email or phone: not the feedback team (they see no contact details). */
export const searchesCustomers = (s: Pick<Session, 'roles'>) => has(s, 'agents', 'supervisors', 'managers', 'auditors');
export const readsStaff = (s: Pick<Session, 'roles'>) => has(s, 'agents', 'supervisors', 'managers', 'admins', 'auditors');
export const readsSettings = (s: Pick<Session, 'roles'>) => has(s, 'supervisors', 'managers', 'admins', 'auditors');
/** The monthly compliance report (routes.ts `METRICS_READERS`): supervisors, the feedback team, auditors. */
export const readsReports = (s: Pick<Session, 'roles'>) => has(s, 'supervisors', 'managers', 'feedback', 'auditors');
/** Non-compliance records (C8.1; routes.ts `NON_COMPLIANCE_READERS`): supervisors, the feedback team, auditors; supervisors record and sign off corrective actions. */
export const readsNonCompliance = (s: Pick<Session, 'roles'>) => has(s, 'supervisors', 'managers', 'feedback', 'auditors');
/** The feedback log, its trends and the action items (C4.2, M4.3, M8.2; routes.ts `FEEDBACK_READERS`): the feedback team and supervisors. */
export const readsFeedback = (s: Pick<Session, 'roles'>) => has(s, 'supervisors', 'managers', 'feedback');
/** Customers' privacy requests and legal holds (M5.1, C6.1): the admins alone (routes.ts `PRIVACY`). */
/** Response-quality reviews (M6.1; routes.ts): supervisors score the queue, representatives read their own. */
export const readsQualityReviews = (s: Pick<Session, 'roles'>) => has(s, 'supervisors', 'managers', 'agents');
export const handlesPrivacy = (s: Pick<Session, 'roles'>) => has(s, 'admins');
/** Publishing SLA policy versions and migrating open cases to one (M8.3; routes.ts): the admins alone. */
export const managesPolicies = (s: Pick<Session, 'roles'>) => has(s, 'admins');

/** The role the person acts in on a case (core/roles.ts `actorFor`: the strongest that works cases). */
export function caseActorKind(s: Pick<Session, 'roles'>): ActorKind | undefined {
  if (has(s, 'managers')) return 'manager';
  if (has(s, 'supervisors')) return 'supervisor';
  if (has(s, 'agents')) return 'agent';
  return undefined;
}

/** How far up the escalation levels the person reaches (M3.3): supervisors level 1, managers every level. */
export function escalationReach(s: Pick<Session, 'roles'>): number {
  if (has(s, 'managers')) return Number.POSITIVE_INFINITY;
  if (has(s, 'supervisors')) return 1;
  return 0;
}

export type NavTarget = { kind: 'queue'; queue: QueueName } | { kind: 'escalations' } | { kind: 'settings' } | { kind: 'privacy' } | { kind: 'reports' } | { kind: 'non-compliance' } | { kind: 'reviews' } | { kind: 'feedback' } | { kind: 'training' } | { kind: 'performance' };

export interface NavItem {
  id: string;
  label: string;
  target: NavTarget;
}

export const QUEUE_LABEL: Readonly<Record<QueueName, string>> = {
  mine: 'My cases',
  unassigned: 'Unassigned',
  breaching: 'Breaching soonest',
  escalated: 'Escalated to me',
  all: 'All open',
};

/** Which queues a role reads (routes.ts: case readers; "mine" and "unassigned" are for those who work cases, "escalated" for supervisors). */
export function queuesFor(s: Pick<Session, 'roles'>): QueueName[] {
  const queues: QueueName[] = [];
  if (worksCases(s)) queues.push('mine', 'unassigned');
  if (readsCases(s)) queues.push('breaching');
  if (supervises(s)) queues.push('escalated');
  if (readsCases(s)) queues.push('all');
  return queues;
}

/** What each role sees in the navigation, in this order; the first is where the console opens (an admin alone: privacy requests). */
export function navigationFor(s: Pick<Session, 'roles'>): NavItem[] {
  const items: NavItem[] = queuesFor(s).map((queue) => ({ id: `queue-${queue}`, label: QUEUE_LABEL[queue], target: { kind: 'queue', queue } }));
  if (supervises(s)) items.push({ id: 'escalations', label: 'Escalations', target: { kind: 'escalations' } });
  if (readsReports(s)) items.push({ id: 'reports', label: 'Reports', target: { kind: 'reports' } });
  if (readsNonCompliance(s)) items.push({ id: 'non-compliance', label: 'Non-compliance', target: { kind: 'non-compliance' } });
  if (readsQualityReviews(s)) items.push({ id: 'reviews', label: 'Reviews', target: { kind: 'reviews' } });
  if (readsFeedback(s)) items.push({ id: 'feedback', label: 'Feedback', target: { kind: 'feedback' } });
  if (handlesPrivacy(s)) items.push({ id: 'privacy', label: 'Privacy requests', target: { kind: 'privacy' } });
  if (readsTraining(s)) items.push({ id: 'training', label: 'Training', target: { kind: 'training' } });
  if (readsSettings(s)) items.push({ id: 'settings', label: 'Settings', target: { kind: 'settings' } });
  // Performance reviews (C7.3): representatives their own, supervisors, the feedback team and auditors anyone's.
  if (readsPerformance(s)) items.push({ id: 'performance', label: 'Performance', target: { kind: 'performance' } });
  return items;
}

/** The role names for the header: "Supervisors, Managers". */
export const describeRoles = (roles: readonly StaffRole[]): string => roles.map((r) => r.charAt(0).toUpperCase() + r.slice(1)).join(', ');
