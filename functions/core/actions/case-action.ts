import type { Actor, Case } from '../case';
import type { EventDraft } from '../case-event';
import { changeCase } from '../change-case';
import type { Clock } from '../clock';
import { NotFoundError } from '../errors';
import type { FollowUpDue } from '../follow-up';
import type { EscalationContacts, EscalationRecord } from '../escalation';
import type { OutboxMessage } from '../outbox';
import type { QualityReview, QualityReviewPolicy, ReplyRef } from '../quality-review';
import type { CaseStore } from '../ports';
import type { RetentionSource } from '../retention-policy-versions';
import type { StaffDirectory } from '../staff';
import type { TrainingDeps } from '../training';

/** What every staff action on a case needs (the composition root builds it once per function). */
export interface CaseActionDeps {
  store: CaseStore;
  clock: Clock;
  /** Who may be assigned a case, and their names and addresses. */
  staff?: StaffDirectory;
  /** Who escalations go to (M3.3). */
  contacts?: EscalationContacts;
  /** The retention policy a closure starts, read when a case closes (the built-in one when not given; a local override locally). */
  retention?: RetentionSource;
  /** The training records and the guard's mode: assignments and claims check the assignee's required training (C5.3). */
  training?: TrainingDeps;
  /** The quality-review sampling policy replies are sampled by (M6.1; the default when not given). */
  qualityReviews?: QualityReviewPolicy;
}

/** How the caller asked: as whom, and on which version of the case (`If-Match`), if they said. */
export interface ActionRequest {
  actor: Actor;
  expectedVersion?: number;
}

/** A planned action: the case as it will be, its timeline events, and what else is written with it. */
export interface ActionPlan {
  next: Case;
  drafts: EventDraft[];
  outbox?: OutboxMessage[];
  escalations?: EscalationRecord[];
  /** A reply sent (the week's ledger), and its quality review when the sampler picks it (M6.1). */
  replies?: ReplyRef[];
  qualityReviews?: QualityReview[];
  /** A complaint's follow-up scheduled, and one ended or replaced (M3.2; follow-up.ts). */
  followUpsDue?: FollowUpDue[];
  followUpsDone?: Pick<FollowUpDue, 'caseId' | 'date'>[];
}

/**
 * Runs one staff action on a case: read, plan against the case's state (a plan throws a domain
 * error naming why the state forbids it), commit with the audit events in the same transaction,
 * conditional on the case version (change-case.ts). A missing case is a NotFoundError.
 */
export async function runCaseAction(
  caseId: string,
  deps: Pick<CaseActionDeps, 'store' | 'clock'>,
  request: ActionRequest,
  plan: (c: Case, at: Date) => ActionPlan | Promise<ActionPlan>,
): Promise<Case> {
  const done = await changeCase(
    deps.store,
    caseId,
    async (c) => {
      const { next, drafts, outbox, escalations, replies, qualityReviews, followUpsDue, followUpsDone } = await plan(c, deps.clock.now());
      return {
        next,
        drafts,
        with: {
          ...(outbox?.length ? { outboxInserts: outbox } : {}),
          ...(escalations?.length ? { escalations } : {}),
          ...(replies?.length ? { replies } : {}),
          ...(qualityReviews?.length ? { qualityReviews: qualityReviews.map((review) => ({ review })) } : {}),
          ...(followUpsDue?.length ? { followUpsDue } : {}),
          ...(followUpsDone?.length ? { followUpsDone } : {}),
        },
        result: undefined,
      };
    },
    request.expectedVersion !== undefined ? { expectedVersion: request.expectedVersion } : {},
  );
  if (!done) throw new NotFoundError(`No case ${caseId}`);
  return done.case;
}

/** The staff member's name in timeline words. */
export const actorName = (actor: Actor) => actor.id ?? actor.kind;
