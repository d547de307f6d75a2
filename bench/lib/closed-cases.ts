/**
 * Closed cases for the archive benchmark, made fast but exactly as the product makes them: each
 * case lives through the real core use cases (openCaseFromSubmission, deliverOutbox, addNote,
 * escalateCase, resolveCase, closeCase) against the in-memory case store, and every write is
 * also handed to the real DynamoCaseRepository, whose transactions are captured instead of sent.
 * The items that repository would have written (the last Put of each key, as DynamoDB keeps it)
 * are then loaded with BatchWriteItem: the table holds what a year of real closures would have
 * left, without the four conditional transactions a case that DynamoDB Local commits slowly.
 */
import { createHash } from 'node:crypto';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseRepository } from '../../functions/adapters/dynamo/case-repository';
import { cryptoRandom } from '../../functions/adapters/ids';
import { addNote } from '../../functions/core/actions/add-note';
import { closeCase } from '../../functions/core/actions/close';
import { escalateCase } from '../../functions/core/actions/escalation-handling';
import { resolveCase } from '../../functions/core/actions/resolve';
import type { Actor } from '../../functions/core/case';
import type { Clock } from '../../functions/core/clock';
import { deliverOutbox } from '../../functions/core/deliver-outbox';
import { ReferenceTakenError } from '../../functions/core/errors';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import type { CaseChange, CreateCaseResult, Mailer, NewCaseRecord } from '../../functions/core/ports';
import { slaPolicy } from '../../functions/core/sla-policy';
import type { CaseSubmission } from '../../functions/core/submission';
import { InMemoryCaseStore } from '../../test/support/in-memory-case-store';

type Item = Record<string, unknown>;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const agent: Actor = { kind: 'agent', id: 'agent-ana' };
const supervisor: Actor = { kind: 'supervisor', id: 'sup-sam' };
const contacts = { teamInbox: 'team@caseflow.local', supervisor: 'supervisor@caseflow.local', manager: 'manager@caseflow.local' };

/** The id of case `i` of a run: a v4-shaped UUID from a digest, so a child process finds case `i` without a list. */
export function benchCaseId(runSeed: string, i: number): string {
  const h = createHash('sha256').update(`${runSeed}:${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16] ?? '0', 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A DynamoDB document client that keeps the Puts of every TransactWriteItems it is given and sends nothing. */
function capturingClient(items: Map<string, Item>): DynamoDBDocumentClient {
  const client = {
    async send(command: unknown) {
      if (!(command instanceof TransactWriteCommand)) throw new Error(`the capturing client only takes transactions, not ${String((command as object).constructor.name)}`);
      for (const t of command.input.TransactItems ?? []) {
        const put = t.Put;
        if (!put?.Item) throw new Error('the case store wrote something other than a Put');
        items.set(`${String(put.Item.PK)}\n${String(put.Item.SK)}`, put.Item);
      }
      return {};
    },
  };
  return client as unknown as DynamoDBDocumentClient;
}

/**
 * The in-memory store (its conditions and conflicts are the DynamoDB adapter's), with each accepted
 * write also built by the real repository into `items`.
 */
class CapturingCaseStore extends InMemoryCaseStore {
  readonly items = new Map<string, Item>();
  private readonly repository = new DynamoCaseRepository(capturingClient(this.items), 'captured');

  /** `runReferences`: those of the run's other cases, each in a store of its own (a reference is unique in the table). */
  constructor(private readonly runReferences: Set<string>) {
    super();
  }

  override async createCase(record: NewCaseRecord): Promise<CreateCaseResult> {
    if (this.runReferences.has(record.case.reference)) throw new ReferenceTakenError(record.case.reference);
    const result = await super.createCase(record);
    if (result.created) {
      this.runReferences.add(record.case.reference);
      await this.repository.createCase(record);
    }
    return result;
  }

  override async applyChange(change: CaseChange): Promise<void> {
    await super.applyChange(change);
    await this.repository.applyChange(change);
  }
}

function movingClock(startMs: number): Clock & { at(ms: number): void } {
  let now = startMs;
  return { now: () => new Date(now), at: (ms) => void (now = ms) };
}

/** SES's answer to a send: a message id of SES's shape; nothing is sent. */
const mailer = (seed: string): Mailer => {
  let n = 0;
  return { send: async () => ({ messageId: `${createHash('sha256').update(`${seed}:${(n += 1)}`).digest('hex').slice(0, 16)}-bench-000000` }) };
};

const MESSAGE =
  'Hello, I ordered a pair of walking boots (order %ORDER%) two weeks ago and the tracking page has not changed since it was dispatched. ' +
  'Could you tell me where the parcel is and when I can expect it? I need them for a trip at the end of the month, so if they cannot ' +
  'arrive in time I would rather cancel the order and have a refund. Thank you for your help.';
const COMPLAINT =
  'I was charged twice for order %ORDER% and nobody has answered my two emails about it. I expect the second charge to be refunded ' +
  'at once and an explanation of how this happened. This is the third problem with an order this year and I am very disappointed.';
const NOTE = 'Called the courier: the parcel was held at the depot after a missed scan and goes out on the next round. Customer told by phone.';
const COMPLETE_CHECKLIST = {
  complaintHeard: true,
  empathyShown: true,
  solutionOffered: 'A refund of the second charge',
  correctiveAction: 'Payment retries now check for an earlier capture',
  followUp: { date: '2026-12-07', plan: 'Call to confirm the refund arrived' },
};

/** A web-form submission of a few hundred characters, customer `i`'s own. */
export function benchSubmission(i: number, complaint: boolean): CaseSubmission {
  const order = String(100_000 + i);
  return {
    type: complaint ? 'complaint' : 'inquiry',
    name: `Bench Customer ${i}`,
    email: `bench.customer.${i}@example.com`,
    subject: complaint ? `Charged twice for order ${order}` : `Where is order ${order}?`,
    message: (complaint ? COMPLAINT : MESSAGE).replaceAll('%ORDER%', order),
    privacyConsent: true,
  };
}

export interface GeneratedCase {
  caseId: string;
  reference: string;
  complaint: boolean;
  /** Every item the case store wrote for the case, as DynamoDB would hold them (the last Put of each key). */
  items: Item[];
}

/**
 * Case `i`: a web submission of a few hundred characters, its acknowledgement sent, a note, the
 * resolution and the closure by the agent over about a day. Every tenth case is a complaint that
 * is escalated to the supervisor (notification sent), who resolves it with the complaint checklist.
 * Received `startMs + i` minutes, so the cases closed over the weeks before the run. `references`
 * holds those of the cases made before, which a new case's reference may not take (openCase draws another).
 */
export async function closedCase(runSeed: string, i: number, startMs: number, references: Set<string>): Promise<GeneratedCase> {
  const store = new CapturingCaseStore(references);
  const t0 = startMs + i * MIN;
  const clock = movingClock(t0);
  const caseId = benchCaseId(runSeed, i);
  const complaint = i % 10 === 9;
  const deps = { store, clock, contacts };
  const send = mailer(`${runSeed}:${i}`);
  const deliverAll = async () => {
    for (const m of await store.getOutboxHistory(caseId)) if (m.status === 'pending') await deliverOutbox(caseId, m.id, { store, clock, mailer: send, replyAddress: 'support@caseflow.local' });
  };

  const { case: opened } = await openCaseFromSubmission(
    {
      submission: benchSubmission(i, complaint),
      channel: 'web',
      idempotencyKey: `bench-${runSeed}-${i}`,
    },
    { store, clock, newCaseId: () => caseId, random: cryptoRandom, policy: slaPolicy() },
  );
  clock.at(t0 + MIN);
  await deliverAll();
  clock.at(t0 + 2 * HOUR);
  await addNote(caseId, { text: NOTE }, { actor: agent }, deps);
  if (complaint) {
    clock.at(t0 + 3 * HOUR);
    await escalateCase(caseId, { reason: 'Second complaint about double charges: needs a refund approval' }, { actor: agent }, deps);
    clock.at(t0 + 3 * HOUR + MIN);
    await deliverAll();
  }
  clock.at(t0 + DAY);
  await resolveCase(
    caseId,
    complaint ? { summary: 'Refunded the second charge and apologised', checklist: COMPLETE_CHECKLIST } : { summary: 'Parcel redelivered; customer confirmed receipt' },
    { actor: complaint ? supervisor : agent },
    deps,
  );
  clock.at(t0 + DAY + HOUR);
  await closeCase(caseId, {}, { actor: agent }, deps);
  return { caseId, reference: opened.reference, complaint, items: [...store.items.values()] };
}
