import type { FileStaffDirectory } from '../functions/adapters/file-staff-directory';
import type { StaffMember } from '../functions/core/staff';

/**
 * The local stack's staff: one or more people in every role, put on the staff directory (the
 * roster file) at every start, so the console's local sign-in page can list them and assignment
 * has names to show. Fictional people at example.com; their ids are their `sub`. Two teams:
 * `billing` (Ada, and Sofia its supervisor) and `returns` (Ben); an SLA policy version listing
 * their escalation contacts sends their cases' escalations there (docs/sla-policies.md).
 */
export const SEEDED_STAFF: readonly (StaffMember & { name: string; email: string })[] = [
  { id: 'ada-agent', name: 'Ada Agent', email: 'ada.agent@staff.example.com', roles: ['agents'], team: 'billing' },
  { id: 'ben-agent', name: 'Ben Agent', email: 'ben.agent@staff.example.com', roles: ['agents'], team: 'returns' },
  { id: 'sofia-supervisor', name: 'Sofia Supervisor', email: 'sofia.supervisor@staff.example.com', roles: ['supervisors'], team: 'billing' },
  { id: 'mia-manager', name: 'Mia Manager', email: 'mia.manager@staff.example.com', roles: ['managers'] },
  { id: 'fred-feedback', name: 'Fred Feedback', email: 'fred.feedback@staff.example.com', roles: ['feedback'] },
  { id: 'alex-auditor', name: 'Alex Auditor', email: 'alex.auditor@staff.example.com', roles: ['auditors'] },
  { id: 'adam-admin', name: 'Adam Admin', email: 'adam.admin@staff.example.com', roles: ['admins'] },
];

/** Puts the seeded staff on the roster as defined here (anyone else on it stays). */
export function seedStaff(roster: Pick<FileStaffDirectory, 'register'>): void {
  for (const member of SEEDED_STAFF) roster.register({ ...member, roles: [...member.roles] });
}
