import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/client';
import type { CaseActionPath } from '../api/endpoints';
import type { ArchiveRecord, ArchiveVerification, AuditVerification, CaseDetail, CaseRecord, EscalationRecord, StoredAttachment } from '../api/types';
import { availableActions } from '../logic/actions';
import { buttonsFor, type ActionButton, type ActionForm } from '../logic/case-actions-ui';
import { caseMilestones, type MilestoneState } from '../logic/deadlines';
import { CHANNEL_LABEL, escalationName, formatBytes, formatDateTime, PRIORITY_LABEL, STATUS_LABEL, TYPE_LABEL } from '../logic/format';
import { caseAttachments, changesSince, onlyBookkeepingSince, orderedTimeline } from '../logic/case-timeline';
import { draftKey } from '../logic/draft-store';
import type { Refusal } from '../logic/refusal';
import { SERVER_CLOCK } from '../logic/server-clock';
import { readsAudit } from '../logic/roles';
import { describeEvent, type EventView } from '../logic/timeline';
import { ActionFormView, type Submission } from './case-forms';
import { useNow } from './clock';
import { DRAFTS } from './drafts';
import { go, href, recallQueue, rememberQueue } from './navigation';
import { usePolling } from './polling';
import { useServices } from './services';
import { useShortcutHandlers } from './shortcut-handlers';
import { ColumnHeads } from './column-heads';
import { useCheck } from './use-check';

/** The header's milestone states as the tests and styles read them: met, due, warning, breached. */
const MILESTONE_STATE: Readonly<Record<MilestoneState, 'met' | 'due' | 'warning' | 'breached' | undefined>> = {
  met: 'met',
  met_late: 'met',
  ok: 'due',
  paused: 'due',
  warning: 'warning',
  breached: 'breached',
  not_needed: undefined,
};

/** Direct actions: one click does them (no words to add). */
const DIRECT: Partial<Record<string, { path: CaseActionPath; method?: 'POST' | 'DELETE' }>> = {
  claim: { path: 'claim' },
  acknowledge: { path: 'acknowledge' },
  unassign: { path: 'assignment', method: 'DELETE' },
  pendingOn: { path: 'pending-customer' },
  pendingOff: { path: 'pending-customer', method: 'DELETE' },
  acceptEscalation: { path: 'escalation/accept' },
};

/**
 * One case (M4.1, M7.1): its header with the SLA milestones, every action the case's state and
 * the person's roles allow, the timeline oldest first, attachments, the escalation log and, for
 * those who check adherence, the audit-trail verification. A form's change goes with If-Match the
 * version the form opened on (kept with its draft): a 409 for another version says the case
 * changed meanwhile, offers a reload, and keeps the draft; a 409 for that version is the case's
 * state refusing the change, and says why.
 */
export function CaseView({ caseId }: { caseId: string }) {
  const { api, session } = useServices();
  const [detail, setDetail] = useState<CaseDetail>();
  const [loadError, setLoadError] = useState<string>();
  const [form, setForm] = useState<ActionForm>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Refusal>();
  const [done, setDone] = useState<string>();
  // Bumped when a draft's version moves (a reload seen, the person's own change), so the notice below is worked out again.
  const [, setDraftsSeen] = useState(0);

  const load = async (conditional: boolean): Promise<CaseDetail | undefined> => {
    try {
      const { data, notModified } = await api.caseDetail(caseId, conditional);
      setLoadError(undefined);
      if (!notModified || !detail) setDetail(data);
      return data;
    } catch (e) {
      setLoadError(errorMessage(e));
      return undefined;
    }
  };
  useEffect(() => {
    void load(false);
  }, [caseId]);
  usePolling(async () => void (await load(true)), undefined, caseId);
  useEffect(() => {
    if (detail) document.title = `${detail.case.reference} · caseflow console`;
  }, [detail?.case.reference]);

  const c = detail?.case;
  // The actions offered change with the case, not with the clock (only a contact grant's expiry reads it): no need to redraw every second.
  const buttons = c ? buttonsFor(availableActions(c, session, { nowMs: SERVER_CLOCK.now() })) : [];
  const events = useMemo(
    () => (detail ? orderedTimeline(detail.timeline).map((e) => describeEvent(e, { opening: { subject: detail.case.subject, message: detail.case.message, customerName: detail.case.customer.name } })) : []),
    [detail?.timeline, detail?.case.subject, detail?.case.message, detail?.case.customer.name],
  );
  const attachments = useMemo(() => caseAttachments(events), [events]);

  // A reload in flight: a change pressed meanwhile waits for it, so it goes with the version the reload reads, not the one refused.
  const reloading = useRef<Promise<void> | undefined>(undefined);
  /** Reads the case again; the open form's draft has seen it now, so its change goes with the version read. */
  const reload = async () => {
    setFailure(undefined);
    setBusy(true);
    const run = (async () => {
      const fresh = await load(false);
      if (fresh && form) {
        DRAFTS.rebase(draftKey(caseId, form), fresh.case.version);
        setDraftsSeen((n) => n + 1);
      }
    })();
    reloading.current = run;
    try {
      await run;
    } finally {
      if (reloading.current === run) reloading.current = undefined;
      setBusy(false);
    }
  };

  const send = async (submission: Submission, clearDraft: () => void, label: string, fromForm?: ActionForm) => {
    if (!c) return;
    setBusy(true);
    setFailure(undefined);
    setDone(undefined);
    await reloading.current;
    const sentVersion = (fromForm ? DRAFTS.version(draftKey(caseId, fromForm)) : undefined) ?? c.version;
    try {
      let result: { case: CaseRecord };
      let acted = sentVersion;
      try {
        result = await api.act(caseId, submission.path, submission.body, sentVersion, submission.method);
      } catch (e) {
        // Refused for a version moved on by caseflow's own bookkeeping alone (a delivery receipt): try once more on the new version.
        if (!(e instanceof ApiError && e.conflict)) throw e;
        const fresh = (await api.caseDetail(caseId, false)).data;
        setDetail(fresh);
        if (!onlyBookkeepingSince(sentVersion, fresh.timeline)) throw e;
        acted = fresh.case.version;
        result = await api.act(caseId, submission.path, submission.body, acted, submission.method);
      }
      // Drafts written against the version this change was made on have seen all but this change.
      DRAFTS.advance(caseId, acted, result.case.version);
      if (acted !== sentVersion) DRAFTS.advance(caseId, sentVersion, result.case.version);
      // The case as the change left it, at once: a form opened before the reload below starts from this version.
      setDetail((d) => (d ? { ...d, case: result.case } : d));
      clearDraft();
      if (fromForm) setForm(undefined);
      setDone(`${label}: done.`);
      await load(false);
    } catch (e) {
      setFailure(e instanceof ApiError ? e.refusal : { kind: 'error', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const openForm = (f: ActionForm) => {
    if (!c) return;
    setFailure(undefined);
    DRAFTS.open(draftKey(caseId, f), c.version);
    setForm(f);
  };

  const press = (b: ActionButton) => {
    const direct = DIRECT[b.action];
    if (direct) void send({ path: direct.path, body: {}, ...(direct.method ? { method: direct.method } : {}) }, () => undefined, b.label);
    else if (b.form) openForm(b.form);
  };

  const openOffered = (f: ActionForm) => {
    if (buttons.some((b) => b.form === f)) openForm(f);
  };
  useShortcutHandlers({
    reply: () => openOffered('reply'),
    note: () => openOffered('note'),
    claim: () => {
      const claim = buttons.find((b) => b.action === 'claim');
      if (claim) press(claim);
    },
    'next-case': () => {
      const last = recallQueue();
      if (!last) return;
      const at = last.caseIds.indexOf(caseId);
      const next = last.caseIds[at + 1];
      if (next) {
        rememberQueue({ ...last, selected: next });
        go({ view: 'case', caseId: next });
      }
    },
    close: () => setForm(undefined),
  });

  if (!detail || !c) {
    return loadError ? <p role="alert">{loadError}</p> : <p role="status">Loading the case…</p>;
  }

  const formVersion = form ? DRAFTS.version(draftKey(caseId, form)) : undefined;
  // A colleague's change the poll brought while a form was open: the draft was written without it.
  const unseen = formVersion !== undefined ? changesSince(formVersion, detail.timeline) : [];
  const last = recallQueue();
  const withheld = c.customer.contactDetails === 'withheld';

  return (
    <article class="case" aria-labelledby="case-heading">
      <p class="back">
        <a href={href(last ? { view: 'queue', queue: last.queue, filters: last.filters } : { view: 'home' })}>Back to the queue</a>
      </p>
      <h1 id="case-heading">
        {c.reference} — {c.subject}
      </h1>
      <dl class="case-facts">
        <div>
          <dt>Status</dt>
          <dd>{STATUS_LABEL[c.status]}</dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>{TYPE_LABEL[c.type]}</dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd>{PRIORITY_LABEL[c.priority]}</dd>
        </div>
        <div>
          <dt>Channel</dt>
          <dd>{CHANNEL_LABEL[c.channel]}</dd>
        </div>
        <div>
          <dt>Assignee</dt>
          <dd>{c.assignee ? (c.assignee.name ?? c.assignee.id) : 'Unassigned'}</dd>
        </div>
        <div>
          <dt>Customer</dt>
          <dd>
            {c.customer.name}
            {withheld ? (
              <span class="muted"> (contact details withheld)</span>
            ) : (
              <>
                {c.customer.email && <span class="contact">{c.customer.email}</span>}
                {c.customer.phone && <span class="contact">{c.customer.phone}</span>}
                {c.customer.emailBouncing && <span class="badge badge-breached">Email bouncing</span>}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>{formatDateTime(c.receivedAt)}</dd>
        </div>
        {c.escalation && !c.escalation.endedAt && (
          <div>
            <dt>Escalation</dt>
            <dd>
              {escalationName(c.escalation.number, c.escalation.level)}, level {c.escalation.level}, {c.escalation.responsibleParty}
              {c.escalation.acknowledgedAt ? ', accepted' : ', not accepted yet'}
            </dd>
          </div>
        )}
      </dl>

      <h2 id="milestones-heading">SLA milestones</h2>
      <Milestones c={c} />

      {buttons.length > 0 && (
        <div class="actions" role="group" aria-label="Actions">
          {buttons
            .filter((b) => !(b.form && b.form === form))
            .map((b) => (
              <button key={b.label} type="button" disabled={busy} aria-expanded={b.form ? 'false' : undefined} onClick={() => press(b)}>
                {b.label}
              </button>
            ))}
        </div>
      )}
      {failure && (
        <div role="alert" class="alert">
          {failure.kind === 'conflict' ? (
            <>
              <p>This case was changed by someone else since you opened it ({failure.message}). Reload the case to see the change; your draft is kept.</p>
              <button type="button" onClick={() => void reload()}>
                Reload case
              </button>
            </>
          ) : (
            <>
              <p>{failure.message}</p>
              {failure.kind === 'refused' && failure.missing.length > 0 && (
                <ul aria-label="Still missing">
                  {failure.missing.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      )}
      {form && unseen.length > 0 && failure?.kind !== 'conflict' && (
        <div role="status" class="alert notice">
          <p>
            This case changed while you were typing: {unseen.map((e) => describeEvent(e).title).join('; ')}. Your draft is kept; reload the case to send it on the case as it is now.
          </p>
          <button type="button" onClick={() => void reload()}>
            Reload case
          </button>
        </div>
      )}
      {done && !failure && (
        <p role="status" class="done">
          {done}
        </p>
      )}
      {form && (
        <ActionFormView
          key={form}
          form={form}
          c={c}
          busy={busy}
          onSubmit={(s, clear) => void send(s, clear, buttons.find((b) => b.form === form)?.label ?? 'Saved', form)}
          onCancel={() => setForm(undefined)}
        />
      )}

      {!detail.integrity.valid && (
        <p role="alert" class="alert">
          The audit trail of this case does not verify: {detail.integrity.reason} (at event {detail.integrity.brokenAtSeq}).
        </p>
      )}

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol role="list" class="timeline" aria-label="Timeline">
          {events.map((e) => (
            <TimelineItem key={e.seq} e={e} />
          ))}
        </ol>
      </section>

      <section aria-labelledby="attachments-heading">
        <h2 id="attachments-heading">Attachments</h2>
        {attachments.length === 0 ? <p class="muted">No attachments.</p> : <Attachments caseId={caseId} attachments={attachments} downloadable={!withheld} />}
      </section>

      {c.escalation && <EscalationLog caseId={caseId} version={c.version} />}
      {readsAudit(session) && <AuditCheck caseId={caseId} />}
      {readsAudit(session) && c.archive && <ArchiveCheck reference={c.reference} archive={c.archive} />}
    </article>
  );
}

/**
 * The header's SLA milestones, ticking each second on their own: the rest of the case view (a
 * timeline of hundreds of events) is drawn again only when the case changes.
 */
function Milestones({ c }: { c: CaseRecord }) {
  const now = useNow();
  const milestones = caseMilestones(c, now).filter((m) => MILESTONE_STATE[m.state] !== undefined);
  return (
    <ul class="milestones" aria-label="SLA milestones">
      {milestones.map((m) => (
        <li key={m.milestone} data-milestone={m.milestone} data-state={MILESTONE_STATE[m.state]} class={`milestone milestone-${MILESTONE_STATE[m.state] ?? 'due'}`}>
          <span class="milestone-label">{m.label}</span> <span class="milestone-text">{m.state === 'met_late' ? `Met late: ${m.text}` : m.text}</span>
        </li>
      ))}
    </ul>
  );
}

function TimelineItem({ e }: { e: EventView }) {
  return (
    <li class={`event event-${e.tone}`} data-event-type={e.type}>
      <div class="event-head">
        <span class="event-title">{e.title}</span>
        <span class="event-meta">
          {e.who} · <time dateTime={e.at}>{formatDateTime(e.at)}</time>
        </span>
      </div>
      {e.subject !== undefined && <p class="event-subject">Subject: {e.subject}</p>}
      {e.text !== undefined && <div class="message-body">{e.text}</div>}
      {e.transcript !== undefined && (
        <details>
          <summary>Transcript</summary>
          <div class="message-body">{e.transcript}</div>
        </details>
      )}
      {e.details.length > 0 && (
        <dl class="event-details">
          {e.details.map((d, i) => (
            <div key={i}>
              <dt>{d.label}</dt>
              <dd>{d.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {e.attachments.length > 0 && <p class="event-attachments">Attachments: {e.attachments.map((a) => a.filename).join(', ')}</p>}
      {e.problems.map((p, i) => (
        <p key={i} class="event-problem">
          {p}
        </p>
      ))}
    </li>
  );
}

/** The case's files; the feedback team without a contact-detail grant sees what they are but cannot download them (C4.2: the API refuses). */
function Attachments({ caseId, attachments, downloadable }: { caseId: string; attachments: StoredAttachment[]; downloadable: boolean }) {
  const { api } = useServices();
  const [error, setError] = useState<string>();
  const download = async (a: StoredAttachment) => {
    setError(undefined);
    try {
      const link = await api.attachment(caseId, a.sha256);
      // A short-lived presigned URL that answers with Content-Disposition: attachment: the browser saves it, the console stays.
      const anchor = document.createElement('a');
      anchor.href = link.url;
      anchor.rel = 'noopener noreferrer';
      anchor.download = link.filename;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      {error && <p role="alert">{error}</p>}
      {!downloadable && <p class="muted">Downloading a customer's files needs a supervisor's grant of their contact details (C4.2).</p>}
      <ul class="attachments" aria-label="Attachments">
        {attachments.map((a) => (
          <li key={a.sha256}>
            {downloadable ? (
              <button type="button" onClick={() => void download(a)}>
                Download {a.filename}
              </button>
            ) : (
              <span>{a.filename}</span>
            )}{' '}
            <span class="muted">
              {a.contentType}, {formatBytes(a.size)}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The escalation log (M3.3, M9.3): date, from, to, reason, actions, outcome. */
export function EscalationLog({ caseId, version }: { caseId: string; version: number }) {
  const { api } = useServices();
  const [items, setItems] = useState<EscalationRecord[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api
      .escalations(caseId)
      .then(setItems)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [caseId, version]);
  return (
    <section aria-labelledby="escalation-log-heading">
      <h2 id="escalation-log-heading">Escalation log</h2>
      {error && <p role="alert">{error}</p>}
      {items && (
        <table class="log" aria-label="Escalation log">
          <ColumnHeads names={['Escalation', 'Date', 'From', 'To', 'Reason', 'Actions taken', 'Outcome']} />
          <tbody>
            {items.map((r) => (
              <tr key={r.escalationId}>
                <td data-label="Escalation">
                  {r.escalationId} (level {r.level}, {r.trigger})
                </td>
                <td data-label="Date">{formatDateTime(r.escalatedAt)}</td>
                <td data-label="From">{r.escalatedFrom}</td>
                <td data-label="To">{r.responsibleParty}</td>
                <td data-label="Reason" class="message-body">
                  {r.reason}
                </td>
                <td data-label="Actions taken">
                  {r.actionsTaken.length === 0 ? (
                    <span class="muted">None yet</span>
                  ) : (
                    <ul class="plain">
                      {r.actionsTaken.map((a, i) => (
                        <li key={i}>
                          {formatDateTime(a.at)}, {a.by}: <span class="message-body">{a.action}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td data-label="Outcome">
                  {r.outcome ? <span class="message-body">{r.outcome}</span> : r.ending ? r.ending.replace('-', ' ') : r.acknowledgedAt ? `Accepted ${formatDateTime(r.acknowledgedAt)}` : 'Open, not accepted yet'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AuditCheck({ caseId }: { caseId: string }) {
  const { api } = useServices();
  const { result, error, busy, start } = useCheck<AuditVerification>(() => api.verify(caseId));
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit trail</h2>
      <button type="button" disabled={busy} onClick={start}>
        Verify audit trail
      </button>
      {error && <p role="alert">{error}</p>}
      <div role="status" class={result ? (result.valid ? 'audit-ok' : 'audit-broken') : undefined}>
        {result &&
          (result.valid ? (
            <p>
              Audit trail intact: {result.length} events chained, head at version {result.head.version}, {result.anchorsChecked} daily anchor{result.anchorsChecked === 1 ? '' : 's'} checked ({formatDateTime(result.verifiedAt)}).
            </p>
          ) : (
            <>
              <p>
                Audit trail broken{result.brokenAtSeq !== undefined ? ` at event ${result.brokenAtSeq}` : ''}: {result.reason ?? 'see the details'}.
              </p>
              <ul>
                {(result.escalationLog ?? []).map((p) => (
                  <li key={p.escalationId}>
                    Escalation log {p.escalationId}: {p.problem}
                  </li>
                ))}
                {(result.caseState ?? []).map((p) => (
                  <li key={p.field}>
                    Case field {p.field}: {p.problem}
                  </li>
                ))}
              </ul>
            </>
          ))}
      </div>
    </section>
  );
}

/** The closed case's archive (M7.2, C4.3): what the case recorded, and the server's verification of the stored object. */
function ArchiveCheck({ reference, archive }: { reference: string; archive: ArchiveRecord }) {
  const { api } = useServices();
  const { result, error, busy, start } = useCheck<ArchiveVerification>(() => api.archive(reference));
  return (
    <section aria-labelledby="archive-heading">
      <h2 id="archive-heading">Archive</h2>
      <p>
        Archived {formatDateTime(archive.archivedAt)}, locked until {formatDateTime(archive.retainUntil)}; {archive.bytes} bytes, SHA-256 <code>{archive.sha256}</code>.
      </p>
      <button type="button" disabled={busy} onClick={start}>
        Verify archive
      </button>
      {error && <p role="alert">{error}</p>}
      <div role="status" class={result ? (result.verified ? 'audit-ok' : 'audit-broken') : undefined}>
        {result &&
          (result.verified ? (
            <p>
              Archive verified: its checksum and hash chain hold ({formatDateTime(result.verifiedAt)}).{' '}
              {result.personalData === 'erased'
                ? 'The customer’s personal data in it was erased (their key is destroyed): the non-personal record was verified.'
                : 'The customer’s sealed record was opened with their key and verified too.'}
            </p>
          ) : (
            <>
              <p>Archive not verified:</p>
              <ul>
                {result.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </>
          ))}
      </div>
    </section>
  );
}
