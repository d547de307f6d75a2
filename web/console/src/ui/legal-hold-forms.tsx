import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { LegalHold, LegalHoldBasis } from '../api/types';
import { formatDate } from '../logic/format';
import { checkHold, checkRelease, HOLD_BASES, HOLD_BASIS_LABEL, type HoldDraft } from '../logic/privacy';
import { useServices } from './services';

/** "Litigation, claim 2024-118": a hold's basis and matter (never its note: the record does not keep it). */
export const describeHold = (hold: Pick<LegalHold, 'basis' | 'matter'>): string => `${HOLD_BASIS_LABEL[hold.basis]}${hold.matter ? `, ${hold.matter}` : ''}`;

type Outcome = { ok: true; text: string } | { ok: false; text: string };
type FieldError = { field: string; message: string };

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={id} class="field-error">
      {error}
    </p>
  );
}

function OutcomeLine({ outcome }: { outcome: Outcome | undefined }) {
  if (!outcome) return null;
  return outcome.ok ? (
    <p role="status" class="done">
      {outcome.text}
    </p>
  ) : (
    <p role="alert" class="alert">
      {outcome.text}
    </p>
  );
}

/**
 * Legal holds (GDPR art. 17(3)(e); docs/privacy.md): place one on a case by its id, or release it.
 * Admins cannot read cases, so the case id comes from a request's record (its cases, its
 * `blockedBy`) or from whoever asked for the hold. The API's refusal (held already, not held,
 * erased, no such case) is shown in its own words.
 */
export function LegalHoldForms({ prefill }: { prefill: { caseId: string; at: number } | undefined }) {
  const { api } = useServices();
  const [hold, setHold] = useState<HoldDraft>({ caseId: '', basis: '', matter: '', note: '' });
  const [holdError, setHoldError] = useState<FieldError>();
  const [holdOutcome, setHoldOutcome] = useState<Outcome>();
  const [release, setRelease] = useState({ caseId: '', note: '' });
  const [releaseError, setReleaseError] = useState<FieldError>();
  const [releaseOutcome, setReleaseOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const caseIdRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!prefill) return;
    setHold((h) => ({ ...h, caseId: prefill.caseId }));
    setHoldError(undefined);
    setHoldOutcome(undefined);
    caseIdRef.current?.focus();
    caseIdRef.current?.scrollIntoView({ block: 'center' });
  }, [prefill]);

  const place = async () => {
    setHoldOutcome(undefined);
    const checked = checkHold(hold);
    if (!checked.ok) {
      setHoldError(checked);
      return;
    }
    setHoldError(undefined);
    setBusy(true);
    try {
      const changed = await api.placeLegalHold(checked.caseId, checked.body);
      setHoldOutcome({ ok: true, text: `${changed.reference} is under a legal hold now (${changed.legalHold ? describeHold(changed.legalHold) : HOLD_BASIS_LABEL[checked.body.basis]}). Erasure requests that reach it are refused until it is released.` });
      setHold({ caseId: '', basis: '', matter: '', note: '' });
    } catch (e) {
      setHoldOutcome({ ok: false, text: `The hold was not placed: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };

  const lift = async () => {
    setReleaseOutcome(undefined);
    const checked = checkRelease(release);
    if (!checked.ok) {
      setReleaseError(checked);
      return;
    }
    setReleaseError(undefined);
    setBusy(true);
    try {
      const changed = await api.releaseLegalHold(checked.caseId, checked.body);
      setReleaseOutcome({ ok: true, text: `The legal hold on ${changed.reference} is released.` });
      setRelease({ caseId: '', note: '' });
    } catch (e) {
      setReleaseOutcome({ ok: false, text: `The hold was not released: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };

  const err = (e: FieldError | undefined, field: string) => (e?.field === field ? e.message : undefined);
  const invalid = (e: FieldError | undefined, field: string) => (e?.field === field ? 'true' : undefined);

  return (
    <section aria-labelledby="holds-heading">
      <h2 id="holds-heading">Legal holds</h2>
      <p class="hint">A hold stops erasure only: the case is kept as it is while a claim, a regulator or an investigation needs it. It does not extend the retention period.</p>
      <div class="hold-forms">
        <form
          class="action-form"
          aria-labelledby="place-hold-heading"
          onSubmit={(e) => {
            e.preventDefault();
            void place();
          }}
        >
          <h3 id="place-hold-heading">Place a legal hold</h3>
          <div class="field-block">
            <label for="hold-case">Case id</label>
            <input
              id="hold-case"
              ref={caseIdRef}
              type="text"
              autoComplete="off"
              spellcheck={false}
              value={hold.caseId}
              aria-invalid={invalid(holdError, 'caseId')}
              aria-describedby={holdError?.field === 'caseId' ? 'hold-case-error' : undefined}
              onInput={(e) => setHold({ ...hold, caseId: e.currentTarget.value })}
            />
            <FieldError id="hold-case-error" error={err(holdError, 'caseId')} />
          </div>
          <div class="field-block">
            <label for="hold-basis">Basis</label>
            <select id="hold-basis" value={hold.basis} aria-invalid={invalid(holdError, 'basis')} aria-describedby={holdError?.field === 'basis' ? 'hold-basis-error' : undefined} onChange={(e) => setHold({ ...hold, basis: e.currentTarget.value as LegalHoldBasis | '' })}>
              <option value="">Choose…</option>
              {HOLD_BASES.map((b) => (
                <option key={b} value={b}>
                  {HOLD_BASIS_LABEL[b]}
                </option>
              ))}
            </select>
            <FieldError id="hold-basis-error" error={err(holdError, 'basis')} />
          </div>
          <div class="field-block">
            <label for="hold-matter">Matter (optional)</label>
            <p class="hint" id="hold-matter-hint">
              The claim's or regulator's own reference, so the hold can be traced and released.
            </p>
            <input id="hold-matter" type="text" maxLength={100} value={hold.matter} aria-invalid={invalid(holdError, 'matter')} aria-describedby={holdError?.field === 'matter' ? 'hold-matter-hint hold-matter-error' : 'hold-matter-hint'} onInput={(e) => setHold({ ...hold, matter: e.currentTarget.value })} />
            <FieldError id="hold-matter-error" error={err(holdError, 'matter')} />
          </div>
          <div class="field-block">
            <label for="hold-note">Note (optional)</label>
            <textarea id="hold-note" rows={2} value={hold.note} aria-invalid={invalid(holdError, 'note')} aria-describedby={holdError?.field === 'note' ? 'hold-note-error' : undefined} onInput={(e) => setHold({ ...hold, note: e.currentTarget.value })} />
            <FieldError id="hold-note-error" error={err(holdError, 'note')} />
          </div>
          <div class="form-buttons">
            <button type="submit" class="primary" disabled={busy}>
              Place hold
            </button>
          </div>
          <OutcomeLine outcome={holdOutcome} />
        </form>
        <form
          class="action-form"
          aria-labelledby="release-hold-heading"
          onSubmit={(e) => {
            e.preventDefault();
            void lift();
          }}
        >
          <h3 id="release-hold-heading">Release a legal hold</h3>
          <div class="field-block">
            <label for="release-case">Case id</label>
            <input
              id="release-case"
              type="text"
              autoComplete="off"
              spellcheck={false}
              value={release.caseId}
              aria-invalid={invalid(releaseError, 'caseId')}
              aria-describedby={releaseError?.field === 'caseId' ? 'release-case-error' : undefined}
              onInput={(e) => setRelease({ ...release, caseId: e.currentTarget.value })}
            />
            <FieldError id="release-case-error" error={err(releaseError, 'caseId')} />
          </div>
          <div class="field-block">
            <label for="release-note">Note (optional)</label>
            <textarea id="release-note" rows={2} value={release.note} aria-invalid={invalid(releaseError, 'note')} aria-describedby={releaseError?.field === 'note' ? 'release-note-error' : undefined} onInput={(e) => setRelease({ ...release, note: e.currentTarget.value })} />
            <FieldError id="release-note-error" error={err(releaseError, 'note')} />
          </div>
          <div class="form-buttons">
            <button type="submit" disabled={busy}>
              Release hold
            </button>
          </div>
          <OutcomeLine outcome={releaseOutcome} />
        </form>
      </div>
    </section>
  );
}

/**
 * "Release hold" on a case that stopped an erasure: a confirm step first (with an optional note),
 * then DELETE …/legal-hold. Once released, the admin asks for the erasure again.
 */
export function ReleaseHoldButton({ caseId, reference }: { caseId: string; reference: string }) {
  const { api } = useServices();
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (confirming) noteRef.current?.focus();
  }, [confirming]);
  if (outcome?.ok) return <OutcomeLine outcome={outcome} />;
  const id = `release-${caseId}`;
  const release = async () => {
    const checked = checkRelease({ caseId, note });
    if (!checked.ok) {
      setOutcome({ ok: false, text: checked.message });
      return;
    }
    setBusy(true);
    try {
      const changed = await api.releaseLegalHold(checked.caseId, checked.body);
      setOutcome({ ok: true, text: `The legal hold on ${changed.reference} is released: ask for the erasure again once nothing else stops it.` });
    } catch (e) {
      setOutcome({ ok: false, text: `The hold was not released: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="release-hold">
      {!confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>
          Release hold on {reference}
        </button>
      ) : (
        <div role="group" aria-labelledby={`${id}-title`} class="confirm">
          <p id={`${id}-title`}>
            <strong>Release the legal hold on {reference}?</strong> Its data is no longer kept for the legal claim: a later erasure request erases it.
          </p>
          <div class="field-block">
            <label for={`${id}-note`}>Note on the release (optional)</label>
            <textarea id={`${id}-note`} ref={noteRef} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </div>
          <div class="form-buttons">
            <button type="button" class="primary" disabled={busy} onClick={() => void release()}>
              Confirm release
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <OutcomeLine outcome={outcome} />
    </div>
  );
}

export const holdPlacedOn = (hold: LegalHold): string => `placed by ${hold.placedBy} on ${formatDate(hold.placedAt)}`;
