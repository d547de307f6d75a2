import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStaffDirectory } from '../../../functions/adapters/file-staff-directory';
import { STAFF_ROLES } from '../../../functions/core/roles';
import { SEEDED_STAFF, seedStaff } from '../../../local/seeded-staff';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'caseflow-staff-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the local stack’s seeded staff', () => {
  it('puts someone of every role, with a name and an example.com address, on the staff directory GET /v1/staff reads', async () => {
    const roster = new FileStaffDirectory(join(dir, 'staff.json'));
    seedStaff(roster);
    for (const role of STAFF_ROLES) expect({ role, names: (await roster.list(role)).map((m) => m.name) }).toEqual({ role, names: expect.arrayContaining([expect.any(String)]) });
    expect((await roster.list('agents')).map((m) => m.name)).toEqual(['Ada Agent', 'Ben Agent']);
    for (const m of SEEDED_STAFF) expect(m.email).toMatch(/@staff\.example\.com$/);
  });

  it('seeds again at every start without duplicates, restoring a seeded member and keeping anyone else a token was minted for', async () => {
    const roster = new FileStaffDirectory(join(dir, 'staff.json'));
    seedStaff(roster);
    roster.register({ id: 'ada-agent', name: 'Renamed', roles: ['admins'] });
    roster.register({ id: 'carol', name: 'Carol', roles: ['supervisors'] });
    seedStaff(roster);
    expect(await roster.find('ada-agent')).toMatchObject({ name: 'Ada Agent', roles: ['agents'] });
    expect(await roster.find('carol')).toMatchObject({ name: 'Carol' });
    expect((await roster.list('agents')).filter((m) => m.id === 'ada-agent')).toHaveLength(1);
  });

  it('puts the seeded staff in two teams, billing and returns, which the file directory answers with (M3.3)', async () => {
    const roster = new FileStaffDirectory(join(dir, 'staff.json'));
    seedStaff(roster);
    expect(await roster.find('ada-agent')).toMatchObject({ team: 'billing' });
    expect(await roster.find('sofia-supervisor')).toMatchObject({ team: 'billing' });
    expect(await roster.find('ben-agent')).toMatchObject({ team: 'returns' });
  });
});
