import { acknowledgeCase } from '../../../../functions/core/actions/acknowledge';
import { addNote } from '../../../../functions/core/actions/add-note';
import { logCall } from '../../../../functions/core/actions/log-call';
import { openCaseFromCall } from '../../../../functions/core/actions/open-case-from-call';
import { clearPendingCustomer, setPendingCustomer } from '../../../../functions/core/actions/pending-customer';
import { reclassifyCase } from '../../../../functions/core/actions/reclassify';
import { replyToCustomer } from '../../../../functions/core/actions/reply';
import { slaPolicy } from '../../../../functions/core/sla-policy';
import { CaseStateError, ForbiddenError } from '../../../../functions/core/errors';
import { seededRandom } from '../../../support/fixtures';
import { InMemoryCaseStore } from '../../../support/in-memory-case-store';
import { staffDirectory } from '../../../support/staff-directory';
import { agent, DAY, HOUR, MIN, movingClock, opened, supervisor, T0 } from './support';

const call = { direction: 'inbound' as const, durationSeconds: 420, transcript: 'Agent: Good morning…\nCustomer: My parcel has not arrived.' };

describe('working a case', () => {
  it('acknowledges a new case by hand once (M3.1)', async () => {
    const { caseId, deps, clock } = await opened();
    clock.advance(5 * MIN);
    const c = await acknowledgeCase(caseId, {}, { actor: agent }, deps);
    expect(c).toMatchObject({ status: 'acknowledged', acknowledgedAt: new Date(T0 + 5 * MIN).toISOString() });
    await expect(acknowledgeCase(caseId, {}, { actor: agent }, deps)).rejects.toThrow(/acknowledged already/);
  });

  it('acknowledges a case that moved on without an acknowledgement, keeping its status, so it leaves the top of the breaching queue (M3.1)', async () => {
    const { store, caseId, deps } = await opened();
    await setPendingCustomer(caseId, { reason: 'asked for the order number' }, { actor: agent }, deps);
    const c = await acknowledgeCase(caseId, {}, { actor: agent }, deps);
    expect(c).toMatchObject({ status: 'pending_customer', acknowledgedAt: expect.any(String) });
    expect((await store.getTimeline(caseId)).at(-1)).toMatchObject({ type: 'acknowledged', changes: { acknowledgedAt: { after: c.acknowledgedAt } } });
  });

  it('keeps a reply’s text on the chained timeline event and owes it to the customer through the outbox (C4.1, M3.1)', async () => {
    const { store, caseId, deps } = await opened();
    const c = await replyToCustomer(caseId, { message: 'Your parcel left today.' }, { actor: agent }, deps);
    expect(c).toMatchObject({ status: 'in_progress', firstRespondedAt: expect.any(String) });
    const replied = (await store.getTimeline(caseId)).find((e) => e.type === 'agent_replied');
    expect(replied).toMatchObject({ data: { text: 'Your parcel left today.', outboxId: `agent_reply#${replied?.seq}`, firstResponse: true } });
    expect(await store.getOutbox(caseId, `agent_reply#${replied?.seq}`)).toMatchObject({ kind: 'agent_reply', data: { message: 'Your parcel left today.' } });
  });

  it('can send a reply and wait for the customer in one step, stopping the initial-assistance clock', async () => {
    const { caseId, deps } = await opened();
    const c = await replyToCustomer(caseId, { message: 'Which order is it?', pendingCustomer: true }, { actor: agent }, deps);
    expect(c.status).toBe('pending_customer');
    expect(c.sla.pausedSince).toBeDefined();
  });

  it('keeps an internal note off the outbox: it is never emailed (M7.1)', async () => {
    const { store, caseId, deps } = await opened();
    const before = [...store.outbox.keys()];
    await addNote(caseId, { text: 'Checked the courier: delayed at the depot' }, { actor: agent }, deps);
    expect([...store.outbox.keys()]).toEqual(before);
  });

  it('logs a call with its direction, duration and transcript; the call is the initial assistance (C4.1, M3.1)', async () => {
    const { store, caseId, deps, clock } = await opened();
    clock.advance(HOUR);
    const c = await logCall(caseId, call, { actor: agent }, deps);
    expect(c).toMatchObject({ status: 'in_progress', firstRespondedAt: new Date(T0 + HOUR).toISOString(), acknowledgedAt: expect.any(String) });
    expect((await store.getTimeline(caseId)).find((e) => e.type === 'call_logged')).toMatchObject({
      data: { direction: 'inbound', durationSeconds: 420, transcript: call.transcript, startedAt: new Date(T0 + HOUR - 420_000).toISOString(), firstResponse: true },
    });
  });

  it('refuses a call said to start in the future, naming startedAt', async () => {
    const { caseId, deps } = await opened();
    await expect(logCall(caseId, { ...call, startedAt: new Date(T0 + DAY).toISOString() }, { actor: agent }, deps)).rejects.toMatchObject({ issues: [{ path: 'startedAt' }] });
  });

  it('opens a phone case for the agent who took the call, in one write, with no acknowledgement email (C4.1, M3.1)', async () => {
    const store = new InMemoryCaseStore();
    const clock = movingClock();
    const { case: c, replayed } = await openCaseFromCall(
      { type: 'complaint', customer: { name: 'Pat Caller', phone: '+44 20 7946 0000' }, subject: 'Charged twice', message: 'Two charges for one order', call },
      { actor: agent, requestHash: 'h1', idempotencyKey: 'call-1' },
      { store, clock, staff: staffDirectory(), newCaseId: () => '55555555-5555-4555-8555-555555555555', random: seededRandom(), policy: slaPolicy() },
    );
    expect(replayed).toBe(false);
    expect(c).toMatchObject({ channel: 'phone', type: 'complaint', status: 'in_progress', assignee: { id: 'agent-ana' }, customer: { phone: '+44 20 7946 0000' } });
    expect(c.customer.email).toBeUndefined();
    expect((await store.getTimeline(c.caseId)).map((e) => e.type)).toEqual(['case_received', 'call_logged', 'status_changed']);
    expect([...store.outbox.keys()]).toEqual([]);
    const again = await openCaseFromCall(
      { type: 'complaint', customer: { name: 'Pat Caller', phone: '+44 20 7946 0000' }, subject: 'Charged twice', message: 'Two charges for one order', call },
      { actor: agent, requestHash: 'h1', idempotencyKey: 'call-1' },
      { store, clock, staff: staffDirectory(), newCaseId: () => '66666666-6666-4666-8666-666666666666', random: seededRandom(2), policy: slaPolicy() },
    );
    expect(again).toMatchObject({ replayed: true, case: { caseId: c.caseId } });
  });

  it('refuses an email reply to a caller who gave no address, saying to call them (C4.1)', async () => {
    const store = new InMemoryCaseStore();
    const clock = movingClock();
    const { case: c } = await openCaseFromCall(
      { type: 'inquiry', customer: { name: 'Pat Caller', phone: '+44 20 7946 0000' }, subject: 'Opening hours', message: 'When are you open?', call },
      { actor: agent, requestHash: 'h2' },
      { store, clock, staff: staffDirectory(), newCaseId: () => '77777777-7777-4777-8777-777777777777', random: seededRandom(), policy: slaPolicy() },
    );
    await expect(replyToCustomer(c.caseId, { message: 'We open at nine' }, { actor: agent }, { store, clock })).rejects.toThrow(/gave no email address: call them/);
  });

  it('moves a case to waiting for the customer and back (the clock stops meanwhile)', async () => {
    const { caseId, deps, clock } = await opened();
    await setPendingCustomer(caseId, { reason: 'asked for the order number' }, { actor: agent }, deps);
    await expect(setPendingCustomer(caseId, {}, { actor: agent }, deps)).rejects.toBeInstanceOf(CaseStateError);
    clock.advance(2 * HOUR);
    const c = await clearPendingCustomer(caseId, {}, { actor: agent }, deps);
    expect(c).toMatchObject({ status: 'in_progress', sla: { pausedMs: 2 * HOUR } });
    await expect(clearPendingCustomer(caseId, {}, { actor: agent }, deps)).rejects.toThrow(/not waiting for the customer/);
  });

  it('reclassifies an inquiry as a complaint with the escalation milestone from receipt, under the case’s own policy (M3.2, M8.3)', async () => {
    const { store, caseId, deps, clock } = await opened('inquiry');
    clock.advance(3 * HOUR);
    const c = await reclassifyCase(caseId, { type: 'complaint', reason: 'Customer says they will cancel' }, { actor: agent }, deps);
    expect(c.type).toBe('complaint');
    expect(c.sla.escalationDueAt).toBe(new Date(T0 + 24 * HOUR).toISOString());
    expect((await store.getTimeline(caseId)).at(-1)).toMatchObject({ type: 'type_changed', data: { from: 'inquiry', to: 'complaint', escalationDueAt: c.sla.escalationDueAt }, changes: { type: { before: 'inquiry', after: 'complaint' } } });
  });

  it('lets only a supervisor turn a complaint into an inquiry, which drops its escalation deadline (M3.2)', async () => {
    const { caseId, deps } = await opened('complaint');
    await expect(reclassifyCase(caseId, { type: 'inquiry', reason: 'not really a complaint' }, { actor: agent }, deps)).rejects.toBeInstanceOf(ForbiddenError);
    const c = await reclassifyCase(caseId, { type: 'inquiry', reason: 'a question about delivery times' }, { actor: supervisor }, deps);
    expect(c.type).toBe('inquiry');
    expect(c.sla.escalationDueAt).toBeUndefined();
  });
});

describe('a call’s transcript (C4.1)', () => {
  it('is bounded by what one timeline event can hold, and the route takes a body that large', async () => {
    const { CallSchema } = await import('../../../../functions/core/actions/log-call');
    const { routeOf } = await import('../../../../functions/handlers/routes');
    const longest = { direction: 'inbound', durationSeconds: 60, transcript: '€'.repeat(60_000) };
    expect(CallSchema.safeParse(longest).success).toBe(true);
    expect(CallSchema.safeParse({ ...longest, transcript: 'x'.repeat(60_001) }).success).toBe(false);
    // 4 bytes a character at worst in UTF-8, and within DynamoDB's 400 KB item.
    expect(Buffer.byteLength(JSON.stringify(longest))).toBeLessThan(routeOf('log-case-call').maxBodyBytes ?? 0);
    expect(4 * 60_000).toBeLessThan(400 * 1024);
  });
});
