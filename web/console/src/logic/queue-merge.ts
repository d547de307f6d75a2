import type { CaseSummary } from '../api/types';

/**
 * Folds a fresh first page into the rows on screen: the first page is what the server says now;
 * the pages loaded after it ("load more") stay, less the cases the first page now holds. A row
 * whose case did not change keeps its object, so the view leaves its element (and the focus and
 * scroll position with it) alone.
 */
export function mergeFirstPage(current: readonly CaseSummary[], firstPage: readonly CaseSummary[], firstPageLength: number): CaseSummary[] {
  const previous = new Map(current.map((c) => [c.caseId, c]));
  const fresh = firstPage.map((c) => {
    const old = previous.get(c.caseId);
    return old && sameSummary(old, c) ? old : c;
  });
  const inFirst = new Set(fresh.map((c) => c.caseId));
  const rest = current.slice(firstPageLength).filter((c) => !inFirst.has(c.caseId));
  return [...fresh, ...rest];
}

/** Appends a further page, without showing a case twice (a case can move between pages while the user reads). */
export function appendPage(current: readonly CaseSummary[], page: readonly CaseSummary[]): CaseSummary[] {
  const seen = new Set(current.map((c) => c.caseId));
  return [...current, ...page.filter((c) => !seen.has(c.caseId))];
}

const sameSummary = (a: CaseSummary, b: CaseSummary) => a.updatedAt === b.updatedAt && JSON.stringify(a) === JSON.stringify(b);

/** The case after (`+1`) or before (`-1`) the open one in the list; the first when none is open. */
export function neighbour(items: readonly { caseId: string }[], openId: string | undefined, step: 1 | -1): string | undefined {
  if (items.length === 0) return undefined;
  const at = openId === undefined ? -1 : items.findIndex((c) => c.caseId === openId);
  if (at === -1) return step === 1 ? items[0]?.caseId : items[items.length - 1]?.caseId;
  return items[Math.min(items.length - 1, Math.max(0, at + step))]?.caseId;
}
