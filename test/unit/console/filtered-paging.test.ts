import type { CaseSummary } from '../../../web/console/src/api/types';
import { filtersOnClient, loadFurther, queueWording, SEARCH_FURTHER_PAGES, type PageAnswer } from '../../../web/console/src/logic/filtered-paging';
import { filterRows } from '../../../web/console/src/logic/queue-filter';
import { mergeFirstPage } from '../../../web/console/src/logic/queue-merge';
import type { QueueFilters } from '../../../web/console/src/logic/router';
import { summary } from './fixtures';

const PAGE = 25;
const complaints: QueueFilters = { type: 'complaint' };

/**
 * A queue on the server as pages of 25: `complaintsPerPage[i]` of page i's rows are complaints, the
 * rest inquiries. The cursor names the next page; the fake counts the pages asked for.
 */
function queueServer(complaintsPerPage: number[]) {
  const pages = complaintsPerPage.map((n, p) =>
    Array.from({ length: PAGE }, (_, i) => summary({ caseId: `case-${p}-${i}`, reference: `CS-${String(p * PAGE + i).padStart(6, '0')}`, type: i < n ? 'complaint' : 'inquiry' })),
  );
  const answer = (p: number): PageAnswer => ({ items: pages[p] ?? [], ...(p + 1 < pages.length ? { nextCursor: `page-${p + 1}` } : {}) });
  const fetchPage = jest.fn(async (cursor: string) => answer(Number(cursor.replace('page-', ''))));
  return { first: answer(0), fetchPage };
}

/** The screen's first load: the first page, then what the console reads further by itself. */
async function firstLoad(server: ReturnType<typeof queueServer>, filters: QueueFilters, clientSide = true) {
  const { items, nextCursor } = server.first;
  return loadFurther({ rows: items, cursor: nextCursor, filters, clientSide, want: PAGE, atLeastOne: false, fetchPage: server.fetchPage });
}

describe('a queue filtered by the console reads further pages rather than look empty', () => {
  it('applies the filters on the console on every queue but All open, and only when one is chosen', () => {
    expect(filtersOnClient('mine', complaints)).toBe(true);
    expect(filtersOnClient('breaching', { priority: 'high' })).toBe(true);
    expect(filtersOnClient('unassigned', { status: 'new' })).toBe(true);
    expect(filtersOnClient('all', complaints)).toBe(false);
    expect(filtersOnClient('mine', {})).toBe(false);
  });

  it('reads further pages by itself when the first page holds no match, until a page\'s worth of cases match', async () => {
    const server = queueServer([0, 0, 0, 20, 10, 25, 25]);
    const loaded = await firstLoad(server, complaints);
    expect(server.fetchPage.mock.calls.map(([c]) => c)).toEqual(['page-1', 'page-2', 'page-3', 'page-4']);
    expect(filterRows(loaded.rows, complaints)).toHaveLength(30);
    expect(loaded.cursor).toBe('page-5');
    expect(queueWording({ shown: 30, clientSide: true, cursor: loaded.cursor })).toEqual({ empty: undefined, loadMore: 'Load more — search further for matching cases' });
  });

  it('stops after ten pages for one action, says no loaded case matches, and offers a Load more that searches further', async () => {
    const server = queueServer([...Array<number>(30).fill(0), 3]);
    const loaded = await firstLoad(server, complaints);
    expect(loaded.pages).toBe(SEARCH_FURTHER_PAGES);
    expect(SEARCH_FURTHER_PAGES).toBe(10);
    expect(filterRows(loaded.rows, complaints)).toHaveLength(0);
    const wording = queueWording({ shown: 0, clientSide: true, cursor: loaded.cursor });
    expect(wording.empty).toBe('No loaded case matches these filters — Load more to search further');
    expect(wording.empty).not.toBe('No cases in this queue');
    expect(wording.loadMore).toBe('Load more — search further for matching cases');

    // Load more: ten pages more at most, again.
    const more = await loadFurther({ rows: loaded.rows, cursor: loaded.cursor, filters: complaints, clientSide: true, want: PAGE, atLeastOne: true, fetchPage: server.fetchPage });
    expect(more.pages).toBe(10);
    expect(more.rows).toHaveLength(21 * PAGE);
    // And the third time reaches the last page, where the matches are.
    const last = await loadFurther({ rows: more.rows, cursor: more.cursor, filters: complaints, clientSide: true, want: PAGE, atLeastOne: true, fetchPage: server.fetchPage });
    expect(filterRows(last.rows, complaints)).toHaveLength(3);
    expect(last.cursor).toBeUndefined();
    expect(queueWording({ shown: 3, clientSide: true, cursor: last.cursor })).toEqual({ empty: undefined, loadMore: undefined });
  });

  it('says no case in the queue matches once every page has been read', async () => {
    const server = queueServer([0, 0, 0]);
    const loaded = await firstLoad(server, complaints);
    expect(loaded.cursor).toBeUndefined();
    expect(queueWording({ shown: 0, clientSide: true, cursor: undefined })).toEqual({ empty: 'No case in this queue matches these filters', loadMore: undefined });
  });

  it('with a filter on, Load more reads on until a page\'s worth more cases match', async () => {
    const server = queueServer([25, 0, 10, 0, 10, 10, 25]);
    const loaded = await firstLoad(server, complaints);
    expect(loaded.pages).toBe(0);
    const shown = filterRows(loaded.rows, complaints).length;
    const more = await loadFurther({ rows: loaded.rows, cursor: loaded.cursor, filters: complaints, clientSide: true, want: shown + PAGE, atLeastOne: true, fetchPage: server.fetchPage });
    expect(server.fetchPage.mock.calls.map(([c]) => c)).toEqual(['page-1', 'page-2', 'page-3', 'page-4', 'page-5']);
    expect(filterRows(more.rows, complaints)).toHaveLength(55);
  });

  it('reads one page per Load more and nothing by itself where the API filters (All open) or no filter is chosen', async () => {
    const server = queueServer([0, 0, 0, 0]);
    const loaded = await firstLoad(server, {}, false);
    expect(loaded.pages).toBe(0);
    const more = await loadFurther({ rows: loaded.rows, cursor: loaded.cursor, filters: {}, clientSide: false, want: 2 * PAGE, atLeastOne: true, fetchPage: server.fetchPage });
    expect(more.pages).toBe(1);
    expect(queueWording({ shown: 0, clientSide: false, cursor: 'page-2' })).toEqual({ empty: 'No cases in this queue', loadMore: 'Load more cases' });
  });

  it('reads nothing more once the person has moved to another queue or filter', async () => {
    const server = queueServer([0, 0, 0, 0, 0]);
    let moved = false;
    const shown: PageAnswer[] = [];
    const loaded = await loadFurther({
      rows: server.first.items,
      cursor: server.first.nextCursor,
      filters: complaints,
      clientSide: true,
      want: PAGE,
      atLeastOne: false,
      fetchPage: async (cursor) => {
        moved = true;
        return server.fetchPage(cursor);
      },
      onPage: (page) => shown.push(page),
      cancelled: () => moved,
    });
    expect(server.fetchPage).toHaveBeenCalledTimes(1);
    expect(shown).toEqual([]);
    expect(loaded.pages).toBe(0);
  });

  it('keeps the pages read further when a poll merges a fresh first page', async () => {
    const server = queueServer([0, 0, 5]);
    const loaded = await firstLoad(server, complaints);
    const matches = filterRows(loaded.rows, complaints).map((c: CaseSummary) => c.caseId);
    expect(matches).toHaveLength(5);
    const merged = mergeFirstPage(loaded.rows, server.first.items, PAGE);
    expect(filterRows(merged, complaints).map((c) => c.caseId)).toEqual(matches);
  });
});
