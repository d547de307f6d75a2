import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import { PAGE_SIZE } from '../api/endpoints';
import type { CaseSummary, QueueName } from '../api/types';
import { OPEN_STATUSES, PRIORITIES, PRIORITY_LABEL, STATUSES, STATUS_LABEL, TYPE_LABEL } from '../logic/format';
import { filtersOnClient, loadFurther, queueWording } from '../logic/filtered-paging';
import { appendPage, mergeFirstPage, neighbour } from '../logic/queue-merge';
import { filterRows, searchKind } from '../logic/queue-filter';
import { QUEUE_LABEL, searchesCustomers, worksCases } from '../logic/roles';
import type { QueueFilters } from '../logic/router';
import { RowCountdown } from './countdown';
import { go, href, recallQueue, rememberQueue } from './navigation';
import { usePolling } from './polling';
import { useServices } from './services';
import { useShortcutHandlers } from './shortcut-handlers';
import { ColumnHeads } from './column-heads';

interface SearchResult {
  /** What was searched, in words that hold no search term: "reference", "customer email". */
  what: string;
  items: CaseSummary[];
}

/**
 * One queue (M4.1, M4.2): its cases in the queue's order, each with its live countdown; filters
 * by status, type and priority; a search by reference or customer email (the terms stay in this
 * component's memory, never in the URL). It polls every 15 s with If-None-Match: an unchanged
 * queue costs a 304, a changed one is merged in without moving the selection or the scroll.
 * Where the console applies the filters itself (every queue but All open), it reads further pages
 * until a page's worth match (logic/filtered-paging.ts), so an empty first page does not read as
 * an empty queue.
 */
export function QueueScreen({ queue, filters }: { queue: QueueName; filters: QueueFilters }) {
  const { api, session } = useServices();
  const [notice, setNotice] = useState<string>();
  const remembered = recallQueue();
  const [rows, setRows] = useState<CaseSummary[]>();
  const [firstPageLength, setFirstPageLength] = useState(0);
  const [cursor, setCursor] = useState<string>();
  const [searching, setSearching] = useState(false);
  /** Bumped when the queue or the filters change: pages still arriving for the old ones are dropped. */
  const generation = useRef(0);
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string | undefined>(remembered?.queue === queue ? remembered.selected : undefined);
  const [search, setSearch] = useState<SearchResult>();
  const [searchError, setSearchError] = useState<string>();
  const [terms, setTerms] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const heading = QUEUE_LABEL[queue];
  const filterKey = JSON.stringify(filters);
  const clientSide = filtersOnClient(queue, filters);

  /** Further pages for a filter the console applies: until `want` rows match, the server has no more, or the bound is reached. */
  const searchFurther = async (start: { rows: CaseSummary[]; cursor: string | undefined }, want: number, atLeastOne: boolean) => {
    const gen = generation.current;
    const current = () => gen === generation.current;
    setSearching(true);
    try {
      await loadFurther({
        ...start,
        filters,
        clientSide,
        want,
        atLeastOne,
        fetchPage: async (next) => (await api.queue(queue, filters, next)).data,
        onPage: (page) => {
          setRows((rowsNow) => appendPage(rowsNow ?? [], page.items));
          setCursor(page.nextCursor);
        },
        cancelled: () => !current(),
      });
    } catch (e) {
      if (current()) setError(errorMessage(e));
    } finally {
      if (current()) setSearching(false);
    }
  };

  const load = async (fresh: boolean) => {
    const gen = generation.current;
    try {
      const { data, notModified } = await api.queue(queue, filters);
      if (gen !== generation.current) return;
      setError(undefined);
      if (notModified && !fresh) return;
      setRows((current) => (fresh || !current ? data.items : mergeFirstPage(current, data.items, firstPageLength)));
      setFirstPageLength(data.items.length);
      if (fresh) {
        setCursor(data.nextCursor);
        if (clientSide) await searchFurther({ rows: data.items, cursor: data.nextCursor }, PAGE_SIZE, false);
      }
    } catch (e) {
      if (gen === generation.current) setError(errorMessage(e));
    }
  };

  useEffect(() => {
    generation.current += 1;
    setSearching(false);
    setRows(undefined);
    void load(true);
    document.title = `${heading} · caseflow console`;
  }, [queue, filterKey]);
  usePolling(() => load(false), undefined, `${queue}${filterKey}`);

  const shown = search ? search.items : filterRows(rows ?? [], filters);

  useEffect(() => {
    rememberQueue({ queue, filters, caseIds: shown.map((c) => c.caseId), selected });
  });

  const focusRow = (caseId: string | undefined) => {
    setSelected(caseId);
    if (!caseId) return;
    requestAnimationFrame(() => {
      const link = document.querySelector<HTMLAnchorElement>(`tr[data-case-id="${caseId}"] a.case-link`);
      link?.focus();
      link?.closest('tr')?.scrollIntoView({ block: 'nearest' });
    });
  };

  useShortcutHandlers({
    'next-row': () => focusRow(neighbour(shown, selected, 1)),
    'previous-row': () => focusRow(neighbour(shown, selected, -1)),
    'next-case': () => focusRow(neighbour(shown, selected, 1)),
    open: () => {
      if (selected) go({ view: 'case', caseId: selected });
    },
    search: () => searchRef.current?.focus(),
    claim: () => void claimSelected(),
  });

  /** "a" on a queue: take the selected case if nobody holds it (the server refuses it otherwise, and says why). */
  const claimSelected = async () => {
    const row = shown.find((c) => c.caseId === selected);
    if (!row || row.assignee || !worksCases(session)) return;
    try {
      await api.act(row.caseId, 'claim', {}, undefined);
      setNotice(`${row.reference} is yours now.`);
      await load(true);
      focusRow(row.caseId);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const setFilter = (key: keyof QueueFilters, value: string) => {
    const next: QueueFilters = { ...filters };
    if (value === '') delete next[key];
    else Object.assign(next, { [key]: value });
    go({ view: 'queue', queue, filters: next });
  };

  const runSearch = async (e: Event) => {
    e.preventDefault();
    setSearchError(undefined);
    const kind = searchKind(terms, { customers: searchesCustomers(session) });
    try {
      if (kind.kind === 'invalid') {
        setSearchError(kind.message);
        return;
      }
      if (kind.kind === 'reference') setSearch({ what: 'that reference', items: (await api.byReference(kind.reference)).items });
      else if (kind.kind === 'email') setSearch({ what: 'that customer email', items: (await api.search({ email: kind.email })).items });
      else setSearch({ what: 'that phone number', items: (await api.search({ phone: kind.phone })).items });
    } catch (err) {
      setSearchError(errorMessage(err));
    }
  };

  /** One page more; with a filter the console applies, as many pages as it takes for a page's worth of matches more (bounded). */
  const loadMore = async () => {
    if (!cursor || searching) return;
    const loaded = rows ?? [];
    await searchFurther({ rows: loaded, cursor }, filterRows(loaded, filters).length + PAGE_SIZE, true);
  };
  const wording = queueWording({ shown: shown.length, clientSide: clientSide && !search, cursor: search ? undefined : cursor });

  return (
    <section class="queue" aria-labelledby="queue-heading">
      <div class="queue-head">
        <h1 id="queue-heading">{heading}</h1>
        <form class="search" role="search" onSubmit={(e) => void runSearch(e)}>
          <label for="search-terms">{searchesCustomers(session) ? 'Search by reference or customer email' : 'Search by reference'}</label>
          <input id="search-terms" ref={searchRef} type="search" autoComplete="off" spellcheck={false} value={terms} onInput={(e) => setTerms(e.currentTarget.value)} />
          <button type="submit">Search</button>
          {search && (
            <button
              type="button"
              onClick={() => {
                setSearch(undefined);
                setTerms('');
              }}
            >
              Clear search
            </button>
          )}
        </form>
      </div>
      {searchError && <p role="alert">{searchError}</p>}
      <div class="filters">
        <Select label="Status" value={filters.status ?? ''} onChange={(v) => setFilter('status', v)} options={(queue === 'all' ? STATUSES : OPEN_STATUSES).map((s) => [s, STATUS_LABEL[s]] as [string, string])} />
        <Select label="Type" value={filters.type ?? ''} onChange={(v) => setFilter('type', v)} options={[['inquiry', TYPE_LABEL.inquiry], ['complaint', TYPE_LABEL.complaint]]} />
        <Select label="Priority" value={filters.priority ?? ''} onChange={(v) => setFilter('priority', v)} options={PRIORITIES.map((p) => [p, PRIORITY_LABEL[p]] as [string, string])} />
      </div>
      {error && <p role="alert">{error}</p>}
      {notice && !error && <p role="status">{notice}</p>}
      {search && <p class="search-note" role="status">{search.items.length === 0 ? `No case found for ${search.what}.` : `${search.items.length} case${search.items.length === 1 ? '' : 's'} found for ${search.what}.`}</p>}
      {!rows && !search && !error && <p role="status">Loading the queue…</p>}
      {(rows || search) &&
        (shown.length > 0 ? (
          <CaseTable rows={shown} selected={selected} onSelect={setSelected} />
        ) : searching && clientSide && !search ? null : (
          <p class="empty">{wording.empty}</p>
        ))}
      {!search && searching && clientSide && <p role="status">Searching further pages for cases that match these filters…</p>}
      {!search && wording.loadMore && (
        <button type="button" disabled={searching} onClick={() => void loadMore()}>
          {wording.loadMore}
        </button>
      )}
    </section>
  );
}

function Select({ label, value, options, onChange }: { label: string; value: string; options: [string, string][]; onChange: (value: string) => void }) {
  const id = `filter-${label.toLowerCase()}`;
  return (
    <span class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">Any</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </span>
  );
}

export function CaseTable({ rows, selected, onSelect, labelledBy = 'queue-heading' }: { rows: CaseSummary[]; selected?: string | undefined; onSelect?: (caseId: string) => void; labelledBy?: string }) {
  return (
    <table class="cases" aria-labelledby={labelledBy}>
      <ColumnHeads names={['Reference', 'Subject', 'Customer', 'Type', 'Priority', 'Status', 'Assignee', 'Next deadline']} />
      <tbody>
        {rows.map((c) => (
          <tr key={c.caseId} data-case-id={c.caseId} class={c.caseId === selected ? 'selected' : undefined} aria-current={c.caseId === selected ? 'true' : undefined}>
            <td data-label="Reference">
              <a class="case-link" href={href({ view: 'case', caseId: c.caseId })} onFocus={() => onSelect?.(c.caseId)}>
                {c.reference}
              </a>
            </td>
            <td data-label="Subject" class="subject">
              {c.subject}
            </td>
            <td data-label="Customer">{c.customerName ?? <span class="muted">Not shown</span>}</td>
            <td data-label="Type">{TYPE_LABEL[c.type]}</td>
            <td data-label="Priority">
              <span class={`priority priority-${c.priority}`}>{PRIORITY_LABEL[c.priority]}</span>
            </td>
            <td data-label="Status">{STATUS_LABEL[c.status]}</td>
            <td data-label="Assignee">{c.assignee ? (c.assignee.name ?? c.assignee.id) : <span class="muted">Unassigned</span>}</td>
            <td data-label="Next deadline">
              <RowCountdown summary={c} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
