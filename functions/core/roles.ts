import * as z from 'zod';
import type { Actor } from './case';

/**
 * The staff roles (M4.1–4.3, C2.1–2.3), as identity-provider groups (Cognito user-pool groups in
 * AWS, the local issuer's `groups` claim locally):
 * - `agents`: customer service representatives; handle inquiries and complaints, document every interaction.
 * - `supervisors`: oversee escalations and adherence; everything an agent does, plus assignment, escalation handling, contact-detail grants.
 * - `managers`: supervisors with the authority of escalation level 2 and above (M3.3).
 * - `feedback`: the customer feedback team; reads cases and the escalation log, without customer contact details unless a supervisor grants them.
 * - `auditors`: read everything, verify audit trails, change nothing (M6.3, C6.3).
 * - `admins`: configuration, staff directory, mail quarantine and privacy requests; not cases.
 * Which routes each role may call is declared in the route table (functions/handlers/routes.ts), nowhere else.
 */
export const STAFF_ROLES = ['agents', 'supervisors', 'managers', 'feedback', 'auditors', 'admins'] as const;
export const StaffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/** Roles whose members also hold another role's rights: a manager is a supervisor with more authority. */
const IMPLIED: Readonly<Partial<Record<StaffRole, readonly StaffRole[]>>> = { managers: ['supervisors'] };

/** The roles a caller holds: their groups that are roles, and what those imply. Unknown groups count for nothing. */
export function rolesOf(groups: readonly string[]): Set<StaffRole> {
  const held = new Set<StaffRole>();
  for (const g of groups) {
    const parsed = StaffRoleSchema.safeParse(g);
    if (!parsed.success) continue;
    held.add(parsed.data);
    for (const implied of IMPLIED[parsed.data] ?? []) held.add(implied);
  }
  return held;
}

/** Whether a caller with these groups may call a route open to `allowed`. */
export const mayCall = (groups: readonly string[], allowed: readonly StaffRole[]): boolean => {
  const held = rolesOf(groups);
  return allowed.some((r) => held.has(r));
};

/** Most authority first: a caller acts in the strongest role the route allows them. */
const PRECEDENCE: readonly StaffRole[] = ['managers', 'supervisors', 'agents', 'feedback', 'auditors', 'admins'];

const ACTOR_KIND: Readonly<Record<StaffRole, Actor['kind']>> = {
  managers: 'manager',
  supervisors: 'supervisor',
  agents: 'agent',
  feedback: 'feedback',
  auditors: 'auditor',
  admins: 'admin',
};

/**
 * The staff member as the core sees them on one route: their subject and the strongest role they
 * hold that the route allows (a manager calling a supervisors' route acts as a manager; an agent
 * who is also an auditor acts as an agent on an agents' route). Audit events record both (M7.3).
 */
export function actorFor(identity: { sub: string; groups: readonly string[] }, allowed: readonly StaffRole[]): Actor {
  const held = rolesOf(identity.groups);
  const allowedHeld = new Set(allowed.flatMap((r) => (r === 'supervisors' ? ['supervisors', 'managers'] : [r])));
  const role = PRECEDENCE.find((r) => held.has(r) && allowedHeld.has(r)) ?? PRECEDENCE.find((r) => held.has(r));
  return { kind: role ? ACTOR_KIND[role] : 'agent', id: identity.sub };
}

/** Whether an actor works cases with supervisor authority (assigning others, handling escalations, grants). */
export const isSupervisor = (actor: Actor): boolean => actor.kind === 'supervisor' || actor.kind === 'manager';
