import type { CaseEvent } from '../../functions/core/case-event';
import { verifyChain } from '../../functions/core/audit-chain';
import { jsonFixture } from '../support/fixtures';
import { apiEvent, freshTable, invoke, onCase, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * Every change of a case is conditional on its version (M7.3: the trail has no gap and no
 * duplicate): of staff acting at once, the winners' events are on the timeline exactly once and
 * the others get 409 with the case's current version, with nothing half-written.
 */
let env: Awaited<ReturnType<typeof freshTable>>;
let handlers: Record<'create' | 'claim' | 'note', unknown>;
const AGENTS = 20;
let tokens: string[];

beforeAll(async () => {
  env = await freshTable();
  handlers = {
    create: (await import('../../functions/handlers/create-case')).handler,
    claim: (await import('../../functions/handlers/claim-case')).handler,
    note: (await import('../../functions/handlers/add-case-note')).handler,
  };
  tokens = [];
  for (let i = 0; i < AGENTS; i += 1) tokens.push(await staffToken(['agents'], `agent-${String(i).padStart(2, '0')}`));
});

async function open(): Promise<string> {
  const res = await invoke(handlers.create, apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify({ ...jsonFixture('web-form', 'complaint.json'), email: uniqueEmail('race') }), headers: { 'content-type': 'application/json' } }));
  return String(res.body?.caseId);
}

const act = (handler: unknown, caseId: string, suffix: string, body: unknown, token: string, ifMatch?: number) =>
  onCase(handler, caseId, suffix, { body, token, ...(ifMatch !== undefined ? { ifMatch } : {}) });

/** The timeline's sequence numbers are 1..n, each once, and the chain verifies. */
function expectWholeTrail(timeline: CaseEvent[]): void {
  expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_e, i) => i + 1));
  expect(verifyChain(timeline)).toEqual({ valid: true, length: timeline.length });
}

describe('concurrent staff actions on one case (M7.3)', () => {
  it('lets exactly one of twenty agents claiming a case at once win; the others get 409 and the timeline has one claim', async () => {
    const caseId = await open();
    const results = await Promise.all(tokens.map((t) => act(handlers.claim, caseId, 'claim', {}, t)));
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(AGENTS - 1);
    const final = await env.store.getCase(caseId);
    for (const r of lost) expect(r.body).toMatchObject({ error: expect.stringMatching(/assigned to|changed/), currentVersion: expect.any(Number) });
    const timeline = await env.store.getTimeline(caseId);
    expectWholeTrail(timeline);
    const claims = timeline.filter((e) => e.type === 'assignment_changed');
    expect(claims).toHaveLength(1);
    expect(claims[0]?.actor.id).toBe(final?.assignee?.id);
    expect((won[0]?.body?.case as { assignee: { id: string } }).assignee.id).toBe(final?.assignee?.id);
  });

  it('applies exactly one of twenty notes written on the same version (If-Match); the rest get 409 with the version they missed', async () => {
    const caseId = await open();
    const version = (await env.store.getCase(caseId))?.version ?? 0;
    const results = await Promise.all(tokens.map((t, i) => act(handlers.note, caseId, 'notes', { text: `note ${i}` }, t, version)));
    const winners = results.flatMap((r, i) => (r.status === 200 ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ currentVersion: version + 1 });
    }
    const timeline = await env.store.getTimeline(caseId);
    expectWholeTrail(timeline);
    expect(timeline.filter((e) => e.type === 'note_added').map((e) => e.data)).toEqual([{ text: `note ${winners[0]}` }]);
    expect((await env.store.getCase(caseId))?.version).toBe(version + 1);
  });

  it('keeps every one of twenty notes written without If-Match, each once and in a gapless chain', async () => {
    const caseId = await open();
    const results = await Promise.all(tokens.map((t, i) => act(handlers.note, caseId, 'notes', { text: `parallel ${i}` }, t)));
    const written = results.flatMap((r, i) => (r.status === 200 ? [`parallel ${i}`] : []));
    // Retries re-read the case; under heavy contention some may still give up with 409, never half-written.
    for (const r of results) expect([200, 409]).toContain(r.status);
    const timeline = await env.store.getTimeline(caseId);
    expectWholeTrail(timeline);
    expect(timeline.filter((e) => e.type === 'note_added').map((e) => (e.data as { text: string }).text).sort()).toEqual(written.sort());
  });
});
