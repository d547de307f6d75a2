import { createHash } from 'node:crypto';
import { verifyChain } from '../../../functions/core/audit-chain';
import type { Case } from '../../../functions/core/case';
import type { Clock } from '../../../functions/core/clock';
import { ingestEmail, legacyInboundKey, type IngestEmailDeps, type IngestOutcome } from '../../../functions/core/email/ingest-email';
import type { InboundEmail } from '../../../functions/core/email/inbound-email';
import { parseInboundRules } from '../../../functions/core/email/inbound-rules';
import type { BlobBody, BlobMetadata, BlobStore } from '../../../functions/core/ports';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { parseMime } from '../../../functions/adapters/email/parse-mime';
import { ACK_MESSAGE_ID, BOUNCED_RECIPIENT, COMPLAINTS, CUSTOMER, INQUIRY_MESSAGE_ID, REFERENCE, SES_ID, SUPPORT } from '../../fixtures/email/build-fixtures';
import { seededRandom } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';
import { emailLike, parseFixture } from './fixture-email';

class MemoryBlobs implements BlobStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType: string; filename?: string }>();
  async put(key: string, body: BlobBody, { contentType, filename }: BlobMetadata) {
    const chunks: Uint8Array[] = [];
    if (body instanceof Uint8Array) chunks.push(body);
    else for await (const chunk of body.open()) chunks.push(chunk);
    this.objects.set(key, { body: Buffer.concat(chunks), contentType, ...(filename ? { filename } : {}) });
  }
}

class MovableClock implements Clock {
  constructor(private at: Date) {}
  now() {
    return new Date(this.at);
  }
  advance(ms: number) {
    this.at = new Date(this.at.getTime() + ms);
  }
}

const DAY = 24 * 60 * 60 * 1000;
let ids = 0;

function setup() {
  const store = new InMemoryCaseStore();
  const blobs = new MemoryBlobs();
  const clock = new MovableClock(new Date('2026-03-02T09:00:00.000Z'));
  const deps: IngestEmailDeps = {
    cases: store,
    inbound: store,
    blobs,
    clock,
    newCaseId: () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
    random: seededRandom(ids + 7),
    policy: slaPolicy(),
    config: {
      supportAddresses: [SUPPORT],
      ownAddresses: [SUPPORT, COMPLAINTS],
      rules: parseInboundRules({ complaintAddresses: [COMPLAINTS] }),
      reopenWindowDays: 14,
      ackRateLimitPerHour: 3,
    },
  };
  return { store, blobs, clock, deps };
}

type Setup = ReturnType<typeof setup>;

async function ingest(s: Setup, email: InboundEmail, rawObjectKey = `inbound/${Math.random()}`): Promise<IngestOutcome> {
  return ingestEmail({ email, attachments: [], rawObjectKey }, s.deps);
}

async function openFromInquiry(s: Setup): Promise<Case> {
  const out = await ingest(s, await emailLike('plain-inquiry'));
  if (out.outcome !== 'case_opened') throw new Error(`expected a case, got ${out.outcome}`);
  const c = await s.store.getCase(out.caseId);
  if (!c) throw new Error('no case');
  return c;
}

/** Gives the case the fixtures' reference, so that subject and plus-address replies find it. */
async function withFixtureReference(s: Setup, c: Case): Promise<Case> {
  s.store.references.delete(c.reference);
  const renamed = { ...c, reference: REFERENCE };
  s.store.cases.set(c.caseId, renamed);
  s.store.references.add(REFERENCE);
  return renamed;
}

async function setStatus(s: Setup, caseId: string, patch: Partial<Case>) {
  const c = s.store.cases.get(caseId);
  if (!c) throw new Error('no case');
  s.store.cases.set(caseId, { ...c, ...patch });
}

describe('email ingestion: new cases (C4.1, M3.1)', () => {
  it('opens an email case for the sender with the subject and text, and owes an acknowledgement', async () => {
    const s = setup();
    const c = await openFromInquiry(s);
    expect(c).toMatchObject({ channel: 'email', type: 'inquiry', status: 'new', customer: { email: CUSTOMER.address, name: CUSTOMER.name }, subject: 'Question about my order 1234' });
    expect(c.message).toContain('1234');
    expect(await s.store.getOutbox(c.caseId, 'acknowledgement')).toMatchObject({ kind: 'acknowledgement', status: 'pending' });
    const timeline = await s.store.getTimeline(c.caseId);
    expect(timeline[0]).toMatchObject({ type: 'case_received', data: { channel: 'email', email: { messageId: 'inquiry-1@mail.example.net' } } });
    expect(verifyChain(timeline).valid).toBe(true);
  });

  it('opens a complaint for mail to the complaints address (M1.2)', async () => {
    const s = setup();
    const out = await ingest(s, await emailLike('complaint-address'));
    expect(out.outcome).toBe('case_opened');
    const c = out.outcome === 'case_opened' ? await s.store.getCase(out.caseId) : undefined;
    expect(c).toMatchObject({ type: 'complaint', priority: 'high' });
  });

  it('opens a case for an internationalised sender address (RFC 6532) and, since SES cannot send to it, says why no acknowledgement went out', async () => {
    const s = setup();
    const out = await ingest(s, await emailLike('plain-inquiry', { from: { address: 'jdöe@mächine.example', name: 'Jörg Döe' } }));
    if (out.outcome !== 'case_opened') throw new Error(`expected a case, got ${out.outcome}`);
    expect(out.acknowledged).toBe(false);
    expect((await s.store.getCase(out.caseId))?.customer.email).toBe('jdöe@mächine.example');
    expect((await s.store.getTimeline(out.caseId)).find((e) => e.type === 'acknowledgement_suppressed')?.data).toEqual({
      reason: 'the address has non-ASCII characters before the @, which Amazon SES cannot send to',
    });
    // An ASCII address on an internationalised domain is sent to (as Punycode).
    const idn = await ingest(s, await emailLike('plain-inquiry', { messageId: '<idn@example.net>', from: { address: 'jdoe@mächine.example', name: 'J' } }));
    expect(idn).toMatchObject({ outcome: 'case_opened', acknowledged: true });
  });

  it('flags a case as spam when SES says so, and keeps it, but sends no acknowledgement to a sender that may be forged', async () => {
    const s = setup();
    const out = await ingest(s, await emailLike('plain-inquiry', {}, { sesSpamVerdict: 'FAIL' }));
    if (out.outcome !== 'case_opened') throw new Error(out.outcome);
    expect((await s.store.getCase(out.caseId))?.spam).toBe(true);
    expect(out.acknowledged).toBe(false);
    expect((await s.store.getTimeline(out.caseId)).find((e) => e.type === 'acknowledgement_suppressed')?.data).toEqual({ reason: 'SES judged the message spam: its sender may be forged, so no acknowledgement goes to it' });
  });

  it('sends no acknowledgement for mail that failed DMARC at SES, whose From may be a bystander (no backscatter)', async () => {
    const s = setup();
    const failed = await ingest(s, await emailLike('plain-inquiry', {}, { authenticationResults: 'amazonses.com; spf=fail (spfCheck: 203.0.113.9 is not allowed) smtp.mailfrom=example.org; dkim=none; dmarc=fail header.from=example.org;' }));
    expect(failed).toMatchObject({ outcome: 'case_opened', acknowledged: false });
    // A header the sender wrote (not SES's own, which comes first) decides nothing.
    const forgedPass = await ingest(s, await emailLike('plain-inquiry', { messageId: '<other@example.net>', from: { address: 'other@example.org', name: 'O' } }, { authenticationResults: 'mx.example.org; dmarc=fail' }));
    expect(forgedPass).toMatchObject({ outcome: 'case_opened', acknowledged: true });
  });

  it('stores attachments and inline images under the case and lists them with SHA-256 on the event (C4.1)', async () => {
    const s = setup();
    const parsed = await parseFixture('attachments');
    const out = await ingestEmail({ email: parsed.email, attachments: parsed.attachments, rawObjectKey: 'inbound/a' }, s.deps);
    if (out.outcome !== 'case_opened') throw new Error(out.outcome);
    const [received] = await s.store.getTimeline(out.caseId);
    const listed = received?.type === 'case_received' ? (received.data.email?.attachments ?? []) : [];
    expect(listed.map((a) => a.filename)).toEqual(expect.arrayContaining(['broken.png', 'delivery note.pdf']));
    for (const a of listed) {
      const stored = s.blobs.objects.get(a.key);
      expect(a.key).toBe(`cases/${out.caseId}/attachments/${a.sha256}`);
      expect(stored?.filename).toBe(a.filename);
      expect(createHash('sha256').update(stored?.body ?? new Uint8Array()).digest('hex')).toBe(a.sha256);
      expect(stored?.body.byteLength).toBe(a.size);
    }
    expect(listed.find((a) => a.filename === 'broken.png')?.inline).toBe(true);
  });

  it('opens the case without an acknowledgement past 3 per sender per hour, and says why on the timeline', async () => {
    const s = setup();
    const outcomes = [];
    for (let i = 0; i < 4; i += 1) outcomes.push(await ingest(s, await emailLike('plain-inquiry', { messageId: `<n${i}@mail.example.net>` })));
    expect(outcomes.map((o) => o.outcome === 'case_opened' && o.acknowledged)).toEqual([true, true, true, false]);
    const last = outcomes[3];
    if (last?.outcome !== 'case_opened') throw new Error('no case');
    expect(await s.store.getOutbox(last.caseId, 'acknowledgement')).toBeUndefined();
    expect((await s.store.getTimeline(last.caseId)).map((e) => e.type)).toEqual(['case_received', 'acknowledgement_suppressed']);
    s.clock.advance(60 * 60 * 1000);
    const nextHour = await ingest(s, await emailLike('plain-inquiry', { messageId: '<n9@mail.example.net>' }));
    expect(nextHour.outcome === 'case_opened' && nextHour.acknowledged).toBe(true);
  });
});

describe('email ingestion: idempotency: a redelivery never makes a second case or event (M7.1)', () => {
  it('makes one case of the same message delivered twice, under two object keys', async () => {
    const s = setup();
    const email = await emailLike('plain-inquiry');
    const first = await ingest(s, email, 'inbound/1');
    const second = await ingest(s, email, 'inbound/2');
    expect(first.outcome).toBe('case_opened');
    expect(second).toEqual({ outcome: 'duplicate', caseId: first.outcome === 'case_opened' ? first.caseId : '' });
    expect(s.store.cases.size).toBe(1);
  });

  it('makes one case of a message without Message-ID delivered twice (content hash)', async () => {
    const s = setup();
    const email = await emailLike('plain-inquiry', { messageId: undefined });
    await ingest(s, email);
    expect((await ingest(s, email)).outcome).toBe('duplicate');
    expect(s.store.cases.size).toBe(1);
  });

  it('records an out-of-office reply and a bounce delivered twice once each', async () => {
    const s = setup();
    await openFromInquiry(s);
    for (const name of ['vacation-auto-reply', 'dsn-bounce'] as const) {
      const email = await emailLike(name);
      const first = await ingest(s, email, `inbound/${name}/1`);
      expect(first.outcome).not.toBe('duplicate');
      expect(await ingest(s, email, `inbound/${name}/2`)).toMatchObject({ outcome: 'duplicate' });
    }
    expect(s.store.inbound.size).toBe(3);
  });

  it('makes one case of a message stored twice with other trace headers, or sent again with a fresh Date (a redelivery)', async () => {
    const s = setup();
    const email = await emailLike('plain-inquiry');
    const again = { ...email, rawSha256: 'f'.repeat(64), rawSize: email.rawSize + 120, date: '2026-03-02T09:05:00.000Z' };
    expect((await ingest(s, email)).outcome).toBe('case_opened');
    expect((await ingest(s, again)).outcome).toBe('duplicate');
    expect(s.store.cases.size).toBe(1);
  });

  it('opens a case for a different message that reuses a Message-ID, notes the reuse, and keeps the id threading to the first (M7.1)', async () => {
    const s = setup();
    const first = await openFromInquiry(s);
    const original = await emailLike('plain-inquiry');
    const other = { ...original, subject: 'A different question entirely', text: 'Do you ship to Norway?', bodySha256: 'e'.repeat(64), contentSha256: 'e'.repeat(64) };
    const out = await ingest(s, other);
    if (out.outcome !== 'case_opened') throw new Error(`a different message was dropped: ${out.outcome}`);
    expect(out.caseId).not.toBe(first.caseId);
    const [received] = await s.store.getTimeline(out.caseId);
    expect(received?.type === 'case_received' ? received.data.email?.problems : undefined).toEqual(['Message-ID used before by a different message: processed as a message of its own']);
    expect((await s.store.getCase(out.caseId))?.mailProblems).toBe(true);
    // A reply to that Message-ID still belongs to the first case.
    const reply = await emailLike('plain-inquiry', { messageId: '<reply-to-reused@example.net>', inReplyTo: original.messageId, subject: 'Re: question', bodySha256: 'd'.repeat(64), contentSha256: 'd'.repeat(64) });
    expect(await ingest(s, reply)).toMatchObject({ outcome: 'reply', caseId: first.caseId });
  });

  it('treats a message recorded before content was part of the key (by Message-ID alone) as a redelivery: no second case after an upgrade', async () => {
    const s = setup();
    const email = await emailLike('plain-inquiry');
    await s.store.recordInbound({ key: legacyInboundKey(email), rawObjectKey: 'inbound/before-upgrade', receivedAt: '2026-01-01T00:00:00.000Z', kind: 'new_message', reason: 'test', outcome: 'case_opened', caseId: '00000000-0000-4000-8000-00000000aaaa' });
    expect(await ingest(s, email, 'inbound/before-upgrade')).toEqual({ outcome: 'duplicate', caseId: '00000000-0000-4000-8000-00000000aaaa' });
    expect(s.store.cases.size).toBe(0);
  });

  it('keys a message by its headers as received, so a change in how they are decoded makes no second case', async () => {
    const s = setup();
    const email = await emailLike('plain-inquiry');
    expect((await ingest(s, email)).outcome).toBe('case_opened');
    expect((await ingest(s, { ...email, subject: `${email.subject} (decoded better)`, from: { address: email.from?.address ?? '', name: 'Better Name' } })).outcome).toBe('duplicate');
  });

  it('adds one event for a reply delivered twice', async () => {
    const s = setup();
    const c = await withFixtureReference(s, await openFromInquiry(s));
    const reply = await emailLike('subject-reference');
    expect((await ingest(s, reply)).outcome).toBe('reply');
    expect((await ingest(s, reply)).outcome).toBe('duplicate');
    expect((await s.store.getTimeline(c.caseId)).filter((e) => e.type === 'customer_replied')).toHaveLength(1);
  });
});

describe('email ingestion: threading (C4.1, M7.1)', () => {
  it('adds a reply by the case reference in the subject as a customer_replied event with the body', async () => {
    const s = setup();
    const c = await withFixtureReference(s, await openFromInquiry(s));
    const out = await ingest(s, await emailLike('subject-reference'));
    expect(out).toEqual({ outcome: 'reply', caseId: c.caseId, reopened: false });
    const reply = (await s.store.getTimeline(c.caseId)).find((e) => e.type === 'customer_replied');
    expect(reply).toMatchObject({ actor: { kind: 'customer' }, data: { matchedBy: 'case reference in the subject', messageId: 'reply-2@mail.example.net' } });
    expect(reply?.type === 'customer_replied' && reply.data.text).toBeTruthy();
  });

  it('keeps at most 30,000 characters of a reply body on the event and says it was cut (the raw message keeps all)', async () => {
    const s = setup();
    const c = await withFixtureReference(s, await openFromInquiry(s));
    await ingest(s, await emailLike('subject-reference', { text: '苦'.repeat(50_000) }));
    const reply = (await s.store.getTimeline(c.caseId)).find((e) => e.type === 'customer_replied');
    expect(reply?.type === 'customer_replied' && reply.data.text?.length).toBe(30_000);
    expect(reply?.type === 'customer_replied' && reply.data.textCut).toBe(true);
  });

  it('adds a reply by In-Reply-To the SES id of mail caseflow sent', async () => {
    const s = setup();
    const c = await openFromInquiry(s);
    s.store.messageIds.set(SES_ID, c.caseId);
    const out = await ingest(s, await emailLike('reply-ses-in-reply-to'));
    expect(out).toMatchObject({ outcome: 'reply', caseId: c.caseId });
    expect(ACK_MESSAGE_ID).toContain(SES_ID);
  });

  it('adds a reply-all with a CC from someone else to the same case, by the Message-ID caseflow received', async () => {
    const s = setup();
    const c = await openFromInquiry(s);
    expect(s.store.messageIds.get(INQUIRY_MESSAGE_ID.slice(1, -1))).toBe(c.caseId);
    expect(await ingest(s, await emailLike('reply-all-cc'))).toMatchObject({ outcome: 'reply', caseId: c.caseId });
    expect(s.store.cases.size).toBe(1);
  });

  it('adds a reply by the reference in a plus-address', async () => {
    const s = setup();
    const c = await withFixtureReference(s, await openFromInquiry(s));
    expect(await ingest(s, await emailLike('plus-address'))).toMatchObject({ outcome: 'reply', caseId: c.caseId });
  });

  it('moves a case waiting for the customer back to in progress and resumes the SLA clock (M3.1)', async () => {
    const s = setup();
    const c = await withFixtureReference(s, await openFromInquiry(s));
    await setStatus(s, c.caseId, { status: 'pending_customer', sla: { ...c.sla, pausedSince: '2026-03-02T09:30:00.000Z' } });
    s.clock.advance(DAY);
    await ingest(s, await emailLike('subject-reference'));
    const after = await s.store.getCase(c.caseId);
    expect(after?.status).toBe('in_progress');
    expect(after?.sla.pausedSince).toBeUndefined();
    expect(after?.sla.pausedMs).toBe(DAY - 30 * 60 * 1000);
  });

  it('reopens a resolved case within 14 days of resolution', async () => {
    const s = setup();
    const c = await withFixtureReference(s, await openFromInquiry(s));
    await setStatus(s, c.caseId, { status: 'resolved', resolvedAt: '2026-03-02T09:00:00.000Z' });
    s.clock.advance(14 * DAY - 1000);
    expect(await ingest(s, await emailLike('subject-reference'))).toEqual({ outcome: 'reply', caseId: c.caseId, reopened: true });
    expect((await s.store.getCase(c.caseId))?.status).toBe('in_progress');
  });

  it('opens a follow-up case when the resolved case it threads to closes while the reply is being ingested (M7.2)', async () => {
    const s = setup();
    const c = await withFixtureReference(s, await openFromInquiry(s));
    await setStatus(s, c.caseId, { status: 'resolved', resolvedAt: '2026-03-02T09:00:00.000Z' });
    s.clock.advance(7 * DAY);
    // The thread look-up sees the case resolved; the automatic closure commits just after it.
    const read = s.store.getCase.bind(s.store);
    let first = true;
    jest.spyOn(s.store, 'getCase').mockImplementation(async (id) => {
      const found = await read(id);
      if (first && id === c.caseId) {
        first = false;
        await setStatus(s, c.caseId, { status: 'closed', closedAt: '2026-03-09T09:00:00.000Z' });
      }
      return found;
    });
    const out = await ingest(s, await emailLike('subject-reference'));
    expect(out).toMatchObject({ outcome: 'case_opened', relatedCaseId: c.caseId });
    expect((await read(c.caseId))?.status).toBe('closed');
    expect((await s.store.getTimeline(c.caseId)).map((e) => e.type)).not.toContain('customer_replied');
  });

  it('opens a new case linked to a resolved one after 14 days, and to a closed one', async () => {
    for (const patch of [{ status: 'resolved' as const, resolvedAt: '2026-03-02T09:00:00.000Z' }, { status: 'closed' as const, closedAt: '2026-03-02T09:00:00.000Z' }]) {
      const s = setup();
      const c = await withFixtureReference(s, await openFromInquiry(s));
      await setStatus(s, c.caseId, patch);
      s.clock.advance(14 * DAY + 1000);
      const out = await ingest(s, await emailLike('subject-reference'));
      expect(out).toMatchObject({ outcome: 'case_opened', relatedCaseId: c.caseId });
      const followUp = out.outcome === 'case_opened' ? await s.store.getCase(out.caseId) : undefined;
      expect(followUp?.relatedCaseId).toBe(c.caseId);
      expect((await s.store.getCase(c.caseId))?.status).toBe(patch.status);
    }
  });
});

describe('email ingestion: loops and noise are recorded, never answered (M3.1, M7.1)', () => {
  it.each(['vacation-auto-reply', 'outlook-auto-reply', 'read-receipt', 'arf-report', 'own-address', 'list-mail'] as const)(
    'records %s without opening a case or owing an acknowledgement',
    async (name) => {
      const s = setup();
      const out = await ingest(s, await emailLike(name));
      expect(out.outcome).toBe('recorded');
      expect(s.store.cases.size).toBe(0);
      expect(s.store.outbox.size).toBe(0);
      expect([...s.store.inbound.values()][0]).toMatchObject({ outcome: 'recorded' });
    },
  );

  it('records a bounce of mail caseflow sent on its case and flags the contact', async () => {
    const s = setup();
    const c = await openFromInquiry(s);
    s.store.messageIds.set(SES_ID, c.caseId);
    // The fixture's bounce names nobody@example.net: make it the customer's address.
    s.store.cases.set(c.caseId, { ...c, customer: { ...c.customer, email: 'nobody@example.net' } });
    const out = await ingest(s, await emailLike('dsn-bounce'));
    expect(out).toEqual({ outcome: 'bounce_recorded', caseId: c.caseId });
    const after = await s.store.getCase(c.caseId);
    expect(after?.customer.emailBouncing).toBe(true);
    expect(after?.status).toBe('new');
    expect((await s.store.getTimeline(c.caseId)).at(-1)).toMatchObject({ type: 'delivery_failed', data: { status: '5.1.1' } });
    expect(s.store.outbox.size).toBe(1);
  });

  it('records an SNS bounce notification on the case whose mail bounced, without opening a case or acknowledging it (M7.1, M3.1)', async () => {
    const s = setup();
    const c = await openFromInquiry(s);
    s.store.messageIds.set(SES_ID, c.caseId);
    s.store.cases.set(c.caseId, { ...c, customer: { ...c.customer, email: BOUNCED_RECIPIENT } });
    const out = await ingest(s, (await parseFixture('sns-ses-bounce')).email);
    expect(out).toEqual({ outcome: 'bounce_recorded', caseId: c.caseId });
    expect(s.store.cases.size).toBe(1);
    expect(s.store.outbox.size).toBe(1); // the inquiry's acknowledgement only
    expect((await s.store.getCase(c.caseId))?.customer.emailBouncing).toBe(true);
    expect((await s.store.getTimeline(c.caseId)).at(-1)).toMatchObject({ type: 'delivery_failed', data: { originalMessageId: SES_ID, status: '5.1.1' } });
  });

  it('records a bounce from a daemon without a domain instead of quarantining it for want of a sender (M7.1)', async () => {
    const s = setup();
    const raw = Buffer.from('From: MAILER-DAEMON <>\r\nTo: support@example.com\r\nSubject: Mail delivery failed\r\n\r\nA message that you sent could not be delivered.\r\n');
    const out = await ingest(s, (await parseMime(raw)).email, 'inbound/daemon');
    expect(out).toEqual({ outcome: 'recorded', kind: 'bounce' });
    expect(s.store.quarantined.size).toBe(0);
    expect(s.store.cases.size).toBe(0);
  });

  it('records a bounce of unknown mail only', async () => {
    const s = setup();
    expect(await ingest(s, await emailLike('dsn-bounce'))).toEqual({ outcome: 'recorded', kind: 'bounce' });
    expect(s.store.cases.size).toBe(0);
  });
});

describe('email ingestion: quarantine: what cannot be processed is kept with its raw object key (M7.1)', () => {
  it('quarantines mail SES found a virus in, with the raw object key, and never processes it', async () => {
    const s = setup();
    const out = await ingest(s, await emailLike('plain-inquiry', {}, { sesVirusVerdict: 'FAIL' }), 'inbound/virus');
    expect(out.outcome).toBe('quarantined');
    expect(s.store.cases.size).toBe(0);
    expect(s.store.quarantined.get('inbound/virus')).toMatchObject({ reason: 'SES virus verdict FAIL' });
  });

  it('quarantines a customer message without a usable sender address', async () => {
    const s = setup();
    const out = await ingest(s, await emailLike('plain-inquiry', { from: undefined }), 'inbound/nofrom');
    expect(out).toEqual({ outcome: 'quarantined', reason: 'no valid sender address' });
    expect((await s.store.listQuarantine(10)).items.map((q) => q.rawObjectKey)).toEqual(['inbound/nofrom']);
  });
});
