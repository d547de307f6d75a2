import * as z from 'zod';
import { emailAddress } from './email-address';
import { StaffRoleSchema } from './roles';

/**
 * A staff member as the directory knows them (the Cognito user pool in AWS, the local issuer's
 * roster on a laptop): their subject, name, work address, roles and team.
 */
export const StaffMemberSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  email: emailAddress().optional(),
  roles: z.array(StaffRoleSchema),
  /**
   * The team they work in, if any (Cognito: the `custom:team` attribute; the local roster: `team`).
   * Recorded on a case assigned to them: its escalations go to that team's contacts in the case's SLA policy version (escalation-contacts.ts).
   */
  team: z.string().trim().min(1).max(64).optional(),
});
export type StaffMember = z.infer<typeof StaffMemberSchema>;

/** The port to the staff directory. */
export interface StaffDirectory {
  /** The staff member with this subject, or undefined. */
  find(id: string): Promise<StaffMember | undefined>;
  /** Everyone in a role (for assignment pickers). */
  list(role: z.infer<typeof StaffRoleSchema>): Promise<StaffMember[]>;
}

/** Who may be assigned cases: representatives and supervisors (M4.1, M4.2). */
export const mayWorkCases = (m: StaffMember): boolean => m.roles.some((r) => r === 'agents' || r === 'supervisors' || r === 'managers');

/** GET /v1/staff's query. */
export const ListStaffQuerySchema = z.object({ role: StaffRoleSchema.default('agents') }).strict();
