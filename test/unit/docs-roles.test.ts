import { readFileSync } from 'node:fs';
import { STAFF_ROLES } from '../../functions/core/roles';
import { API_ROUTES, type RouteDef } from '../../functions/handlers/routes';
import { ROLES_DOC_PATH, rolesDoc } from '../../scripts/generate-roles-doc';

/** The marks of one route's row, by role. */
function row(doc: string, route: string): Record<string, string> {
  const line = doc.split('\n').find((l) => l.startsWith(`| \`${route}\` |`));
  if (!line) throw new Error(`no row for ${route}`);
  const marks = line.split(' | ').slice(2).map((c) => c.replace(/\s*\|\s*$/, '').trim());
  return Object.fromEntries(STAFF_ROLES.map((role, i) => [role, marks[i] ?? '?']));
}

describe('docs/roles.md', () => {
  it('is what scripts/generate-roles-doc.ts makes of the route table now (run `npm run docs:roles` after changing a route’s roles)', () => {
    expect(readFileSync(ROLES_DOC_PATH, 'utf8')).toBe(rolesDoc());
  });

  it('marks each role a route allows, and managers wherever supervisors are allowed', () => {
    const doc = rolesDoc();
    expect(row(doc, 'POST /v1/cases/{caseId}/assignment')).toEqual({ agents: '', supervisors: '✓', managers: '✓*', feedback: '', auditors: '', admins: '' });
    expect(row(doc, 'GET /v1/settings')).toEqual({ agents: '', supervisors: '✓', managers: '✓*', feedback: '', auditors: '✓', admins: '✓' });
    expect(row(doc, 'GET /v1/cases/{caseId}')).toEqual({ agents: '✓', supervisors: '✓', managers: '✓*', feedback: '✓', auditors: '✓', admins: '' });
    const staffRoutes = API_ROUTES.filter((r) => r.auth === 'staff');
    expect(doc.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(staffRoutes.length);
  });

  it('follows a change of roles in the route table', () => {
    const changed: RouteDef[] = API_ROUTES.map((r) => (r.auth === 'staff' && r.handler === 'assign-case' ? { ...r, roles: ['agents', 'admins'] } : r));
    expect(row(rolesDoc(changed), 'POST /v1/cases/{caseId}/assignment')).toEqual({ agents: '✓', supervisors: '', managers: '', feedback: '', auditors: '', admins: '✓' });
  });

  it('explains every role from its definition, and the feedback team’s contact-detail rule (C4.2)', () => {
    const doc = rolesDoc();
    for (const role of STAFF_ROLES) expect(doc).toMatch(new RegExp(`^- \\*\\*${role}\\*\\*: \\S`, 'm'));
    expect(doc).toContain('## The feedback team and contact details');
    expect(doc).toMatch(/a supervisor grants them this case's contact details for a\s+limited time/);
    expect(doc).toContain('`POST /v1/cases/{caseId}/contact-access` (supervisors)');
  });
});
