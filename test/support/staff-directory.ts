import type { StaffRole } from '../../functions/core/roles';
import type { StaffDirectory, StaffMember } from '../../functions/core/staff';

/** A staff directory of a few people, as the Cognito user pool would answer for them. */
export class InMemoryStaffDirectory implements StaffDirectory {
  constructor(private readonly members: StaffMember[]) {}

  async find(id: string): Promise<StaffMember | undefined> {
    return this.members.find((m) => m.id === id);
  }

  async list(role: StaffRole): Promise<StaffMember[]> {
    return this.members.filter((m) => m.roles.includes(role));
  }
}

export const STAFF: StaffMember[] = [
  { id: 'agent-ana', name: 'Ana Agent', email: 'ana@staff.example', roles: ['agents'] },
  { id: 'agent-ben', name: 'Ben Agent', email: 'ben@staff.example', roles: ['agents'] },
  { id: 'sup-sam', name: 'Sam Supervisor', email: 'sam@staff.example', roles: ['supervisors'] },
  { id: 'mgr-mia', name: 'Mia Manager', email: 'mia@staff.example', roles: ['managers'] },
  { id: 'fb-fay', name: 'Fay Feedback', email: 'fay@staff.example', roles: ['feedback'] },
  { id: 'aud-abe', name: 'Abe Auditor', roles: ['auditors'] },
];

export const staffDirectory = () => new InMemoryStaffDirectory(STAFF);
