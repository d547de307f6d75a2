import * as z from 'zod';
import type { Actor, Assignee, Case } from '../case';
import { CaseStateError, ForbiddenError, InvalidInputError } from '../errors';
import { isSupervisor } from '../roles';
import { mayWorkCases, type StaffDirectory, type StaffMember } from '../staff';
import { cleanLine } from '../text/normalise-text';
import { assignmentTrainingGuard } from '../training';
import { requiredText } from '../validation';
import { assertOpen } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

const reason = z.string().overwrite(cleanLine).trim().max(500, 'Reason must be at most 500 characters').optional();

export const AssignInputSchema = z.object({ assigneeId: requiredText('Assignee id', 128), reason }).strict();
export const ClaimInputSchema = z.object({}).strict();
export const UnassignInputSchema = z.object({ reason }).strict();

const assigneeOf = (m: StaffMember): Assignee => ({ id: m.id, ...(m.name ? { name: m.name } : {}), ...(m.email ? { email: m.email } : {}), ...(m.team ? { team: m.team } : {}) });
const named = (a: Assignee) => a.name ?? a.id;

/** A staff member who may be given cases, or a 400 naming the field that named them. */
export async function caseWorker(directory: StaffDirectory | undefined, id: string, field: string): Promise<Assignee> {
  const member = directory ? await directory.find(id) : undefined;
  if (!member) throw new InvalidInputError([{ path: field, message: `No staff member ${id}` }]);
  if (!mayWorkCases(member)) throw new InvalidInputError([{ path: field, message: `${member.name ?? id} is not a representative or supervisor, so cannot be given cases` }]);
  return assigneeOf(member);
}

/** The caller as an assignee: someone signed in who is not in the staff directory as a case worker may not take cases (403). */
export async function callerAsWorker(directory: StaffDirectory | undefined, actor: Actor): Promise<Assignee> {
  const member = directory && actor.id ? await directory.find(actor.id) : undefined;
  if (!member || !mayWorkCases(member)) throw new ForbiddenError('You are not in the staff directory as a representative or supervisor, so you cannot take cases');
  return assigneeOf(member);
}

function reassigned(c: Case, to: Assignee | undefined, how: 'assigned' | 'claimed' | 'unassigned', req: ActionRequest, at: Date, why?: string, trainingWarning?: { courses: string[]; message: string }) {
  const iso = at.toISOString();
  const { assignee: from, ...rest } = c;
  return {
    next: { ...rest, updatedAt: iso, ...(to ? { assignee: to } : {}) } as Case,
    drafts: [{ type: 'assignment_changed' as const, at: iso, actor: req.actor, data: { ...(from ? { from } : {}), ...(to ? { to } : {}), how, ...(why ? { reason: why } : {}), ...(trainingWarning ? { trainingWarning } : {}) } }],
  };
}

/** A supervisor gives a case to a named representative or supervisor (M4.2: supervisors distribute and oversee the work). */
export async function assignCase(caseId: string, input: z.infer<typeof AssignInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, async (c, at) => {
    assertOpen(c, 'assigned');
    const to = await caseWorker(deps.staff, input.assigneeId, 'assigneeId');
    if (c.assignee?.id === to.id) throw new CaseStateError(`Case ${c.reference} is assigned to ${named(to)} already`);
    // C5.3: required training lapsed or never had refuses the assignment, or (warn mode) goes on the timeline with it.
    const warning = await assignmentTrainingGuard(deps.training, to, at);
    return reassigned(c, to, 'assigned', req, at, input.reason, warning);
  });
}

/** A representative takes an unassigned case for themself. A case someone else holds is theirs until a supervisor reassigns it. */
export async function claimCase(caseId: string, _input: z.infer<typeof ClaimInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, async (c, at) => {
    assertOpen(c, 'claimed');
    const me = await callerAsWorker(deps.staff, req.actor);
    if (c.assignee?.id === me.id) throw new CaseStateError(`Case ${c.reference} is yours already`);
    if (c.assignee) throw new CaseStateError(`Case ${c.reference} is assigned to ${named(c.assignee)}; a supervisor can reassign it`);
    const warning = await assignmentTrainingGuard(deps.training, me, at);
    return reassigned(c, me, 'claimed', req, at, undefined, warning);
  });
}

/** The case goes back to the unassigned queue: its assignee gives it up, or a supervisor takes it from them. */
export function unassignCase(caseId: string, input: z.infer<typeof UnassignInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertOpen(c, 'unassigned');
    if (!c.assignee) throw new CaseStateError(`Case ${c.reference} is not assigned to anyone`);
    if (c.assignee.id !== req.actor.id && !isSupervisor(req.actor)) {
      throw new ForbiddenError(`Case ${c.reference} is assigned to ${named(c.assignee)}: only they or a supervisor may unassign it`);
    }
    return reassigned(c, undefined, 'unassigned', req, at, input.reason);
  });
}
