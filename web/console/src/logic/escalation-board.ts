import type { CasePage, CaseSummary, EscalationLevel } from '../api/types';
import { onMyTeam } from './team-escalations';

/**
 * The escalations board's rows (M3.3, M4.2, M9.3): every page of the escalated queue, never the
 * first page alone, so that no escalation goes missing however many there are. "Escalated to me"
 * reads the caller's level; "My team" reads both levels (the supervisors' and the managers'
 * partitions), merges them soonest respond-by first and keeps the team's (team-escalations.ts).
 */
export type BoardScope = 'mine' | 'team';

/**
 * Pages read of one level at most: active escalations are few (a page is 100 of them), so the cap
 * only stops a runaway read; the board says when it was reached.
 */
export const BOARD_MAX_PAGES = 40;

/** One page of the escalated queue: the caller's level (no level) or the one named. */
export type ReadEscalationPage = (level: EscalationLevel | undefined, cursor: string | undefined) => Promise<CasePage>;

export interface BoardRows {
  rows: CaseSummary[];
  /** A level had more pages than the board reads: escalations past them are not shown. */
  incomplete: boolean;
}

/** Every page of one queue, following `nextCursor`, up to `maxPages`. */
export async function everyPage(read: (cursor: string | undefined) => Promise<CasePage>, maxPages: number = BOARD_MAX_PAGES): Promise<{ items: CaseSummary[]; incomplete: boolean }> {
  const items: CaseSummary[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor !== undefined && pages < maxPages);
  return { items, incomplete: cursor !== undefined };
}

/**
 * The active escalations of these rows, each case once, soonest respond-by first. A case escalated
 * further while the pages were read can be in both levels' pages: its latest escalation stays.
 */
export function activeSoonestFirst(rows: readonly CaseSummary[]): CaseSummary[] {
  const byCase = new Map<string, CaseSummary>();
  for (const row of rows) {
    if (!row.escalation || row.escalation.endedAt) continue;
    const seen = byCase.get(row.caseId)?.escalation;
    if (!seen || Date.parse(row.escalation.escalatedAt) > Date.parse(seen.escalatedAt)) byCase.set(row.caseId, row);
  }
  const respondBy = (c: CaseSummary) => Date.parse(c.escalation?.respondBy ?? '');
  return [...byCase.values()].sort((a, b) => respondBy(a) - respondBy(b) || a.caseId.localeCompare(b.caseId));
}

/** The board's rows for a scope: "mine" the caller's level, "team" both levels narrowed to the team's contacts (all of them without a team). */
export async function readBoard(scope: BoardScope, read: ReadEscalationPage, teamContacts: ReadonlySet<string>, maxPages: number = BOARD_MAX_PAGES): Promise<BoardRows> {
  const levels: (EscalationLevel | undefined)[] = scope === 'mine' ? [undefined] : ['supervisors', 'managers'];
  const levelsRead = await Promise.all(levels.map((level) => everyPage((cursor) => read(level, cursor), maxPages)));
  const rows = activeSoonestFirst(levelsRead.flatMap((r) => r.items));
  return { rows: scope === 'team' ? onMyTeam(rows, teamContacts) : rows, incomplete: levelsRead.some((r) => r.incomplete) };
}
