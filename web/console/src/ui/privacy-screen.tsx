import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/client';
import type { PrivacyOutcome, PrivacyTerms } from '../api/endpoints';
import type { PrivacyRequestKind } from '../api/types';
import { checkSubject, REQUEST_KIND_LABEL, SUBJECT_FIELD_LABEL, SUBJECT_KIND_LABEL, type SubjectKind } from '../logic/privacy';
import { LegalHoldForms } from './legal-hold-forms';
import { PrivacyRequestList } from './privacy-request-list';
import { RequestRecord } from './privacy-request-view';
import { useServices } from './services';

/**
 * Customers' GDPR requests (M5.1, C6.1; docs/privacy.md), the admins' screen: an access request
 * (everything held about an email address or phone number, as one zip to download) or an erasure
 * (after an explicit confirmation), the outcome, legal holds, and the requests' records.
 *
 * The address or number typed lives in this component's memory only: it goes to the API in a
 * request body, never in the console's URL, storage or the browser's form history, and the field
 * is emptied once a request has run. A failed request keeps it in memory for "Run again" alone.
 */
export function PrivacyScreen() {
  const { api } = useServices();
  const [kind, setKind] = useState<SubjectKind>('email');
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [confirming, setConfirming] = useState<PrivacyTerms>();
  const [verified, setVerified] = useState(false);
  const [verifyError, setVerifyError] = useState<string>();
  const [busy, setBusy] = useState<PrivacyRequestKind>();
  const [result, setResult] = useState<{ kind: PrivacyRequestKind; outcome: PrivacyOutcome }>();
  const [runError, setRunError] = useState<string>();
  /** The failed request, to run again: in memory only. */
  const [retry, setRetry] = useState<{ kind: PrivacyRequestKind; terms: PrivacyTerms }>();
  const [reloadKey, setReloadKey] = useState(0);
  const [holdPrefill, setHoldPrefill] = useState<{ caseId: string; at: number }>();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const confirmBox = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Privacy requests · caseflow console';
    // Names for "asked by"; the ids serve if the list cannot be had.
    api
      .staff('admins')
      .then((staff) => setNames(new Map(staff.filter((s) => s.name).map((s) => [s.id, s.name ?? s.id]))))
      .catch(() => undefined);
  }, [api]);

  useEffect(() => {
    if (result || runError) resultHeading.current?.focus();
  }, [result, runError]);

  useEffect(() => {
    if (confirming) confirmBox.current?.focus();
  }, [confirming]);

  const field = SUBJECT_FIELD_LABEL[kind];

  const checked = (): PrivacyTerms | undefined => {
    const check = checkSubject(kind, value);
    if (!check.ok) {
      setFieldError(check.message);
      document.getElementById('privacy-subject')?.focus();
      return undefined;
    }
    setFieldError(undefined);
    return check.terms;
  };

  const run = async (requestKind: PrivacyRequestKind, terms: PrivacyTerms) => {
    setBusy(requestKind);
    setResult(undefined);
    setRunError(undefined);
    try {
      const outcome = await api.privacyRequest(requestKind, terms);
      setResult({ kind: requestKind, outcome });
      setRetry(outcome.outcome === 'failed' ? { kind: requestKind, terms } : undefined);
      // The request ran (done, refused or failed): the address leaves the screen.
      setValue('');
      setConfirming(undefined);
      setVerified(false);
      setReloadKey((k) => k + 1);
    } catch (e) {
      // Not run (invalid input, no answer): the address stays for the admin to correct or try again.
      const issue = e instanceof ApiError ? e.issues[0] : undefined;
      setRunError(issue ? `${field}: ${issue.message}` : errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };

  const startErasure = () => {
    setResult(undefined);
    setRunError(undefined);
    const terms = checked();
    if (!terms) return;
    setVerified(false);
    setVerifyError(undefined);
    setConfirming(terms);
  };

  const confirmErasure = () => {
    if (!confirming) return;
    if (!verified) {
      setVerifyError("Confirm that you have verified the requester's identity before erasing.");
      confirmBox.current?.focus();
      return;
    }
    setVerifyError(undefined);
    void run('erasure', confirming);
  };

  const switchKind = (next: SubjectKind) => {
    setKind(next);
    setValue('');
    setFieldError(undefined);
    setConfirming(undefined);
  };

  return (
    <section aria-labelledby="privacy-heading" class="privacy">
      <h1 id="privacy-heading">Privacy requests</h1>
      <p class="hint">A customer's right of access and right to erasure (GDPR art. 15 and 17). Check who is asking first, outside caseflow: the request must come from the customer or someone entitled to act for them.</p>
      <form
        class="action-form"
        aria-labelledby="new-request-heading"
        onSubmit={(e) => {
          e.preventDefault();
          const terms = checked();
          if (terms) void run('access', terms);
        }}
      >
        <h2 id="new-request-heading">New request</h2>
        <fieldset class="plain-fieldset">
          <legend>Find the customer by</legend>
          <div class="field-row">
            {(['email', 'phone'] as const).map((k) => (
              <span class="check" key={k}>
                <input id={`privacy-kind-${k}`} type="radio" name="privacy-kind" value={k} checked={kind === k} disabled={busy !== undefined} onChange={() => switchKind(k)} />
                <label for={`privacy-kind-${k}`}>{SUBJECT_KIND_LABEL[k]}</label>
              </span>
            ))}
          </div>
        </fieldset>
        <div class="field-block">
          <label for="privacy-subject">{field}</label>
          <input
            id="privacy-subject"
            // Text with the right keyboard: the console checks it and names the field (not the browser's own bubble).
            type="text"
            inputMode={kind === 'email' ? 'email' : 'tel'}
            // Not kept in the browser's form history: it is a customer's address.
            autoComplete="off"
            spellcheck={false}
            value={value}
            readOnly={confirming !== undefined || busy !== undefined}
            aria-invalid={fieldError ? 'true' : undefined}
            aria-describedby={fieldError ? 'privacy-subject-error' : undefined}
            onInput={(e) => {
              setValue(e.currentTarget.value);
              if (fieldError) setFieldError(undefined);
            }}
          />
          {fieldError && (
            <p id="privacy-subject-error" class="field-error">
              {fieldError}
            </p>
          )}
        </div>
        {!confirming && (
          <div class="form-buttons">
            <button type="submit" class="primary" disabled={busy !== undefined}>
              Export their data (access)
            </button>
            <button type="button" class="danger" disabled={busy !== undefined} onClick={startErasure}>
              Erase their data
            </button>
          </div>
        )}
        {confirming && (
          <div class="confirm" role="group" aria-labelledby="erase-confirm-title">
            <h3 id="erase-confirm-title">Erase this customer's personal data?</h3>
            <p>
              <strong>Erased</strong>, from every case, file and index found by this {kind === 'email' ? 'address' : 'number'} and by the other addresses and numbers those cases name: the customer's name, address and number, subjects,
              messages and replies, order references, notes, call transcripts, attachments and raw mail, and earlier access exports. The keys that seal their archives are destroyed, so nothing personal can be read
              from the archives again.
            </p>
            <p>
              <strong>Kept</strong>: the non-personal record the five-year audit needs (M7.2, C4.3): dates, types, channels, SLA deadlines and outcomes, who handled what, escalation facts, and the hash chain, which
              still verifies; and this request's record (a digest of the {kind === 'email' ? 'address' : 'number'}, not the {kind === 'email' ? 'address' : 'number'} itself).
            </p>
            <p>If any case is under a legal hold, not closed, or still being archived, the whole request is refused and nothing is changed. An erasure cannot be undone.</p>
            <div class="check">
              <input
                id="erase-verified"
                ref={confirmBox}
                type="checkbox"
                checked={verified}
                aria-invalid={verifyError ? 'true' : undefined}
                aria-describedby={verifyError ? 'erase-verified-error' : undefined}
                onChange={(e) => {
                  setVerified(e.currentTarget.checked);
                  if (e.currentTarget.checked) setVerifyError(undefined);
                }}
              />
              <label for="erase-verified">I have verified the requester's identity</label>
            </div>
            {verifyError && (
              <p id="erase-verified-error" class="field-error">
                {verifyError}
              </p>
            )}
            <div class="form-buttons">
              <button type="button" class="danger" disabled={busy !== undefined} onClick={confirmErasure}>
                Erase permanently
              </button>
              <button type="button" disabled={busy !== undefined} onClick={() => setConfirming(undefined)}>
                Cancel
              </button>
            </div>
          </div>
        )}
        {busy && (
          <p role="status">{busy === 'access' ? 'Exporting everything held about the customer… this can take up to 30 seconds.' : 'Erasing the customer’s personal data… this can take up to 30 seconds.'}</p>
        )}
      </form>

      {runError && (
        <section class="action-form result" aria-labelledby="result-heading">
          <h2 id="result-heading" ref={resultHeading} tabIndex={-1}>
            The request was not run
          </h2>
          <p role="alert" class="alert">
            {runError}
          </p>
        </section>
      )}
      {result && (
        <section class={`action-form result result-${result.outcome.outcome}`} aria-labelledby="result-heading">
          <h2 id="result-heading" ref={resultHeading} tabIndex={-1}>
            {resultTitle(result.kind, result.outcome)}
          </h2>
          {result.outcome.outcome === 'refused' && (
            // The API's message repeats each case's detail, listed below: said once, shortly, here.
            <p role="alert" class="alert notice">
              Every case must be erasable for an erasure to run: {result.outcome.request.blockedBy?.length ?? 0} case{result.outcome.request.blockedBy?.length === 1 ? '' : 's'} stopped it. Nothing was changed; the refusal is on
              record.
            </p>
          )}
          {result.outcome.outcome === 'failed' && (
            <p role="alert" class="alert">
              {result.outcome.error}
            </p>
          )}
          {result.outcome.outcome === 'failed' && retry && (
            <div class="form-buttons">
              <button type="button" class="primary" disabled={busy !== undefined} onClick={() => void run(retry.kind, retry.terms)}>
                Run again
              </button>
            </div>
          )}
          <RequestRecord request={result.outcome.request} download={result.outcome.outcome === 'completed' ? result.outcome.download : undefined} names={names} onHoldCase={(caseId) => setHoldPrefill({ caseId, at: Date.now() })} />
        </section>
      )}

      <LegalHoldForms prefill={holdPrefill} />
      <PrivacyRequestList reloadKey={reloadKey} names={names} onHoldCase={(caseId) => setHoldPrefill({ caseId, at: Date.now() })} />
    </section>
  );
}

function resultTitle(kind: PrivacyRequestKind, o: PrivacyOutcome): string {
  if (o.outcome === 'refused') return 'Erasure refused: nothing was changed';
  if (o.outcome === 'failed') return `${REQUEST_KIND_LABEL[kind]} request failed`;
  return kind === 'access' ? 'Access request completed: the export is ready' : 'Erasure completed';
}
