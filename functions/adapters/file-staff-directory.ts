import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import type { StaffRole } from '../core/roles';
import { StaffMemberSchema, type StaffDirectory, type StaffMember } from '../core/staff';

const RosterSchema = z.object({ members: z.array(StaffMemberSchema) });

/**
 * The staff directory of the local stack: a roster file in the data directory, kept by the local
 * issuer (everyone a token is minted for is on it, with their roles). Read on every lookup, so a
 * token minted a moment ago is known at once.
 */
export class FileStaffDirectory implements StaffDirectory {
  constructor(private readonly file: string) {}

  private read(): StaffMember[] {
    if (!existsSync(this.file)) return [];
    return RosterSchema.parse(JSON.parse(readFileSync(this.file, 'utf8'))).members;
  }

  async find(id: string): Promise<StaffMember | undefined> {
    return this.read().find((m) => m.id === id);
  }

  async list(role: StaffRole): Promise<StaffMember[]> {
    return this.read().filter((m) => m.roles.includes(role));
  }

  /** Adds the member, or replaces the one with their id (written whole, then renamed into place). */
  register(member: StaffMember): void {
    const members = [...this.read().filter((m) => m.id !== member.id), StaffMemberSchema.parse(member)];
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ members }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
