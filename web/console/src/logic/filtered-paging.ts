import type { CaseSummary, QueueName } from '../api/types';
import { appendPage } from './queue-merge';
import { filterRows } from './queue-filter';
import type { QueueFilters } from './router';

/**
 * Paging a queue the console filters itself. Only *All open* takes filters at the API; on the
 * other queues the console narrows the rows it has loaded, so the first page may hold no match
 * while later pages hold many. While such a filter is on, the console reads further pages by
 * itself until a page's worth of rows match or the server has no more, bounded per action of the
 * person (the first load, a change of filter, "Load more") so a large queue with few matches costs
 * a bounded number of requests before the person is asked to go on.
 */

/** Pages read, at most, for one action of the person before asking them to go on. */
export const SEARCH_FURTHER_PAGES = 10;

/** Whether the console, not the API, applies the queue's filters (any filter on any queue but All open). */
export function filtersOnClient(queue: QueueName, filters: QueueFilters): boolean {
  return queue !== 'all' && (filters.status !== undefined || filters.type !== undefined || filters.priority !== undefined);
}

export interface PageAnswer {
  items: CaseSummary[];
  nextCursor?: string | undefined;
}

export interface LoadFurther {
  /** The rows loaded so far (first page and any further ones) and the cursor to the next page. */
  rows: readonly CaseSummary[];
  cursor: string | undefined;
  filters: QueueFilters;
  /** The console applies the filters (filtersOnClient): read on until `want` rows match. */
  clientSide: boolean;
  /** How many matching rows would fill the screen: a page after a first load, one page more after "Load more". */
  want: number;
  /** Read one page even if enough rows match already ("Load more" always loads). */
  atLeastOne: boolean;
  fetchPage(cursor: string): Promise<PageAnswer>;
  /** Each page read, as it comes (the screen shows the matches at once). */
  onPage?(page: PageAnswer): void;
  /** The person moved on (another queue or filter): read nothing more. */
  cancelled?(): boolean;
  maxPages?: number;
}

export interface LoadedFurther {
  rows: CaseSummary[];
  cursor: string | undefined;
  /** Pages read by this action. */
  pages: number;
}

/** Reads further pages while a client-side filter has fewer than `want` matches and the server has more, within the bound. */
export async function loadFurther(opts: LoadFurther): Promise<LoadedFurther> {
  const maxPages = opts.maxPages ?? SEARCH_FURTHER_PAGES;
  let rows = [...opts.rows];
  let cursor = opts.cursor;
  let pages = 0;
  const wanted = () => (pages === 0 && opts.atLeastOne) || (opts.clientSide && filterRows(rows, opts.filters).length < opts.want);
  while (cursor && pages < maxPages && wanted() && !opts.cancelled?.()) {
    const page = await opts.fetchPage(cursor);
    if (opts.cancelled?.()) break;
    pages += 1;
    rows = appendPage(rows, page.items);
    cursor = page.nextCursor;
    opts.onPage?.(page);
  }
  return { rows, cursor, pages };
}

/** What the queue says under its filters, in words: when nothing shows, and on its "Load more" button. */
export interface QueueWording {
  /** Shown instead of the table when no row shows; undefined when rows show. */
  empty: string | undefined;
  /** The "Load more" button's text; undefined when the server has no more. */
  loadMore: string | undefined;
}

export function queueWording(state: { shown: number; clientSide: boolean; cursor: string | undefined }): QueueWording {
  const more = state.cursor !== undefined;
  let empty: string | undefined;
  if (state.shown === 0) {
    if (!state.clientSide) empty = 'No cases in this queue';
    else if (more) empty = 'No loaded case matches these filters — Load more to search further';
    else empty = 'No case in this queue matches these filters';
  }
  const loadMore = more ? (state.clientSide ? 'Load more — search further for matching cases' : 'Load more cases') : undefined;
  return { empty, loadMore };
}
