import { STAFF_ROLES, type StaffRole } from '../../functions/core/roles';
import { API_ROUTES, type RouteDef, type StaffRoute } from '../../functions/handlers/routes';
import { jsonFixture } from '../support/fixtures';
import { apiEvent, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * The whole route x role matrix (M4.1–4.3, C2.1–2.3): every staff route of the route table, called
 * with a token of every role, of no role, and with none. The roles the route table names pass
 * authorization (the case may still refuse: 400, 404, 409, or the core's own 403 for a role with no
 * say on this case); every other role gets the route table's 403; no token, 401. Managers hold the
 * supervisors' rights (core/roles.ts).
 */
const staffRoutes = API_ROUTES.filter((r): r is StaffRoute => r.auth === 'staff');
const publicRoutes = API_ROUTES.filter((r) => r.auth === 'public' && r.method !== 'ANY');

type Caller = StaffRole | 'a token of no role' | 'no token';
const CALLERS: readonly Caller[] = [...STAFF_ROLES, 'a token of no role', 'no token'];

let caseId: string;
let reference: string;
const tokens = new Map<Caller, string>();
const handlers = new Map<string, unknown>();

beforeAll(async () => {
  await freshTable();
  for (const route of [...staffRoutes, ...publicRoutes]) {
    handlers.set(route.handler, ((await import(`../../functions/handlers/${route.handler}`)) as { handler: unknown }).handler);
  }
  for (const role of STAFF_ROLES) tokens.set(role, await staffToken([role], `matrix-${role}`));
  tokens.set('a token of no role', await staffToken([], 'matrix-nobody'));
  const opened = await invoke(
    handlers.get('create-case'),
    apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify({ ...jsonFixture('web-form', 'inquiry.json'), email: uniqueEmail('matrix') }), headers: { 'content-type': 'application/json' } }),
  );
  expect(opened.status).toBe(201);
  caseId = String(opened.body?.caseId);
  reference = String(opened.body?.reference);
});

/** A file the matrix's case does not have: the attachment route answers 404 past authorization (and the feedback team's grant check, its own 403). */
const NO_FILE = '0'.repeat(64);

/** An export nobody started (a period long past): its route answers 404 past authorization. */
const NO_EXPORT = '2001-01-01_2001-01-01';
/** A month nobody made a report of: its route answers 404 past authorization. */
const NO_MONTH = '2001-01';

/** A non-compliance record nobody opened: its route answers 404 past authorization. */
const NO_RECORD = 'nc-00000000-0000-4000-8000-000000000000';

/** A quality review nobody sampled (its week long past): its routes answer 404 past authorization. */
const NO_REVIEW = 'qr-2001-W01-00000000-0000-4000-8000-000000000000-2';
/** An action item nobody created: its routes answer 404 past authorization. */
const NO_ITEM = 'ai-00000000-0000-4000-8000-000000000000';
/** An SLA policy version nobody published: the migration route refuses the empty body (400) past authorization. */
const NO_VERSION = 'matrix-none';
/** A migration nobody started (to that version): its route answers 404 past authorization. */
const NO_MIGRATION = 'matrix-none.0000000000000000';

/** A privacy request nobody made: its route answers 404 past authorization. */
const NO_REQUEST = '00000000-0000-4000-8000-000000000000';

/** The route called as its client would: the real case in the path, an empty JSON body where it takes one. */
function call(route: RouteDef, token: string | undefined) {
  const onCase = route.path.includes('{caseId}');
  const onFile = route.path.includes('{sha256}');
  const byReference = route.path.includes('{reference}');
  const onRequest = route.path.includes('{requestId}');
  const onExport = route.path.includes('{exportId}');
  return invoke(
    handlers.get(route.handler),
    apiEvent({
      method: route.method,
      path: route.path.replace('{caseId}', caseId).replace('{staffId}', 'matrix-agents').replace('{sha256}', NO_FILE).replace('{reference}', reference).replace('{requestId}', NO_REQUEST).replace('{exportId}', NO_EXPORT).replace('{month}', NO_MONTH).replace('{recordId}', NO_RECORD).replace('{reviewId}', NO_REVIEW).replace('{itemId}', NO_ITEM).replace('{version}', NO_VERSION).replace('{migrationId}', NO_MIGRATION),
      routePath: route.path,
      ...(onCase
        ? { pathParameters: { caseId, ...(onFile ? { sha256: NO_FILE } : {}) } }
        : route.path.includes('{staffId}')
          ? { pathParameters: { staffId: 'matrix-agents' } }
          : byReference
            ? { pathParameters: { reference } }
            : onRequest
              ? { pathParameters: { requestId: NO_REQUEST } }
              : onExport
                ? { pathParameters: { exportId: NO_EXPORT } }
                : route.path.includes('{month}')
                  ? { pathParameters: { month: NO_MONTH } }
                  : route.path.includes('{recordId}')
                    ? { pathParameters: { recordId: NO_RECORD } }
                    : route.path.includes('{reviewId}')
                      ? { pathParameters: { reviewId: NO_REVIEW } }
                    : route.path.includes('{itemId}')
                      ? { pathParameters: { itemId: NO_ITEM } }
                    : route.path.includes('{version}')
                      ? { pathParameters: { version: NO_VERSION, ...(route.path.includes('{migrationId}') ? { migrationId: NO_MIGRATION } : {}) } }
                      : {}),
      ...(route.body ? { body: '{}' } : {}),
      headers: { ...(route.body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }),
  );
}

/** Whom the route table lets in, stated here on its own: the roles it names, and managers where it names supervisors. */
const allowed = (route: StaffRoute, caller: Caller) =>
  STAFF_ROLES.some((r) => r === caller) && (route.roles.includes(caller as StaffRole) || (caller === 'managers' && route.roles.includes('supervisors')));

describe('the route x role matrix', () => {
  it.each(staffRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s lets in the roles the route table names, turns away the others with its 403, and asks for a token', async (_, route) => {
    const tableRefusal = `This needs one of the roles: ${route.roles.join(', ')}`;
    const results = await Promise.all(CALLERS.map(async (caller) => [caller, await call(route, tokens.get(caller))] as const));

    const seen = Object.fromEntries(
      results.map(([caller, res]) => {
        if (res.status === 401) return [caller, 'asked for a token'];
        if (res.status === 403 && res.body?.error === tableRefusal) return [caller, 'turned away by the route table'];
        if (res.status >= 500) return [caller, `server error ${res.status}`];
        // Past authorization: a read of the real case answers 200; a change may be refused by the case (400, 404, 409, its own 403).
        // The case has no such file, (open) no archive, nobody made that privacy request or export: those reads answer 404 past authorization.
        const answers404 = ['{sha256}', '{reference}', '{requestId}', '{exportId}', '{month}', '{recordId}', '{reviewId}', '{itemId}', '{migrationId}'].some((p) => route.path.includes(p));
        if (route.method === 'GET' && res.status !== 200 && !answers404) return [caller, `let in, but answered ${res.status}`];
        // A change whose empty body is refused first (400, naming the field) is past authorization too.
        const refusedBody = route.body !== undefined && res.status === 400;
        if (answers404 && !route.path.includes('{sha256}') && allowed(route, caller) && res.status !== 404 && !refusedBody) return [caller, `let in, but answered ${res.status}`];
        return [caller, 'let in'];
      }),
    );
    const expected = Object.fromEntries(
      CALLERS.map((caller) => [caller, caller === 'no token' ? 'asked for a token' : allowed(route, caller) ? 'let in' : 'turned away by the route table']),
    );
    expect(seen).toEqual(expected);
  });

  it('lets every role in somewhere; auditors and the feedback team change nothing, admins work no case but hold one (M4.1–4.3, M6.3, M5.1)', () => {
    for (const role of STAFF_ROLES) expect({ role, letIn: staffRoutes.some((r) => allowed(r, role)) }).toEqual({ role, letIn: true });
    // Reads that take a body or compute: a search (personal data stays out of URLs), an audit verification,
    // a compliance export and the monthly report (copies and figures of the record: they change no case).
    const readsByPost = new Set(['search-cases', 'verify-audit-trail', 'create-export', 'create-monthly-report']);
    // A report of non-compliance (C8.1) is an audit's or the feedback team's finding (M6.3, M8.2): it changes no case.
    const findings = new Set(['report-non-compliance']);
    // Action items are the feedback team's recommendations after feedback (M8.2, C7.2): they change no case.
    const recommendations = new Set(['create-action-item', 'update-action-item']);
    const changes = staffRoutes.filter((r) => r.method !== 'GET' && !readsByPost.has(r.handler) && !findings.has(r.handler) && !recommendations.has(r.handler));
    expect(changes.filter((r) => allowed(r, 'auditors') || allowed(r, 'feedback')).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const caseRoutes = staffRoutes.filter((r) => r.path.startsWith('/v1/cases') || r.path.startsWith('/v1/calls'));
    // A legal hold is the admins' (privacy requests): it changes nothing of the case's work.
    expect(caseRoutes.filter((r) => allowed(r, 'admins')).map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /v1/cases/{caseId}/legal-hold', 'DELETE /v1/cases/{caseId}/legal-hold']);
  });

  it('lets admins alone at the privacy requests and legal holds: nobody who works or audits cases exports or erases a customer’s data (M5.1, C6.1)', () => {
    const privacyRoutes = staffRoutes.filter((r) => r.path.startsWith('/v1/privacy/') || r.path.endsWith('/legal-hold'));
    expect(privacyRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'DELETE /v1/cases/{caseId}/legal-hold',
      'GET /v1/privacy/requests',
      'GET /v1/privacy/requests/{requestId}',
      'POST /v1/privacy/access-requests',
      'POST /v1/privacy/erasure-requests',
      'PUT /v1/cases/{caseId}/legal-hold',
    ]);
    for (const route of privacyRoutes) expect({ route: route.path, letIn: STAFF_ROLES.filter((role) => allowed(route, role)) }).toEqual({ route: route.path, letIn: ['admins'] });
  });

  it('lets admins alone follow a migration of open cases to an SLA policy version (M8.3)', () => {
    const route = staffRoutes.find((r) => r.handler === 'get-sla-migration');
    expect(route && `${route.method} ${route.path}`).toBe('GET /v1/sla-policies/{version}/migrations/{migrationId}');
    if (route) expect(STAFF_ROLES.filter((role) => allowed(route, role))).toEqual(['admins']);
  });

  it('lets admins alone publish SLA policy versions and migrate open cases to one (M8.3)', () => {
    const policyChanges = staffRoutes.filter((r) => r.path.startsWith('/v1/sla-policies') && r.method !== 'GET');
    expect(policyChanges.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/sla-policies', 'POST /v1/sla-policies/{version}/migrations']);
    for (const route of policyChanges) expect({ route: route.path, letIn: STAFF_ROLES.filter((role) => allowed(route, role)) }).toEqual({ route: route.path, letIn: ['admins'] });
  });

  it('shows admins, supervisors and auditors alone the SLA policies in force, with the calendar each case type and priority opens on (M8.3)', async () => {
    const route = staffRoutes.find((r) => r.handler === 'get-sla-policies');
    if (!route) throw new Error('GET /v1/sla-policies is not in the route table');
    expect(STAFF_ROLES.filter((role) => allowed(route, role))).toEqual(['supervisors', 'managers', 'auditors', 'admins']);
    const res = await call(route, tokens.get('supervisors'));
    expect(res.status).toBe(200);
    const body = res.body as { currentPolicyVersion: string; policies: Array<{ policy: { version: string }; current: boolean; calendarByCase: unknown[] }> };
    const current = body.policies.find((p) => p.current);
    expect(current?.policy.version).toBe(body.currentPolicyVersion);
    // The current policy names no calendar: every case type and priority runs round the clock.
    expect(current?.calendarByCase).toContainEqual({ type: 'inquiry', priority: 'normal', calendar: '24/7' });
    expect(current?.calendarByCase).toHaveLength(8);
  });

  it('lets admins alone publish retention policy versions, and admins, supervisors and auditors read them with the current one marked (M7.2, C4.3)', async () => {
    const retention = staffRoutes.filter((r) => r.path.startsWith('/v1/retention-policies'));
    expect(retention.map((r) => [`${r.method} ${r.path}`, STAFF_ROLES.filter((role) => allowed(r, role))])).toEqual([
      ['GET /v1/retention-policies', ['supervisors', 'managers', 'auditors', 'admins']],
      ['POST /v1/retention-policies', ['admins']],
    ]);
    const read = retention.find((r) => r.method === 'GET');
    if (!read) throw new Error('GET /v1/retention-policies is not in the route table');
    const res = await call(read, tokens.get('auditors'));
    expect(res.status).toBe(200);
    const body = res.body as { currentPolicyVersion: string; policies: Array<{ policy: { version: string; years: number }; current: boolean }> };
    expect(body.policies.find((p) => p.current)?.policy.version).toBe(body.currentPolicyVersion);
  });

  it('lets only the feedback team and supervisors (and so managers) read the feedback log: it is confidential (C4.2)', () => {
    const feedbackRoutes = staffRoutes.filter((r) => r.path.startsWith('/v1/feedback'));
    expect(feedbackRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/feedback', 'GET /v1/feedback/trends']);
    for (const route of feedbackRoutes) expect({ route: route.path, letIn: STAFF_ROLES.filter((role) => allowed(route, role)) }).toEqual({ route: route.path, letIn: ['supervisors', 'managers', 'feedback'] });
  });

  it('lets the feedback team and supervisors create action items, their owners (representatives) change them, and auditors read them (M8.2, C7.2)', () => {
    const items = staffRoutes.filter((r) => r.path.startsWith('/v1/action-items'));
    expect(items.map((r) => [`${r.method} ${r.path}`, STAFF_ROLES.filter((role) => allowed(r, role))])).toEqual([
      ['POST /v1/action-items', ['supervisors', 'managers', 'feedback']],
      ['GET /v1/action-items', ['agents', 'supervisors', 'managers', 'feedback', 'auditors']],
      ['GET /v1/action-items/{itemId}', ['agents', 'supervisors', 'managers', 'feedback', 'auditors']],
      ['PATCH /v1/action-items/{itemId}', ['agents', 'supervisors', 'managers', 'feedback']],
    ]);
  });

  it('lets representatives and supervisors (and so managers) record a complaint’s follow-up and read the follow-ups due; nobody else (M3.2)', () => {
    const followUps = staffRoutes.filter((r) => r.path.startsWith('/v1/follow-ups') || r.path.endsWith('/follow-up'));
    expect(followUps.map((r) => [`${r.method} ${r.path}`, STAFF_ROLES.filter((role) => allowed(r, role))])).toEqual([
      ['POST /v1/cases/{caseId}/follow-up', ['agents', 'supervisors', 'managers']],
      ['GET /v1/follow-ups', ['agents', 'supervisors', 'managers']],
    ]);
  });

  it.each(publicRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s needs no token', async (_, route) => {
    const res = await call(route, undefined);
    expect(res.status).not.toBe(401);
    expect(res.status).not.toBe(403);
    expect(res.status).toBeLessThan(500);
  });
});

describe('the training routes in the matrix (C5.1-C5.3)', () => {
  it('lets supervisors and admins record training; representatives read their own status and nobody else’s (C5.1, C5.3)', async () => {
    const training = staffRoutes.filter((r) => r.path.includes('training'));
    expect(training.map((r) => [`${r.method} ${r.path}`, STAFF_ROLES.filter((role) => allowed(r, role))])).toEqual([
      ['POST /v1/staff/{staffId}/training', ['supervisors', 'managers', 'admins']],
      ['GET /v1/training', ['agents', 'supervisors', 'managers', 'admins']],
    ]);
    const read = (token: string | undefined, staffId: string) =>
      invoke(handlers.get('get-training'), apiEvent({ method: 'GET', path: '/v1/training', query: { staffId }, headers: { authorization: `Bearer ${token ?? ''}` } }));
    expect((await read(tokens.get('agents'), 'matrix-agents')).status).toBe(200);
    expect((await read(tokens.get('agents'), 'matrix-supervisors')).status).toBe(403);
    expect((await read(tokens.get('supervisors'), 'matrix-agents')).status).toBe(200);
  });
});

describe('the quality-review routes in the matrix (M3.1, M6.1, C6.3)', () => {
  it('lets supervisors alone list the queue and score; representatives read their own reviews; the roll-up is the supervisors’, the feedback team’s and the auditors’ (M6.1, C6.3)', async () => {
    const quality = staffRoutes.filter((r) => r.path.includes('quality'));
    expect(quality.map((r) => [`${r.method} ${r.path}`, STAFF_ROLES.filter((role) => allowed(r, role))])).toEqual([
      ['GET /v1/quality-reviews', ['supervisors', 'managers']],
      ['GET /v1/quality-reviews/{reviewId}', ['agents', 'supervisors', 'managers']],
      ['POST /v1/quality-reviews/{reviewId}/score', ['supervisors', 'managers']],
      ['GET /v1/my/quality-reviews', ['agents']],
      ['GET /v1/quality-rollup', ['supervisors', 'managers', 'feedback', 'auditors']],
    ]);
    const mine = staffRoutes.find((r) => r.handler === 'list-my-quality-reviews');
    if (!mine) throw new Error('GET /v1/my/quality-reviews is not in the route table');
    const res = await call(mine, tokens.get('agents'));
    expect(res.status).toBe(200);
    expect(res.body?.items).toEqual([]);
  });
});

describe('the performance-review routes in the matrix (C7.3)', () => {
  it('lets supervisors and auditors read the team summary; representatives read their own review and nobody else’s (C7.3, M6.2)', async () => {
    const reviews = staffRoutes.filter((r) => r.path.startsWith('/v1/performance-reviews'));
    expect(reviews.map((r) => [`${r.method} ${r.path}`, STAFF_ROLES.filter((role) => allowed(r, role))])).toEqual([
      ['GET /v1/performance-reviews', ['supervisors', 'managers', 'auditors']],
      ['GET /v1/performance-reviews/{staffId}', ['agents', 'supervisors', 'managers', 'feedback', 'auditors']],
    ]);
    const read = (token: string | undefined, staffId: string) =>
      invoke(
        handlers.get('get-performance-review'),
        apiEvent({ method: 'GET', path: `/v1/performance-reviews/${staffId}`, routePath: '/v1/performance-reviews/{staffId}', pathParameters: { staffId }, headers: { authorization: `Bearer ${token ?? ''}` } }),
      );
    expect((await read(tokens.get('agents'), 'matrix-agents')).status).toBe(200);
    expect((await read(tokens.get('agents'), 'matrix-supervisors')).status).toBe(403);
    expect((await read(tokens.get('feedback'), 'matrix-agents')).status).toBe(200);
  });
});
