/**
 * Cases for the export benchmark: many cases, each with a full timeline, spread over days, made
 * fast but as the product makes them. A few templates live through the real use cases
 * (openCaseFromSubmission, deliverOutbox, claimCase, addNote, replyToCustomer, escalateCase,
 * acceptEscalation, recordEscalationAction, resolveCase, closeCase) against the in-memory case
 * store; each case of the run is then a template under its own case id and reference, its times
 * moved so that its last change falls where the run puts it, its events chained again with fresh
 * salts (so every hash verifies), and its items built by the real item builders (`caseItem`,
 * `eventItem`, `outboxItem`, `escalationItem`), so the by-day index keys are the case store's.
 */
import { createHash, randomUUID } from 'node:crypto';
import { escalationItem, outboxItem } from '../../functions/adapters/dynamo/items';
import { caseItem, eventItem } from '../../functions/adapters/dynamo/keys';
import { cryptoRandom } from '../../functions/adapters/ids';
import { addNote } from '../../functions/core/actions/add-note';
import { claimCase } from '../../functions/core/actions/assignment';
import { closeCase } from '../../functions/core/actions/close';
import { acceptEscalation, escalateCase, recordEscalationAction } from '../../functions/core/actions/escalation-handling';
import { replyToCustomer } from '../../functions/core/actions/reply';
import { resolveCase } from '../../functions/core/actions/resolve';
import { GENESIS_HASH, hashEvent, randomSalt } from '../../functions/core/audit-chain';
import type { Actor, Case } from '../../functions/core/case';
import type { CaseEvent } from '../../functions/core/case-event';
import type { Clock } from '../../functions/core/clock';
import { deliverOutbox } from '../../functions/core/deliver-outbox';
import type { EscalationRecord } from '../../functions/core/escalation';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import type { OutboxMessage } from '../../functions/core/outbox';
import type { Mailer } from '../../functions/core/ports';
import { slaPolicy } from '../../functions/core/sla-policy';
import type { StaffDirectory, StaffMember } from '../../functions/core/staff';
import { InMemoryCaseStore } from '../../test/support/in-memory-case-store';
import { benchSubmission } from './closed-cases';

type Item = Record<string, unknown>;

const MIN = 60_000;
const HOUR = 60 * MIN;
const agent: Actor = { kind: 'agent', id: 'agent-ana' };
const supervisor: Actor = { kind: 'supervisor', id: 'sup-sam' };
const contacts = { teamInbox: 'team@caseflow.local', supervisor: 'supervisor@caseflow.local', manager: 'manager@caseflow.local' };
const ROSTER: StaffMember[] = [
  { id: 'agent-ana', name: 'Ana Agent', email: 'ana@caseflow.local', roles: ['agents'] },
  { id: 'sup-sam', name: 'Sam Supervisor', email: 'sam@caseflow.local', roles: ['supervisors'] },
];
const staff: StaffDirectory = { find: async (id) => ROSTER.find((m) => m.id === id), list: async (role) => ROSTER.filter((m) => m.roles.includes(role)) };

const NOTE = 'Called the courier: the parcel was held at the depot after a missed scan and goes out on the next round. Customer told by phone.';
const REPLY =
  'Thank you for your patience. The courier confirmed that your parcel was held at the depot after a missed scan; it goes out on the next ' +
  'round and should reach you within two working days. If it has not arrived by Friday, reply to this message and we will refund you at once.';
const CHECKLIST = {
  complaintHeard: true,
  empathyShown: true,
  solutionOffered: 'A refund of the second charge',
  correctiveAction: 'Payment retries now check for an earlier capture',
  followUp: { date: '2026-12-07', plan: 'Call to confirm the refund arrived' },
};

/** The kinds of case a day's export holds, with their share of the cases. */
export const TEMPLATE_KINDS = [
  { kind: 'inquiry, answered and closed', share: 0.45 },
  { kind: 'inquiry, answered, waiting for the customer', share: 0.25 },
  { kind: 'complaint, escalated, resolved and closed', share: 0.2 },
  { kind: 'complaint, escalated, still open', share: 0.1 },
] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number]['kind'];

/** A case as the use cases left it: its domain objects, as JSON to be rewritten per copy. */
export interface CaseTemplate {
  kind: TemplateKind;
  caseId: string;
  reference: string;
  updatedMs: number;
  json: string;
  events: number;
  escalations: number;
  outbox: number;
}

interface CaseObjects {
  case: Case;
  events: CaseEvent[];
  escalations: EscalationRecord[];
  outbox: OutboxMessage[];
}

function movingClock(startMs: number): Clock & { at(ms: number): void } {
  let now = startMs;
  return { now: () => new Date(now), at: (ms) => void (now = ms) };
}

const mailer = (seed: string): Mailer => {
  let n = 0;
  return { send: async () => ({ messageId: `${createHash('sha256').update(`${seed}:${(n += 1)}`).digest('hex').slice(0, 16)}-bench-000000` }) };
};

/** Template `i` of a kind: the case lived through the use cases from `t0`. */
async function makeTemplate(kind: TemplateKind, i: number, t0: number): Promise<CaseTemplate> {
  const store = new InMemoryCaseStore();
  const clock = movingClock(t0);
  const complaint = kind.startsWith('complaint');
  const deps = { store, clock, contacts, staff };
  const send = mailer(`export-template:${i}`);
  const { case: opened } = await openCaseFromSubmission(
    { submission: benchSubmission(2_000_000 + i, complaint), channel: 'web', idempotencyKey: `export-template-${i}` },
    { store, clock, newCaseId: () => randomUUID(), random: cryptoRandom, policy: slaPolicy() },
  );
  const caseId = opened.caseId;
  let t = t0;
  const step = async (ms: number, action: () => Promise<unknown>) => {
    clock.at((t += ms));
    await action();
  };
  const deliverAll = async () => {
    for (const m of await store.getOutboxHistory(caseId)) if (m.status === 'pending') await deliverOutbox(caseId, m.id, { store, clock, mailer: send, replyAddress: 'support@caseflow.local' });
  };
  await step(MIN, deliverAll);
  await step(20 * MIN, () => claimCase(caseId, {}, { actor: agent }, deps));
  await step(HOUR, () => addNote(caseId, { text: NOTE }, { actor: agent }, deps));
  if (complaint) {
    await step(HOUR, () => escalateCase(caseId, { reason: 'Second complaint about double charges: needs a refund approval' }, { actor: agent }, deps));
    await step(MIN, deliverAll);
    await step(30 * MIN, () => acceptEscalation(caseId, { note: 'Looking into the double charge with payments' }, { actor: supervisor }, deps));
    await step(2 * HOUR, () => recordEscalationAction(caseId, { action: 'Payments confirmed the duplicate capture; refund approved' }, { actor: supervisor }, deps));
  }
  if (kind === 'complaint, escalated, still open') {
    await step(HOUR, () => addNote(caseId, { text: 'Waiting for the payment provider to confirm the refund reference.' }, { actor: supervisor }, deps));
  } else {
    const waiting = kind === 'inquiry, answered, waiting for the customer';
    await step(HOUR, () => replyToCustomer(caseId, { message: REPLY, ...(waiting ? { pendingCustomer: true } : {}) }, { actor: complaint ? supervisor : agent }, deps));
    await step(MIN, deliverAll);
    if (!waiting) {
      await step(20 * HOUR, () =>
        resolveCase(caseId, complaint ? { summary: 'Refunded the second charge and apologised', checklist: CHECKLIST } : { summary: 'Parcel redelivered; customer confirmed receipt' }, { actor: complaint ? supervisor : agent }, deps),
      );
      await step(HOUR, () => closeCase(caseId, {}, { actor: agent }, deps));
    }
  }
  const c = await store.getCase(caseId);
  if (!c) throw new Error('the template case vanished');
  const objects: CaseObjects = { case: c, events: await store.getTimeline(caseId), escalations: await store.getEscalations(caseId), outbox: await store.getOutboxHistory(caseId) };
  return { kind, caseId, reference: c.reference, updatedMs: Date.parse(c.updatedAt), json: JSON.stringify(objects), events: objects.events.length, escalations: objects.escalations.length, outbox: objects.outbox.length };
}

/** `perKind` templates of each kind (their cases opened at different times of day, so the copies' times vary). */
export async function makeTemplates(perKind: number, startMs: number): Promise<CaseTemplate[]> {
  const out: CaseTemplate[] = [];
  let i = 0;
  for (const { kind } of TEMPLATE_KINDS) for (let k = 0; k < perKind; k += 1) out.push(await makeTemplate(kind, i, startMs + (i++ * 97 * MIN) % (24 * HOUR)));
  return out;
}

/** The template of case `n`: the kinds in their shares, spread evenly over the cases. */
export function templateOf(templates: readonly CaseTemplate[], perKind: number, n: number): CaseTemplate {
  // A fixed permutation of 100 slots, filled by share: the mix is the same in every 100 cases.
  const slot = (n * 37) % 100;
  let from = 0;
  for (const [k, { share }] of TEMPLATE_KINDS.entries()) {
    from += Math.round(share * 100);
    if (slot < from) return templates[k * perKind + ((n / 100) | 0) % perKind] as CaseTemplate;
  }
  return templates[0] as CaseTemplate;
}

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

/**
 * A copy of a template as case `caseId` / `reference`, every time moved by the same amount so that
 * its last change is at `updatedMs`; its events chained again with fresh salts. Returns its items.
 */
export function copyCase(t: CaseTemplate, caseId: string, reference: string, updatedMs: number): { items: Item[]; case: Case; events: CaseEvent[]; escalations: EscalationRecord[] } {
  const shift = updatedMs - t.updatedMs;
  const json = t.json
    .replaceAll(t.caseId, caseId)
    .replaceAll(t.reference, reference)
    .replace(ISO_TIME, (iso) => new Date(Date.parse(iso) + shift).toISOString());
  const o = JSON.parse(json) as CaseObjects;
  let prevHash = GENESIS_HASH;
  const events = o.events.map((e) => {
    const { hash: _hash, ...rest } = e;
    const unsealed = { ...rest, prevHash, salt: randomSalt() } as Omit<CaseEvent, 'hash'>;
    const sealed = { ...unsealed, hash: hashEvent(unsealed) } as CaseEvent;
    prevHash = sealed.hash;
    return sealed;
  });
  const c: Case = { ...o.case, lastEventHash: prevHash };
  return {
    items: [caseItem(c), ...events.map(eventItem), ...o.escalations.map(escalationItem), ...o.outbox.map(outboxItem)],
    case: c,
    events,
    escalations: o.escalations,
  };
}
