import * as z from 'zod';
import type { Case } from '../case';
import type { EventDraft } from '../case-event';
import { CHECKLIST_ITEMS, mergeChecklist, missingChecklistItems } from '../complaint-checklist';
import { followUpOnResolution } from '../follow-up';
import { IncompleteChecklistError, NotFoundError } from '../errors';
import { currentEscalationNumber, endRecord, escalationIdOf, isEscalationActive, type EscalationRecord } from '../escalation';
import { transition } from '../lifecycle';
import { autoCloseTime, slaPolicy } from '../sla-policy';
import { cleanBody } from '../text/normalise-text';
import { requiredText } from '../validation';
import { assertMayActOnEscalation, assertOpen } from './guards';
import { ChecklistInputSchema } from './update-checklist';
import { runCaseAction, type ActionPlan, type ActionRequest, type CaseActionDeps } from './case-action';

export const ResolveInputSchema = z
  .object({
    summary: requiredText('Summary', 5000, cleanBody),
    /** Checklist items still to record; merged with those recorded before (complaints). */
    checklist: ChecklistInputSchema.optional(),
  })
  .strict();

/**
 * Resolves a case with a summary of the resolution (C3.2, M7.1). A complaint needs its resolution
 * checklist complete (M3.2, M9.2): otherwise nothing is written and the refusal names every missing
 * item. An escalated case is resolved by the escalated party (M3.3), which ends the escalation with
 * the resolution as its outcome. The case closes by itself after the policy's period (default 7
 * days) unless the customer writes again: closure starts retention (M7.2).
 */
export function resolveCase(caseId: string, input: z.infer<typeof ResolveInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, async (c, at): Promise<ActionPlan> => {
    assertOpen(c, 'resolved');
    const checklist = c.type === 'complaint' ? mergeChecklist(c.complaintChecklist, input.checklist ?? {}) : undefined;
    if (checklist) {
      const missing = missingChecklistItems(checklist);
      if (missing.length > 0) {
        const words = CHECKLIST_ITEMS.filter(({ item }) => missing.includes(item)).map((i) => i.missing);
        throw new IncompleteChecklistError(missing, `This complaint cannot be resolved until its resolution checklist is complete (M9.2). Missing: ${words.join('; ')}`);
      }
    }
    const escalations: EscalationRecord[] = [];
    const escalationEvents: EventDraft[] = [];
    let current: Case = c;
    if (isEscalationActive(c) && c.escalation) {
      assertMayActOnEscalation(req.actor, c.escalation.level, 'resolve');
      const number = currentEscalationNumber(c) ?? 1;
      const record = await deps.store.getEscalation(c.caseId, number);
      if (!record) throw new NotFoundError(`The escalation record of ${c.reference} is missing`);
      const iso = at.toISOString();
      const by = req.actor.id ?? req.actor.kind;
      escalations.push(endRecord({ ...record, acknowledgedAt: record.acknowledgedAt ?? iso, acceptedBy: record.acceptedBy ?? by }, 'resolved', req.actor, at, `resolved with the case: ${input.summary}`, input.summary));
      // Every change of the escalation record is on the trail too (the log is checked against it).
      const ref = { escalationId: escalationIdOf(number), level: c.escalation.level };
      if (!record.acknowledgedAt) escalationEvents.push({ type: 'escalation_acknowledged', at: iso, actor: req.actor, data: ref });
      escalationEvents.push({ type: 'escalation_resolved', at: iso, actor: req.actor, data: { ...ref, outcome: input.summary } });
      current = { ...c, escalation: { ...c.escalation, acknowledgedAt: c.escalation.acknowledgedAt ?? iso, acceptedBy: c.escalation.acceptedBy ?? by, endedAt: iso, ending: 'resolved' } };
    }
    const { next, draft } = transition(current, 'resolved', at, req.actor, 'resolved');
    // The checklist's follow-up is scheduled with the resolution, its due-list entry in the same transaction (M3.2).
    const followUp = followUpOnResolution(c, checklist, req.actor.id ?? req.actor.kind);
    const resolved: Case = {
      ...next,
      resolution: { summary: input.summary, resolvedBy: req.actor.id ?? req.actor.kind },
      ...(checklist ? { complaintChecklist: checklist } : {}),
      ...(followUp.followUp ? { followUp: followUp.followUp } : {}),
      autoCloseAt: autoCloseTime(at, slaPolicy(c.sla.policyVersion)),
    };
    const event: EventDraft = draft.type === 'status_changed' ? { ...draft, data: { ...draft.data, resolution: { summary: input.summary, ...(checklist ? { checklist } : {}) } } } : draft;
    return {
      next: resolved,
      drafts: [event, ...escalationEvents],
      escalations,
      ...(followUp.due ? { followUpsDue: [followUp.due] } : {}),
      ...(followUp.done ? { followUpsDone: [followUp.done] } : {}),
    };
  });
}
