import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CaseActionPath } from '../api/endpoints';
import type { CaseRecord, CaseType, Priority, StaffMember } from '../api/types';
import type { ActionForm } from '../logic/case-actions-ui';
import { formatDateTime, PRIORITIES, PRIORITY_LABEL, TYPE_LABEL } from '../logic/format';
import { checklistChanges, checklistDraft, checklistItems, followUpProblem, type ChecklistDraft } from '../logic/checklist-form';
import { customerCorrection, customerDraft } from '../logic/customer-correction';
import { draftKey } from '../logic/draft-store';
import { SERVER_CLOCK } from '../logic/server-clock';
import { useDraft } from './drafts';
import { useServices } from './services';

/** What a form hands to the case view to send: the route below the case, its body, its method. */
export interface Submission {
  path: CaseActionPath;
  body: unknown;
  method?: 'POST' | 'PATCH' | 'DELETE';
}

interface FormProps {
  c: CaseRecord;
  busy: boolean;
  onSubmit: (s: Submission, clearDraft: () => void) => void;
  onCancel: () => void;
}

/** A labelled multi-line field; the first field of a form takes the focus when it opens. */
function TextArea({ id, label, value, onInput, required = false, rows = 5, autoFocus = false, hint }: { id: string; label: string; value: string; onInput: (v: string) => void; required?: boolean; rows?: number; autoFocus?: boolean; hint?: string }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);
  return (
    <div class="field-block">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <textarea id={id} ref={ref} rows={rows} required={required} value={value} aria-describedby={hint ? `${id}-hint` : undefined} onInput={(e) => onInput(e.currentTarget.value)} />
    </div>
  );
}

function Buttons({ submit, busy, onCancel }: { submit: string; busy: boolean; onCancel: () => void }) {
  return (
    <div class="form-buttons">
      <button type="submit" class="primary" disabled={busy}>
        {submit}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

function Frame({ title, children, onSubmit }: { title: string; children: ComponentChildren; onSubmit: () => void }) {
  return (
    <form
      class="action-form"
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h2>{title}</h2>
      {children}
    </form>
  );
}

/** A form with one required text: note, escalation reason, action taken, outcome, reopen reason, de-escalation reason. */
function OneText({ c, busy, onSubmit, onCancel, form, title, label, submit, field, path, extra }: FormProps & { form: ActionForm; title: string; label: string; submit: string; field: string; path: CaseActionPath; extra?: Record<string, unknown> }) {
  const [text, setText, clear] = useDraft(draftKey(c.caseId, form), '');
  return (
    <Frame title={title} onSubmit={() => onSubmit({ path, body: { [field]: text, ...extra } }, clear)}>
      <TextArea id={`${form}-text`} label={label} value={text} onInput={setText} required autoFocus />
      <Buttons submit={submit} busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

function ReplyForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const [draft, setDraft, clear] = useDraft(draftKey(c.caseId, 'reply'), { message: '', wait: false });
  const open = c.status !== 'resolved' && c.status !== 'closed';
  return (
    <Frame title="Reply to the customer" onSubmit={() => onSubmit({ path: 'replies', body: { message: draft.message, ...(draft.wait && open ? { pendingCustomer: true } : {}) } }, clear)}>
      <div class="field-block">
        <label for="reply-subject">Subject</label>
        <p class="hint" id="reply-subject-hint">
          Set by caseflow: it keeps the case reference, so the customer's answer comes back to this case.
        </p>
        <input id="reply-subject" type="text" readOnly value={`[${c.reference}] ${c.subject}`} aria-describedby="reply-subject-hint" />
      </div>
      <p class="hint">To {c.customer.name}, by email.</p>
      <TextArea id="reply-message" label="Reply message" value={draft.message} onInput={(message) => setDraft({ ...draft, message })} required rows={8} autoFocus />
      {open && (
        <div class="check">
          <input id="reply-wait" type="checkbox" checked={draft.wait} onChange={(e) => setDraft({ ...draft, wait: e.currentTarget.checked })} />
          <label for="reply-wait">Then wait for the customer's answer</label>
        </div>
      )}
      <Buttons submit="Send reply" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

function CallForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const [draft, setDraft, clear] = useDraft(draftKey(c.caseId, 'call'), { direction: 'inbound', minutes: '', summary: '', transcript: '' });
  const minutes = Number(draft.minutes);
  return (
    <Frame
      title="Log a call"
      onSubmit={() =>
        onSubmit(
          {
            path: 'calls',
            body: { direction: draft.direction, durationSeconds: Number.isFinite(minutes) ? Math.round(minutes * 60) : 0, transcript: draft.transcript, ...(draft.summary.trim() ? { summary: draft.summary.trim() } : {}) },
          },
          clear,
        )
      }
    >
      <div class="field-row">
        <span class="field">
          <label for="call-direction">Direction</label>
          <select id="call-direction" value={draft.direction} onChange={(e) => setDraft({ ...draft, direction: e.currentTarget.value })}>
            <option value="inbound">Inbound (the customer called)</option>
            <option value="outbound">Outbound (we called)</option>
          </select>
        </span>
        <span class="field">
          <label for="call-minutes">Duration (minutes)</label>
          <input id="call-minutes" type="number" min={0} max={1440} step="any" required value={draft.minutes} onInput={(e) => setDraft({ ...draft, minutes: e.currentTarget.value })} />
        </span>
      </div>
      <TextArea id="call-summary" label="Call summary" value={draft.summary} onInput={(summary) => setDraft({ ...draft, summary })} rows={2} hint="One line, at most 500 characters." />
      <TextArea id="call-transcript" label="Transcript" value={draft.transcript} onInput={(transcript) => setDraft({ ...draft, transcript })} required rows={8} />
      <Buttons submit="Save call" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

function AssignForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const { api } = useServices();
  const [staff, setStaff] = useState<StaffMember[]>();
  const [error, setError] = useState<string>();
  const [assignee, setAssignee, clear] = useDraft(draftKey(c.caseId, 'assign'), '');
  useEffect(() => {
    Promise.all([api.staff('agents'), api.staff('supervisors')])
      .then(([agents, supervisors]) => {
        const byId = new Map<string, StaffMember>();
        for (const m of [...agents, ...supervisors]) byId.set(m.id, m);
        setStaff([...byId.values()].sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id)));
      })
      .catch(() => setError('The staff list could not be loaded.'));
  }, [api]);
  return (
    <Frame title="Assign the case" onSubmit={() => onSubmit({ path: 'assignment', body: { assigneeId: assignee } }, clear)}>
      {error && <p role="alert">{error}</p>}
      <span class="field">
        <label for="assign-to">Assignee</label>
        <select id="assign-to" required value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
          <option value="">{staff ? 'Choose someone' : 'Loading…'}</option>
          {(staff ?? []).map((m) => (
            <option key={m.id} value={m.id} disabled={m.id === c.assignee?.id}>
              {m.name ?? m.id} ({m.roles.includes('supervisors') ? 'supervisor' : 'agent'})
            </option>
          ))}
        </select>
      </span>
      <Buttons submit="Assign case" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

/** The case's own type is shown but cannot be chosen: the server refuses a change to what the case is already. */
function TypeForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const other: CaseType = c.type === 'inquiry' ? 'complaint' : 'inquiry';
  const [draft, setDraft, clear] = useDraft(draftKey(c.caseId, 'reclassify'), { type: other as string, reason: '' });
  return (
    <Frame title="Change the case type" onSubmit={() => onSubmit({ path: 'type', body: { type: draft.type, reason: draft.reason } }, clear)}>
      <span class="field">
        <label for="case-type">Case type</label>
        <select id="case-type" required value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value })}>
          {(['inquiry', 'complaint'] as const).map((t) => (
            <option key={t} value={t} disabled={t === c.type}>
              {TYPE_LABEL[t]}
              {t === c.type ? ' (now)' : ''}
            </option>
          ))}
        </select>
      </span>
      <TextArea id="type-reason" label="Reason" value={draft.reason} onInput={(reason) => setDraft({ ...draft, reason })} required rows={3} />
      <Buttons submit="Save type" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

/** The case's own priority is shown but cannot be chosen: the server refuses setting the priority it has. */
function PriorityForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const [priority, setPriority, clear] = useDraft<string>(draftKey(c.caseId, 'priority'), '');
  return (
    <Frame title="Change the priority" onSubmit={() => onSubmit({ path: 'priority', body: { priority: priority as Priority } }, clear)}>
      <span class="field">
        <label for="case-priority">Case priority</label>
        <select id="case-priority" required value={priority} onChange={(e) => setPriority(e.currentTarget.value)}>
          <option value="">Choose a priority</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p} disabled={p === c.priority}>
              {PRIORITY_LABEL[p]}
              {p === c.priority ? ' (now)' : ''}
            </option>
          ))}
        </select>
      </span>
      <Buttons submit="Save priority" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

/** The checklist's fields (M3.2, M9.2), shared by the resolve form and the checklist form; the follow-up's problem shown under it. */
function ChecklistFields({ id, draft, setDraft, legend, followUpError }: { id: string; draft: ChecklistDraft; setDraft: (d: ChecklistDraft) => void; legend: string; followUpError: string | undefined }) {
  return (
    <fieldset class="checklist">
      <legend>{legend}</legend>
      <div class="check">
        <input id={`${id}-heard`} type="checkbox" checked={draft.complaintHeard} onChange={(e) => setDraft({ ...draft, complaintHeard: e.currentTarget.checked })} />
        <label for={`${id}-heard`}>Complaint heard</label>
      </div>
      <div class="check">
        <input id={`${id}-empathy`} type="checkbox" checked={draft.empathyShown} onChange={(e) => setDraft({ ...draft, empathyShown: e.currentTarget.checked })} />
        <label for={`${id}-empathy`}>Empathy shown</label>
      </div>
      <TextArea id={`${id}-solution`} label="Solution offered" value={draft.solutionOffered} onInput={(solutionOffered) => setDraft({ ...draft, solutionOffered })} rows={2} />
      <TextArea id={`${id}-corrective`} label="Corrective action" value={draft.correctiveAction} onInput={(correctiveAction) => setDraft({ ...draft, correctiveAction })} rows={2} />
      <div class="field-row">
        <span class="field">
          <label for={`${id}-follow-date`}>Follow-up date</label>
          <input
            id={`${id}-follow-date`}
            type="date"
            value={draft.followUpDate}
            aria-invalid={followUpError ? 'true' : undefined}
            aria-describedby={followUpError ? `${id}-follow-error` : undefined}
            onInput={(e) => setDraft({ ...draft, followUpDate: e.currentTarget.value })}
          />
        </span>
      </div>
      <TextArea id={`${id}-follow-plan`} label="Follow-up plan" value={draft.followUpPlan} onInput={(followUpPlan) => setDraft({ ...draft, followUpPlan })} rows={2} hint="The follow-up needs both its date and its plan." />
      {followUpError && (
        <p id={`${id}-follow-error`} class="field-error" role="alert">
          {followUpError}
        </p>
      )}
    </fieldset>
  );
}

/** The resolution, and for a complaint its checklist (M3.2, M9.2): every item recorded before it can be resolved. */
function ResolveForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const [draft, setDraft, clear] = useDraft(draftKey(c.caseId, 'resolve'), { summary: '', ...checklistDraft(c.complaintChecklist) });
  const [followUpError, setFollowUpError] = useState<string>();
  const complaint = c.type === 'complaint';
  const submit = () => {
    const problem = complaint ? followUpProblem(draft) : undefined;
    setFollowUpError(problem);
    if (problem) {
      document.getElementById(draft.followUpDate.trim() ? 'check-follow-plan' : 'check-follow-date')?.focus();
      return;
    }
    onSubmit({ path: 'resolve', body: { summary: draft.summary, ...(complaint ? { checklist: checklistItems(draft) } : {}) } }, clear);
  };
  return (
    <Frame title="Resolve the case" onSubmit={submit}>
      <TextArea id="resolve-summary" label="Resolution summary" value={draft.summary} onInput={(summary) => setDraft({ ...draft, summary })} required autoFocus />
      {complaint && <ChecklistFields id="check" draft={draft} setDraft={(d) => setDraft({ ...d, summary: draft.summary })} legend="Complaint checklist (every item is needed to resolve)" followUpError={followUpError} />}
      <Buttons submit="Resolve case" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

/** Records checklist items as the complaint is worked (PATCH …/checklist, M9.2), before it is resolved. */
function ChecklistForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const [draft, setDraft, clear] = useDraft(draftKey(c.caseId, 'checklist'), checklistDraft(c.complaintChecklist));
  const [problem, setProblem] = useState<string>();
  const [followUpError, setFollowUpError] = useState<string>();
  const submit = () => {
    const followUp = followUpProblem(draft);
    setFollowUpError(followUp);
    if (followUp) return;
    const changes = checklistChanges(c.complaintChecklist, draft);
    if (Object.keys(changes).length === 0) {
      setProblem('Nothing to record: change an item of the checklist first.');
      return;
    }
    setProblem(undefined);
    onSubmit({ path: 'checklist', method: 'PATCH', body: changes }, clear);
  };
  return (
    <Frame title="Complaint checklist" onSubmit={submit}>
      <ChecklistFields id="list" draft={draft} setDraft={setDraft} legend="Items done so far (every item is needed to resolve)" followUpError={followUpError} />
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <Buttons submit="Save checklist" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

/** A supervisor lets one member of the feedback team see this case's contact details for a while (C4.2). */
function GrantContactForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const { api } = useServices();
  const [team, setTeam] = useState<StaffMember[]>();
  const [error, setError] = useState<string>();
  const [draft, setDraft, clear] = useDraft(draftKey(c.caseId, 'grantContact'), { staffId: '', reason: '', hours: '72' });
  useEffect(() => {
    api
      .staff('feedback')
      .then((members) => setTeam([...members].sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id))))
      .catch(() => setError('The feedback team could not be loaded.'));
  }, [api]);
  const hours = Number(draft.hours);
  return (
    <Frame title="Grant contact details to the feedback team" onSubmit={() => onSubmit({ path: 'contact-access', body: { staffId: draft.staffId, reason: draft.reason, hours: Number.isInteger(hours) ? hours : 72 } }, clear)}>
      {error && <p role="alert">{error}</p>}
      <div class="field-row">
        <span class="field">
          <label for="grant-to">Feedback-team member</label>
          <select id="grant-to" required value={draft.staffId} onChange={(e) => setDraft({ ...draft, staffId: e.currentTarget.value })}>
            <option value="">{team ? 'Choose someone' : 'Loading…'}</option>
            {(team ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name ?? m.id}
              </option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="grant-hours">For how many hours</label>
          <input id="grant-hours" type="number" min={1} max={720} step={1} required value={draft.hours} onInput={(e) => setDraft({ ...draft, hours: e.currentTarget.value })} />
        </span>
      </div>
      <TextArea id="grant-reason" label="Reason" value={draft.reason} onInput={(reason) => setDraft({ ...draft, reason })} required rows={3} hint="On the audit trail: why they need to reach the customer (a survey follow-up, a complaint review)." />
      <Buttons submit="Grant access" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

/** A supervisor ends a grant before it expires (C4.2). */
function RevokeContactForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const live = (c.contactAccess ?? []).filter((g) => Date.parse(g.expiresAt) > SERVER_CLOCK.now());
  const [draft, setDraft, clear] = useDraft(draftKey(c.caseId, 'revokeContact'), { staffId: live.length === 1 ? (live[0]?.staffId ?? '') : '', reason: '' });
  return (
    <Frame title="Revoke a contact-detail grant" onSubmit={() => onSubmit({ path: 'contact-access', method: 'DELETE', body: { staffId: draft.staffId, ...(draft.reason.trim() ? { reason: draft.reason } : {}) } }, clear)}>
      <span class="field">
        <label for="revoke-from">Grant</label>
        <select id="revoke-from" required value={draft.staffId} onChange={(e) => setDraft({ ...draft, staffId: e.currentTarget.value })}>
          <option value="">Choose a grant</option>
          {live.map((g) => (
            <option key={g.staffId} value={g.staffId}>
              {g.staffId}, until {formatDateTime(g.expiresAt)}
            </option>
          ))}
        </select>
      </span>
      <TextArea id="revoke-reason" label="Reason (optional)" value={draft.reason} onInput={(reason) => setDraft({ ...draft, reason })} rows={2} />
      <Buttons submit="Revoke access" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

/** Corrects the customer's name, email or phone (M5.1 / C6.1, rectification); the before and after go on the audit trail. */
function CustomerForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const [draft, setDraft, clear] = useDraft(draftKey(c.caseId, 'correctCustomer'), { ...customerDraft(c.customer), reason: '' });
  const [problem, setProblem] = useState<string>();
  const submit = () => {
    const changes = customerCorrection(c.customer, draft);
    if (Object.keys(changes).length === 0) {
      setProblem('Nothing to correct: change the name, the email or the phone first.');
      return;
    }
    setProblem(undefined);
    onSubmit({ path: 'customer', method: 'PATCH', body: { ...changes, reason: draft.reason } }, clear);
  };
  return (
    <Frame title="Correct the customer's details" onSubmit={submit}>
      <div class="field-row">
        <span class="field">
          <label for="customer-name">Name</label>
          <input id="customer-name" type="text" autoComplete="off" required value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
        </span>
        <span class="field">
          <label for="customer-email">Email</label>
          <input id="customer-email" type="email" autoComplete="off" value={draft.email} onInput={(e) => setDraft({ ...draft, email: e.currentTarget.value })} />
        </span>
        <span class="field">
          <label for="customer-phone">Phone</label>
          <input id="customer-phone" type="tel" autoComplete="off" value={draft.phone} onInput={(e) => setDraft({ ...draft, phone: e.currentTarget.value })} />
        </span>
      </div>
      <TextArea id="customer-reason" label="Reason for the correction" value={draft.reason} onInput={(reason) => setDraft({ ...draft, reason })} required rows={2} hint="An emptied email or phone is removed; the customer must keep one of them." />
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <Buttons submit="Save correction" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

function CloseForm({ busy, onSubmit, onCancel }: FormProps) {
  return (
    <Frame title="Close the case" onSubmit={() => onSubmit({ path: 'close', body: {} }, () => undefined)}>
      <p>Closing is final: if the customer writes again, their message opens a follow-up case.</p>
      <Buttons submit="Close case" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

/** What the complaint's follow-up found (POST …/follow-up, M3.2), and the next one's date if it needs one. */
function FollowUpForm({ c, busy, onSubmit, onCancel }: FormProps) {
  const [draft, setDraft, clear] = useDraft(draftKey(c.caseId, 'followUp'), { outcome: '', satisfied: false, nextDate: '' });
  const body = { outcome: draft.outcome, satisfied: draft.satisfied, ...(draft.nextDate ? { nextFollowUpDate: draft.nextDate } : {}) };
  return (
    <Frame title={`Record the follow-up due ${c.followUp?.date ?? ''}`} onSubmit={() => onSubmit({ path: 'follow-up', body }, clear)}>
      <TextArea id="follow-up-outcome" label="Follow-up outcome" value={draft.outcome} onInput={(outcome) => setDraft({ ...draft, outcome })} required rows={4} autoFocus hint="What the follow-up found: the customer's answer, whether the corrective action held." />
      <div class="check">
        <input id="follow-up-satisfied" type="checkbox" checked={draft.satisfied} onChange={(e) => setDraft({ ...draft, satisfied: e.currentTarget.checked })} />
        <label for="follow-up-satisfied">The customer is satisfied</label>
      </div>
      <div class="field-row">
        <span class="field">
          <label for="follow-up-next">Next follow-up date (optional)</label>
          <input id="follow-up-next" type="date" value={draft.nextDate} onInput={(e) => setDraft({ ...draft, nextDate: e.currentTarget.value })} />
        </span>
      </div>
      <Buttons submit="Save follow-up" busy={busy} onCancel={onCancel} />
    </Frame>
  );
}

export function ActionFormView(props: FormProps & { form: ActionForm }) {
  switch (props.form) {
    case 'reply':
      return <ReplyForm {...props} />;
    case 'note':
      return <OneText {...props} title="Internal note (never emailed)" label="Note" submit="Save note" field="text" path="notes" />;
    case 'call':
      return <CallForm {...props} />;
    case 'assign':
      return <AssignForm {...props} />;
    case 'reclassify':
      return <TypeForm {...props} />;
    case 'priority':
      return <PriorityForm {...props} />;
    case 'escalate':
      return <OneText {...props} title={props.c.escalation && !props.c.escalation.endedAt ? 'Escalate further' : 'Escalate the case'} label="Reason" submit="Escalate case" field="reason" path="escalations" />;
    case 'recordEscalationAction':
      return <OneText {...props} title="Record an action on the escalation" label="Action taken" submit="Save action" field="action" path="escalation/actions" />;
    case 'resolveEscalation':
      return <OneText {...props} title="Resolve the escalation" label="Outcome" submit="Save outcome" field="outcome" path="escalation/resolve" />;
    case 'deescalate':
      return <OneText {...props} title="Hand the case back to the representative" label="Reason" submit="De-escalate case" field="reason" path="escalation/de-escalate" />;
    case 'resolve':
      return <ResolveForm {...props} />;
    case 'checklist':
      return <ChecklistForm {...props} />;
    case 'grantContact':
      return <GrantContactForm {...props} />;
    case 'revokeContact':
      return <RevokeContactForm {...props} />;
    case 'correctCustomer':
      return <CustomerForm {...props} />;
    case 'close':
      return <CloseForm {...props} />;
    case 'reopen':
      return <OneText {...props} title="Reopen the case" label="Reopen reason" submit="Reopen case" field="reason" path="reopen" />;
    case 'followUp':
      return <FollowUpForm {...props} />;
  }
}
