import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { chainEvents, GENESIS_HASH, hashEvent, redactEvent, UnredactableEventError, verifyChain } from '../../../functions/core/audit-chain';
import type { CaseEvent, EventDraft } from '../../../functions/core/case-event';
import { ERASED } from '../../../functions/core/personal-data';

const caseId = '6f1c2a8e-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
const at = '2026-03-02T09:00:00.000Z';
const sla = { policyVersion: '2026-01', acknowledgementDueAt: at, initialResponseDueAt: at };
const drafts: EventDraft[] = [
  {
    type: 'case_received',
    at,
    actor: { kind: 'customer' },
    data: {
      channel: 'email',
      caseType: 'complaint',
      sla,
      email: { messageId: '<a1@mail.example>', rawObjectKey: 'raw/1', subject: 'Rosa Diaz: charged twice', text: 'Card ending 4242', attachments: [{ filename: 'rosa-statement.pdf', contentType: 'application/pdf', size: 10, sha256: 'ab'.repeat(32), inline: false, key: 'cases/x/attachments/ab' }] },
      typeReason: 'matched "charged twice" in the subject',
    },
  },
  { type: 'note_added', at, actor: { kind: 'agent', id: 'ana' }, data: { text: 'Rosa called from 0612345678' } },
  { type: 'call_logged', at, actor: { kind: 'agent', id: 'ana' }, data: { direction: 'inbound', startedAt: at, durationSeconds: 60, transcript: 'Rosa: my card 4242', firstResponse: true } },
  { type: 'customer_updated', at, actor: { kind: 'agent', id: 'ana' }, changes: { customer: { before: { name: 'Rosa', email: 'rosa@example.com' }, after: { name: 'Rosa Diaz', email: 'rosa@example.com' } } }, data: { fields: ['name'], reason: 'Rosa gave her full name' } },
  { type: 'escalated', at, actor: { kind: 'agent', id: 'ana' }, data: { escalationId: 'ESC-01', level: 1, trigger: 'manual', escalatedFrom: 'ana', responsibleParty: 'sam', reason: 'Rosa wants a refund', respondBy: at } },
  {
    type: 'checklist_updated',
    at,
    actor: { kind: 'agent', id: 'ana' },
    changes: { complaintChecklist: { after: { complaintHeard: true, solutionOffered: 'Refund to Rosa', followUp: { date: '2026-03-09', plan: 'Call Rosa on 0612345678' } } } },
    data: { checklist: { complaintHeard: true, solutionOffered: 'Refund to Rosa', correctiveAction: 'Rosa’s bank flagged', followUp: { date: '2026-03-09', plan: 'Call Rosa on 0612345678' } } },
  },
  { type: 'status_changed', at, actor: { kind: 'agent', id: 'ana' }, data: { from: 'in_progress', to: 'resolved', resolution: { summary: 'Refunded Rosa' } } },
] as EventDraft[];

const personal = ['Rosa', '4242', '0612345678', 'rosa@example.com', 'a1@mail.example', 'rosa-statement'];

function chain(): CaseEvent[] {
  return chainEvents({ caseId, version: 0, lastEventHash: GENESIS_HASH }, drafts).events;
}

describe('erasing an event’s personal data keeps the audit chain verifiable (M5.1, C6.1, M7.3)', () => {
  it('removes every personal value and keeps the chain valid, with a marker naming the request', () => {
    const erased = chain().map((e) => redactEvent(e, 'req-1', at));
    expect(verifyChain(erased)).toEqual({ valid: true, length: drafts.length });
    const text = JSON.stringify(erased);
    for (const value of personal) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
    expect(erased.every((e) => e.redaction?.requestId === 'req-1' && e.salt === undefined)).toBe(true);
  });

  it('erases what staff wrote in a complaint’s checklist and keeps its ticks and the follow-up’s date (M9.2)', () => {
    const erased = chain().map((e) => redactEvent(e, 'req-1', at));
    const checklist = erased.find((e) => e.type === 'checklist_updated');
    expect(checklist?.data).toEqual({ checklist: { complaintHeard: true, solutionOffered: ERASED, correctiveAction: ERASED, followUp: { date: '2026-03-09', plan: ERASED } } });
    expect(JSON.stringify(checklist)).not.toContain('Rosa');
  });

  it('keeps the non-personal record: types, dates, channel, who handled it, the escalation’s level, party and deadline', () => {
    const [received, , call, , escalated, , resolved] = chain().map((e) => redactEvent(e, 'req-1', at));
    expect(received).toMatchObject({ type: 'case_received', at, data: { channel: 'email', caseType: 'complaint', sla, email: { subject: ERASED, attachments: [], rawObjectKey: 'raw/1' } } });
    expect(call).toMatchObject({ data: { direction: 'inbound', durationSeconds: 60, transcript: ERASED } });
    expect(escalated).toMatchObject({ data: { level: 1, trigger: 'manual', responsibleParty: 'sam', respondBy: at, reason: ERASED } });
    expect(resolved).toMatchObject({ data: { from: 'in_progress', to: 'resolved', resolution: { summary: ERASED } } });
  });

  it('erases part of a chain, and an event erased twice is unchanged', () => {
    const events = chain();
    const some = events.map((e, i) => (i % 2 === 0 ? redactEvent(e, 'req-1', at) : e));
    expect(verifyChain(some)).toEqual({ valid: true, length: drafts.length });
    expect(redactEvent(some[0]!, 'req-2', at)).toBe(some[0]);
  });

  it('still detects a changed public field of an erased event', () => {
    const erased = chain().map((e) => redactEvent(e, 'req-1', at));
    const escalated = erased[4] as Extract<CaseEvent, { type: 'escalated' }>;
    escalated.data.responsibleParty = 'someone-else';
    expect(verifyChain(erased)).toMatchObject({ valid: false, brokenAtSeq: 5, reason: 'event content changed' });
  });

  it('refuses text written where an erased event’s personal data was', () => {
    const erased = chain().map((e) => redactEvent(e, 'req-1', at));
    const note = erased[1] as Extract<CaseEvent, { type: 'note_added' }>;
    note.data.text = 'Rosa Diaz lives at 1 Main Street';
    expect(verifyChain(erased)).toMatchObject({ valid: false, brokenAtSeq: 2, reason: 'an erased event carries content where its personal data was' });
  });

  it('still detects edited personal data before any erasure', () => {
    const events = chain();
    (events[1] as Extract<CaseEvent, { type: 'note_added' }>).data.text = 'nothing';
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 2 });
  });

  it('keeps no digest a guess could be tested against: without the salt, the right value gives another digest', () => {
    const note = chain()[1]!;
    const erased = redactEvent(note, 'req-1', at);
    const unsalted = createHash('sha256').update(canonicalize({ 'data.text': 'Rosa called from 0612345678' })).digest('hex');
    expect(erased.redaction?.personalDigest).not.toBe(unsalted);
  });

  it('hashes events written before salts existed as before, and refuses to erase them in place', () => {
    const { salt: _salt, hash: _hash, ...unsealed } = chain()[0]!;
    const legacy = { ...unsealed, hash: createHash('sha256').update(unsealed.prevHash).update('\n').update(canonicalize(unsealed)).digest('hex') } as CaseEvent;
    expect(hashEvent(unsealed)).toBe(legacy.hash);
    expect(verifyChain([legacy])).toEqual({ valid: true, length: 1 });
    expect(() => redactEvent(legacy, 'req-1', at)).toThrow(UnredactableEventError);
  });
});
