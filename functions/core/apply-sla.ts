import { autoClosing } from './actions/close';
import { changeCase } from './change-case';
import { SYSTEM, type Case } from './case';
import type { EventDraft } from './case-event';
import type { Clock } from './clock';
import { currentEscalationNumber, endRecord, escalate, isEscalationActive, type EscalationContacts, type EscalationRecord } from './escalation';
import { contactsFor } from './escalation-contacts';
import { breachRecordId, openNonCompliance, type NonComplianceRecord } from './non-compliance';
import { earlierRecords, type NonComplianceStore } from './non-compliance-records';
import type { OutboxMessage } from './outbox';
import type { CaseStore } from './ports';
import type { RetentionSource } from './retention-policy-versions';
import { planSla, type SlaAction } from './sla-plan';
import { slaPolicy } from './sla-policy';
import { newSurvey } from './survey';

export interface ApplySlaDeps {
  store: CaseStore;
  clock: Clock;
  /** The configured contacts: for warnings and breaches, and escalations of cases whose team the case's policy version does not list. */
  contacts: EscalationContacts;
  /** The retention policy an automatic closure starts (the current one when not given). */
  retention?: RetentionSource;
  /** Where a breach's non-compliance record finds the staff member's earlier ones (C8.3); without it none are counted. */
  nonCompliance?: Pick<NonComplianceStore, 'listMonth'>;
}


/**
 * Records every SLA action due now, in one transaction per case: warnings to the assignee (or the
 * team inbox), breaches on the timeline with the case flagged and the supervisor on duty emailed,
 * and escalations with their log record. Each happens at most once: the case remembers it.
 * The case keeps the policy version it was opened under (M8.3).
 */
export async function applySla(caseId: string, deps: ApplySlaDeps): Promise<SlaAction[]> {
  const done = await changeCase(deps.store, caseId, async (c) => {
    const at = deps.clock.now();
    const iso = at.toISOString();
    const policy = slaPolicy(c.sla.policyVersion);
    const { due } = planSla(c, at.getTime(), policy);
    if (due.length === 0) return undefined;

    let next: Case = { ...c, updatedAt: iso, sla: { ...c.sla } };
    const drafts: EventDraft[] = [];
    const outbox: OutboxMessage[] = [];
    const escalations: EscalationRecord[] = [];
    const nonCompliance: NonComplianceRecord[] = [];
    const warnTo = c.assignee?.email ?? deps.contacts.teamInbox;

    for (const action of due) {
      if (action.type === 'send_survey') {
        // The survey (M8.1, C7.1): its record on the case, the event, and the mail owed; the link is signed at delivery.
        const survey = newSurvey(at, policy);
        next = { ...next, survey };
        drafts.push({ type: 'survey_sent', at: iso, actor: SYSTEM, data: { surveyId: survey.surveyId, expiresAt: survey.expiresAt, outboxId: 'survey' } });
        outbox.push({ caseId: c.caseId, id: 'survey', kind: 'survey', data: { surveyId: survey.surveyId, expiresAt: survey.expiresAt }, status: 'pending', createdAt: iso, attempts: 0 });
      } else if (action.type === 'send_survey_reminder') {
        const survey = next.survey;
        if (!survey) continue;
        next = { ...next, survey: { ...survey, remindedAt: iso } };
        drafts.push({ type: 'survey_reminded', at: iso, actor: SYSTEM, data: { surveyId: survey.surveyId, outboxId: 'survey_reminder' } });
        outbox.push({ caseId: c.caseId, id: 'survey_reminder', kind: 'survey_reminder', data: { surveyId: survey.surveyId, expiresAt: survey.expiresAt }, status: 'pending', createdAt: iso, attempts: 0 });
      } else if (action.type === 'close') {
        const closed = autoClosing(next, at, await deps.retention?.current());
        next = closed.next;
        drafts.push(...closed.drafts);
      } else if (action.type === 'warn') {
        next.sla.warned = [...(next.sla.warned ?? []), action.milestone];
        drafts.push({ type: 'sla_warning', at: iso, actor: SYSTEM, data: { milestone: action.milestone, dueAt: action.dueAt, notify: warnTo } });
        outbox.push(message(c.caseId, `sla_warning#${action.milestone}`, 'sla_warning', warnTo, iso, { milestone: action.milestone, dueAt: action.dueAt }));
      } else if (action.type === 'breach') {
        next.sla.breached = [...(next.sla.breached ?? []), action.milestone];
        next.slaBreached = true;
        const notify = deps.contacts.supervisor;
        drafts.push({ type: 'sla_breached', at: iso, actor: SYSTEM, data: { milestone: action.milestone, dueAt: action.dueAt, detectedAt: iso, notify } });
        outbox.push(message(c.caseId, `sla_breach#${action.milestone}`, 'sla_breach', notify, iso, { milestone: action.milestone, dueAt: action.dueAt, detectedAt: iso }));
        // C8.1: every breach is a non-compliance, reported at once: its record opens in the same transaction.
        const staffId = c.assignee?.id;
        nonCompliance.push(
          openNonCompliance({
            id: breachRecordId(c.caseId, action.milestone),
            cause: { kind: 'sla_breach', milestone: action.milestone, dueAt: action.dueAt },
            caseId: c.caseId,
            staffId,
            openedBy: SYSTEM,
            at,
            policy,
            earlier: deps.nonCompliance ? await earlierRecords(deps.nonCompliance, staffId, at) : [],
            notify,
          }),
        );
      } else {
        // Climbing a level ends the escalation nobody accepted in time, as escalating further by hand does (M3.3).
        const number = isEscalationActive(next) ? currentEscalationNumber(next) : undefined;
        const current = number === undefined ? undefined : await deps.store.getEscalation(caseId, number);
        if (current) escalations.push(endRecord(current, 'escalated-further', SYSTEM, at, `not accepted by ${current.responsibleParty} in time: escalated to level ${action.level}`));
        // To the case's team's contacts under its own policy version (M3.3, M8.3).
        const contacts = contactsFor(next, policy, deps.contacts);
        const change = escalate(next, { level: action.level, trigger: 'automatic', reason: action.reason, actor: SYSTEM, at }, policy, contacts);
        next = { ...change.next, sla: next.sla };
        drafts.push(change.draft);
        outbox.push(change.notification);
        escalations.push(change.record);
      }
    }
    return { next, drafts, with: { outboxInserts: outbox, escalations, nonCompliance }, result: due };
  });
  return done?.result ?? [];
}

function message(caseId: string, id: string, kind: OutboxMessage['kind'], to: string, iso: string, data: Record<string, string>): OutboxMessage {
  return { caseId, id, kind, to, data, status: 'pending', createdAt: iso, attempts: 0 };
}
