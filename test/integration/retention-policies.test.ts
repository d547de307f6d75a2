import { randomUUID } from 'node:crypto';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { systemClock } from '../../functions/adapters/system-clock';
import type { Case } from '../../functions/core/case';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { CURRENT_RETENTION_POLICY_VERSION } from '../../functions/core/retention-policy';
import { slaPolicy } from '../../functions/core/sla-policy';
import { submission } from '../support/fixtures';
import { apiEvent, freshTable, invoke, onCase, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * The retention policy as data (M7.2, C4.3, M8.3) through the handlers against DynamoDB Local: an
 * admin publishes a version, a case closing takes it (its expiry and the version's id on the case
 * and the closure event), and a later version never moves a case closed before it.
 */
let env: Awaited<ReturnType<typeof freshTable>>;
let handlers: { publish: unknown; list: unknown; resolve: unknown; close: unknown };
let tokens: { admin: string; agent: string; auditor: string };

beforeAll(async () => {
  env = await freshTable();
  handlers = {
    publish: (await import('../../functions/handlers/publish-retention-policy')).handler,
    list: (await import('../../functions/handlers/get-retention-policies')).handler,
    resolve: (await import('../../functions/handlers/resolve-case')).handler,
    close: (await import('../../functions/handlers/close-case')).handler,
  };
  tokens = { admin: await staffToken(['admins'], 'admin-1'), agent: await staffToken(['agents'], 'agent-ret'), auditor: await staffToken(['auditors'], 'auditor-1') };
}, 60_000);

const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const publish = (body: unknown, token = tokens.admin) => invoke(handlers.publish, apiEvent({ method: 'POST', path: '/v1/retention-policies', body: JSON.stringify(body), headers: json(token) }));
const list = (token: string) => invoke(handlers.list, apiEvent({ method: 'GET', path: '/v1/retention-policies', headers: json(token) }));

/** A case opened as intake does, then resolved and closed by an agent through the handlers. */
async function closedCase(): Promise<Case> {
  const deps = { store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy(), acknowledgements: { automatic: false, limitPerHour: 3 } };
  const { case: c } = await openCaseFromSubmission({ submission: submission({ type: 'inquiry', email: uniqueEmail('retention') }), channel: 'web' }, deps);
  expect((await onCase(handlers.resolve, c.caseId, 'resolve', { token: tokens.agent, body: { summary: 'Answered the question' } })).status).toBe(200);
  expect((await onCase(handlers.close, c.caseId, 'close', { token: tokens.agent, body: {} })).status).toBe(200);
  return (await env.store.getCase(c.caseId))!;
}

/** Epoch seconds `years` calendar years after the case's closure. */
const yearsAfterClosure = (c: Case, years: number) => {
  const d = new Date(c.closedAt ?? '');
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return Math.floor(d.getTime() / 1000);
};

const closureEvent = async (c: Case) => (await env.store.getTimeline(c.caseId)).find((e) => e.type === 'status_changed' && e.data.to === 'closed');

describe('retention policy versions through the API', () => {
  it('keeps a case closed under 7 years for 7 years, and a case closed after 6 years were published for 6, the first unchanged (M7.2, C4.3, M8.3)', async () => {
    // Nobody published: the built-in version, as before.
    expect((await list(tokens.auditor)).body).toMatchObject({ currentPolicyVersion: CURRENT_RETENTION_POLICY_VERSION });

    const seven = `ret-7-${randomUUID().slice(0, 8)}`;
    const published = await publish({ version: seven, years: 7, reason: 'Invoices are kept seven years (tax law)' });
    expect(published).toMatchObject({ status: 201, body: { policy: { version: seven, years: 7 }, current: true, publishedBy: 'admin-1' } });

    const first = await closedCase();
    expect(first).toMatchObject({ status: 'closed', retentionPolicyVersion: seven, expiresAt: yearsAfterClosure(first, 7) });
    expect(await closureEvent(first)).toMatchObject({ data: { from: 'resolved', to: 'closed', retentionPolicyVersion: seven } });

    const six = `ret-6-${randomUUID().slice(0, 8)}`;
    expect((await publish({ version: six, years: 6, reason: 'Back to six years' })).status).toBe(201);

    expect(await env.store.getCase(first.caseId)).toMatchObject({ retentionPolicyVersion: seven, expiresAt: yearsAfterClosure(first, 7) });
    const second = await closedCase();
    expect(second).toMatchObject({ retentionPolicyVersion: six, expiresAt: yearsAfterClosure(second, 6) });
    expect(await closureEvent(second)).toMatchObject({ data: { to: 'closed', retentionPolicyVersion: six } });

    const listed = (await list(tokens.auditor)).body as { currentPolicyVersion: string; policies: Array<{ policy: { version: string; years: number }; current: boolean; reason?: string }> };
    expect(listed.currentPolicyVersion).toBe(six);
    expect(listed.policies.map((p) => [p.policy.version, p.policy.years, p.current])).toEqual([
      [CURRENT_RETENTION_POLICY_VERSION, 5, false],
      [seven, 7, false],
      [six, 6, true],
    ]);
  });

  it('refuses fewer than five years naming years, answers a repeat with 200 and other content under a published id with 409 (M7.2, C4.3)', async () => {
    const refused = await publish({ version: `ret-4-${randomUUID().slice(0, 8)}`, years: 4, reason: 'Shorter' });
    expect(refused).toMatchObject({ status: 400, body: { issues: [{ path: 'years' }] } });

    const version = `ret-8-${randomUUID().slice(0, 8)}`;
    const body = { version, years: 8, reason: 'Eight years' };
    expect((await publish(body)).status).toBe(201);
    expect(await publish(body)).toMatchObject({ status: 200, body: { policy: { version, years: 8 }, current: false } });
    expect((await publish({ ...body, years: 9 })).status).toBe(409);
    expect((await publish(body, tokens.agent)).status).toBe(403);
  });
});
