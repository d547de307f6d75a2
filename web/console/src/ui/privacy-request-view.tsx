import type { ExportDownload, PrivacyRequest } from '../api/types';
import { ACTOR_LABEL, formatDateTime } from '../logic/format';
import { BLOCKER_LABEL, describeCounts, describeErasure, REQUEST_KIND_LABEL, REQUEST_STATUS_LABEL, SUBJECT_KIND_LABEL } from '../logic/privacy';
import { describeHold, holdPlacedOn, ReleaseHoldButton } from './legal-hold-forms';

/** Who asked: the admin's name when the staff list has it, else their id. */
export const askedBy = (r: PrivacyRequest, names: ReadonlyMap<string, string>): string => (r.requestedBy.id ? (names.get(r.requestedBy.id) ?? r.requestedBy.id) : ACTOR_LABEL[r.requestedBy.kind]);

/** An access export's 15-minute link: the browser saves the zip (the link answers Content-Disposition: attachment). */
export function DownloadLink({ download }: { download: ExportDownload }) {
  return (
    <p class="download">
      <a href={download.url} download={download.filename} rel="noopener noreferrer">
        Download {download.filename}
      </a>{' '}
      <span class="muted">(the link works until {formatDateTime(download.expiresAt)}; open the request in the list below for a fresh one)</span>
    </p>
  );
}

/**
 * One privacy request's record in words (docs/privacy.md, "What the request record keeps"): its
 * facts, the export's link while it exists, what an erasure erased or which cases refused it (a
 * held case with its "Release hold"), and the cases it found, each of which can be held.
 */
export function RequestRecord({ request: r, download, names, onHoldCase }: { request: PrivacyRequest; download?: ExportDownload | undefined; names: ReadonlyMap<string, string>; onHoldCase: (caseId: string) => void }) {
  return (
    <div class="request-record">
      {download && <DownloadLink download={download} />}
      {r.kind === 'access' && r.status === 'completed' && <p>Exported: {describeCounts(r)}.</p>}
      {r.kind === 'access' && r.status === 'completed' && (
        <p class="hint">Review the export before sending it to the customer: it holds staff notes and names too (GDPR art. 15(4)). Send it by a secure channel within a month of the request.</p>
      )}
      {r.erased && (
        <ul class="erased" aria-label="What was erased">
          {describeErasure(r.erased).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {r.blockedBy && r.blockedBy.length > 0 && (
        <ul class="blockers" aria-label="Cases that stopped the erasure">
          {r.blockedBy.map((b) => (
            <li key={b.caseId} class="blocker">
              <p>
                <strong>{b.reference}</strong> · <span class="blocker-reason">{BLOCKER_LABEL[b.reason]}</span>
                {b.hold && (
                  <span class="muted">
                    {' '}
                    ({describeHold(b.hold)}, {holdPlacedOn(b.hold)})
                  </span>
                )}
              </p>
              <p class="blocker-detail">{b.detail}</p>
              {b.reason === 'legal-hold' && <ReleaseHoldButton caseId={b.caseId} reference={b.reference} />}
            </li>
          ))}
        </ul>
      )}
      {r.failure && <p>Why it failed: {r.failure}</p>}
      {r.notRecordedOn && r.notRecordedOn.length > 0 && <p class="hint">{r.notRecordedOn.length} case(s) expired from the table: their trail could not record the export (their archive is in it).</p>}
      {r.missingFiles !== undefined && r.missingFiles > 0 && <p class="hint">{r.missingFiles} file(s) the cases name were not in storage (the export's manifest lists them).</p>}
      <dl class="case-facts">
        <div>
          <dt>Request</dt>
          <dd>
            <code>{r.requestId}</code>
          </dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{REQUEST_KIND_LABEL[r.kind]}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{REQUEST_STATUS_LABEL[r.status]}</dd>
        </div>
        <div>
          <dt>Asked by</dt>
          <dd>{askedBy(r, names)}</dd>
        </div>
        <div>
          <dt>Asked</dt>
          <dd>{formatDateTime(r.requestedAt)}</dd>
        </div>
        <div>
          <dt>Subject</dt>
          <dd>
            {SUBJECT_KIND_LABEL[r.subject.kind]}, digest <code class="digest">{r.subject.digest}</code>
          </dd>
        </div>
        {r.exportExpiresAt && (
          <div>
            <dt>Export kept until</dt>
            <dd>{formatDateTime(r.exportExpiresAt)}</dd>
          </div>
        )}
        {r.subjects && r.subjects.length > 1 && (
          <div>
            <dt>Subjects reached</dt>
            <dd>{r.subjects.length} (addresses and numbers its cases named)</dd>
          </div>
        )}
      </dl>
      {r.caseIds.length > 0 && (
        <details class="case-ids">
          <summary>
            {r.caseIds.length} case{r.caseIds.length === 1 ? '' : 's'} found
          </summary>
          <ul class="plain">
            {r.caseIds.map((caseId) => (
              <li key={caseId}>
                <code>{caseId}</code>{' '}
                <button type="button" onClick={() => onHoldCase(caseId)}>
                  Hold case {caseId.slice(0, 8)}…
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
