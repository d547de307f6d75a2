import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { ExportDownload, PrivacyRequest } from '../api/types';
import { formatDateTime } from '../logic/format';
import { REQUEST_KIND_LABEL, REQUEST_STATUS_LABEL, shortDigest, SUBJECT_KIND_LABEL, summariseRequest } from '../logic/privacy';
import { SERVER_CLOCK } from '../logic/server-clock';
import { ColumnHeads } from './column-heads';
import { askedBy, RequestRecord } from './privacy-request-view';
import { useServices } from './services';

/**
 * The privacy requests' records, newest first, a page at a time (GET /v1/privacy/requests): the
 * admins' accountability list. A row opens the record (GET /v1/privacy/requests/{id}), with a
 * fresh download link while the export exists. Rows show the subject's kind and the start of its
 * digest: the records hold no address.
 */
export function PrivacyRequestList({ reloadKey, names, onHoldCase }: { reloadKey: number; names: ReadonlyMap<string, string>; onHoldCase: (caseId: string) => void }) {
  const { api } = useServices();
  const [items, setItems] = useState<PrivacyRequest[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<{ request: PrivacyRequest; download?: ExportDownload | undefined }>();
  const [opening, setOpening] = useState<string>();
  const detailHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    api
      .privacyRequests()
      .then((page) => {
        setItems(page.items);
        setCursor(page.nextCursor);
        setError(undefined);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [api, reloadKey]);

  useEffect(() => {
    if (open) detailHeading.current?.focus();
  }, [open]);

  const more = async () => {
    if (!cursor) return;
    try {
      const page = await api.privacyRequests(cursor);
      setItems((current) => [...(current ?? []), ...page.items.filter((r) => !current?.some((c) => c.requestId === r.requestId))]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const show = async (requestId: string) => {
    setOpening(requestId);
    setError(undefined);
    try {
      setOpen(await api.privacyRequestDetail(requestId));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setOpening(undefined);
    }
  };

  const now = SERVER_CLOCK.now(Date.now());
  return (
    <section aria-labelledby="requests-heading">
      <h2 id="requests-heading">Past requests</h2>
      {error && <p role="alert">{error}</p>}
      {!items && !error && <p role="status">Loading the requests…</p>}
      {items && items.length === 0 && <p class="empty">No privacy request yet.</p>}
      {items && items.length > 0 && (
        <table class="log requests" aria-labelledby="requests-heading">
          <ColumnHeads names={['When', 'Kind', 'Status', 'Asked by', 'Subject', 'Counts', 'Record']} />
          <tbody>
            {items.map((r) => (
              <tr key={r.requestId} data-request-id={r.requestId} class={open?.request.requestId === r.requestId ? 'selected' : undefined} onClick={() => void show(r.requestId)}>
                <td data-label="When">{formatDateTime(r.requestedAt, { nowMs: now, short: true })}</td>
                <td data-label="Kind">{REQUEST_KIND_LABEL[r.kind]}</td>
                <td data-label="Status">{REQUEST_STATUS_LABEL[r.status]}</td>
                <td data-label="Asked by">{askedBy(r, names)}</td>
                <td data-label="Subject">
                  <span>
                    {SUBJECT_KIND_LABEL[r.subject.kind]} <code class="digest">{shortDigest(r.subject.digest)}</code>
                  </span>
                </td>
                <td data-label="Counts">{summariseRequest(r)}</td>
                <td data-label="Record">
                  <button
                    type="button"
                    disabled={opening === r.requestId}
                    onClick={(e) => {
                      e.stopPropagation();
                      void show(r.requestId);
                    }}
                  >
                    Open<span class="visually-hidden"> the {REQUEST_KIND_LABEL[r.kind].toLowerCase()} request of {formatDateTime(r.requestedAt)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" onClick={() => void more()}>
          More
        </button>
      )}
      {open && (
        <section class="action-form" aria-labelledby="request-detail-heading">
          <h3 id="request-detail-heading" ref={detailHeading} tabIndex={-1}>
            {REQUEST_KIND_LABEL[open.request.kind]} request of {formatDateTime(open.request.requestedAt)}: {REQUEST_STATUS_LABEL[open.request.status].toLowerCase()}
          </h3>
          {open.request.kind === 'access' && open.request.status === 'completed' && !open.download && <p class="muted">The export is gone (kept 7 days): no link can be given. Ask again for a new one.</p>}
          <RequestRecord request={open.request} download={open.download} names={names} onHoldCase={onHoldCase} />
          <div class="form-buttons">
            <button type="button" onClick={() => setOpen(undefined)}>
              Close the record
            </button>
          </div>
        </section>
      )}
    </section>
  );
}
