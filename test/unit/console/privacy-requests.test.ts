import { ApiClient } from '../../../web/console/src/api/client';
import { endpoints } from '../../../web/console/src/api/endpoints';
import type { PrivacyRequest } from '../../../web/console/src/api/types';
import { checkHold, checkSubject, describeErasure, shortDigest, summariseRequest } from '../../../web/console/src/logic/privacy';
import { navigationFor } from '../../../web/console/src/logic/roles';
import { formatRoute, parseRoute } from '../../../web/console/src/logic/router';
import { session } from './fixtures';

const CASE = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const DIGEST = 'a'.repeat(12) + 'b'.repeat(52);

function record(over: Partial<PrivacyRequest> = {}): PrivacyRequest {
  return {
    requestId: '5d1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
    kind: 'erasure',
    subject: { kind: 'email', digest: DIGEST },
    requestedBy: { kind: 'admin', id: 'adam-admin' },
    requestedAt: '2026-03-02T09:00:00.000Z',
    status: 'completed',
    completedAt: '2026-03-02T09:00:02.000Z',
    caseIds: [CASE],
    counts: { cases: 1, events: 0, messages: 0, attachments: 0, archives: 0, bytes: 0 },
    ...over,
  };
}

/** The console's endpoints over a server that answers every request with `status` and `body`, and the requests it got. */
function answering(status: number, body: unknown) {
  const sent: { method: string; url: string; body: string | undefined }[] = [];
  const client = new ApiClient({
    base: '/v1',
    token: () => Promise.resolve('token'),
    onUnauthorized: () => undefined,
    fetch: (input, init) => {
      sent.push({ method: init?.method ?? 'GET', url: String(input), body: typeof init?.body === 'string' ? init.body : undefined });
      return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
    },
  });
  return { api: endpoints(client), sent };
}

describe('the privacy-requests screen’s logic (M5.1, C6.1)', () => {
  it('is offered to admins, first for an admin alone and after the queues for an admin who also works cases', () => {
    expect(navigationFor(session(['admins'])).map((i) => i.id)).toEqual(['privacy', 'training', 'settings']);
    expect(navigationFor(session(['agents', 'admins'])).map((i) => i.id)).toEqual(['queue-mine', 'queue-unassigned', 'queue-breaching', 'queue-all', 'reviews', 'privacy', 'training', 'settings', 'performance']);
    for (const role of ['agents', 'supervisors', 'managers', 'feedback', 'auditors'] as const) expect(navigationFor(session([role])).map((i) => i.id)).not.toContain('privacy');
  });

  it('has a URL that names the screen and nothing else, and ignores a term put after it', () => {
    expect(formatRoute({ view: 'privacy' })).toBe('#/privacy');
    expect(parseRoute('#/privacy')).toEqual({ view: 'privacy' });
    expect(parseRoute('#/privacy/grace@example.com')).toEqual({ view: 'home' });
    expect(parseRoute('#/privacy?email=grace@example.com')).toEqual({ view: 'privacy' });
  });

  it('sends the address in the body of a POST, never in a URL', async () => {
    const { api, sent } = answering(201, { request: record({ kind: 'access' }), download: { url: 'http://s3/x.zip', filename: 'caseflow-access-x.zip', expiresAt: '2026-03-02T09:15:00.000Z' } });
    const outcome = await api.privacyRequest('access', { email: 'grace@example.com' });
    expect(outcome.outcome).toBe('completed');
    expect(sent).toEqual([{ method: 'POST', url: '/v1/privacy/access-requests', body: JSON.stringify({ email: 'grace@example.com' }) }]);
  });

  it('reads a refused erasure (409) and a failed one (500) as outcomes with their records, not as errors of the console', async () => {
    const blockedBy = [{ caseId: CASE, reference: 'CS-7K3M9Q', reason: 'legal-hold' as const, detail: 'CS-7K3M9Q is under a legal hold (litigation)' }];
    const refused = await answering(409, { error: 'The erasure was refused: CS-7K3M9Q is under a legal hold', request: record({ status: 'refused', blockedBy }) }).api.privacyRequest('erasure', { phone: '+44 20 7946 0000' });
    expect(refused).toMatchObject({ outcome: 'refused', error: 'The erasure was refused: CS-7K3M9Q is under a legal hold', request: { blockedBy } });
    const failed = await answering(500, { error: 'The erasure failed part-way (TimeoutError)', request: record({ status: 'failed', failure: 'TimeoutError' }) }).api.privacyRequest('erasure', { email: 'grace@example.com' });
    expect(failed).toMatchObject({ outcome: 'failed', request: { failure: 'TimeoutError' } });
    // Anything else (a 400, a 403) is still an error to show.
    await expect(answering(400, { error: 'Invalid input', issues: [{ path: 'email', message: 'Enter a valid email address' }] }).api.privacyRequest('access', { email: 'x@y' })).rejects.toThrow('Invalid input');
  });

  it('keeps nothing of the customer from a legal-hold answer: the case’s reference and hold only', async () => {
    const hold = { basis: 'litigation' as const, placedBy: 'adam-admin', placedAt: '2026-03-02T09:00:00.000Z' };
    const { api, sent } = answering(200, { case: { caseId: CASE, reference: 'CS-7K3M9Q', customer: { name: 'Grace Hopper', email: 'grace@example.com' }, message: 'It never came.', legalHold: hold } });
    expect(await api.placeLegalHold(CASE, { basis: 'litigation' })).toEqual({ reference: 'CS-7K3M9Q', legalHold: hold });
    expect(sent[0]).toMatchObject({ method: 'PUT', url: `/v1/cases/${CASE}/legal-hold` });
  });

  it('names the field in what it says about an address or number it will not send', () => {
    expect(checkSubject('email', '')).toEqual({ ok: false, message: "Email address: enter the customer's email address" });
    expect(checkSubject('email', 'grace@example')).toMatchObject({ ok: false, message: expect.stringMatching(/^Email address: /) });
    expect(checkSubject('phone', 'call me')).toMatchObject({ ok: false, message: expect.stringMatching(/^Phone number: /) });
    expect(checkSubject('email', ' Grace@Example.com ')).toEqual({ ok: true, terms: { email: 'grace@example.com' } });
    expect(checkSubject('phone', '+44 20 7946 0000')).toEqual({ ok: true, terms: { phone: '+44 20 7946 0000' } });
  });

  it('asks for a case id, not a reference, and a basis, before placing a hold', () => {
    expect(checkHold({ caseId: 'CS-7K3M9Q', basis: 'litigation', matter: '', note: '' })).toMatchObject({ ok: false, field: 'caseId' });
    expect(checkHold({ caseId: CASE, basis: '', matter: '', note: '' })).toMatchObject({ ok: false, field: 'basis', message: 'Basis: choose why the case is held' });
    expect(checkHold({ caseId: ` ${CASE.toUpperCase()} `, basis: 'litigation', matter: ' Claim 118 ', note: '' })).toEqual({ ok: true, caseId: CASE, body: { basis: 'litigation', matter: 'Claim 118' } });
  });

  it('tells a request by the start of its digest and its counts, and an erasure’s tally in words', () => {
    expect(shortDigest(DIGEST)).toBe('aaaaaaaaaaaa');
    expect(summariseRequest(record({ status: 'refused', blockedBy: [{ caseId: CASE, reference: 'CS-7K3M9Q', reason: 'open', detail: '' }] }))).toBe('1 case, 1 blocking');
    const tally = { casesErased: 2, archivedOnly: 1, recordsRewritten: 14, eventsNotErasable: 0, rawMessagesDeleted: 1, filesDeleted: 2, exportsDeleted: 1, keysDestroyed: 1, indexEntriesDeleted: 3 };
    expect(describeErasure(tally)).toEqual([
      '2 cases put in erased form, and 1 case known only from its archive.',
      '14 records (timeline events, outbox messages, escalation records) rewritten without personal data.',
      'Deleted, every version: 1 raw message, 2 files, 1 earlier access export, 3 archive index entries.',
      '1 data key destroyed: the personal data sealed in the archives can no longer be read.',
    ]);
    expect(summariseRequest(record({ erased: tally }))).toBe('3 cases erased, 1 key destroyed');
  });
});
