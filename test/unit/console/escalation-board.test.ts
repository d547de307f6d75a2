import type { CasePage, CaseSummary, EscalationLevel } from '../../../web/console/src/api/types';
import { BOARD_MAX_PAGES, readBoard, type ReadEscalationPage } from '../../../web/console/src/logic/escalation-board';
import { summary } from './fixtures';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

/** An active escalation responding by T0 + `dueIn` hours, to `party`, at a level. */
const escalation = (caseId: string, level: number, dueIn: number, party: string, over: Partial<NonNullable<CaseSummary['escalation']>> = {}): CaseSummary =>
  summary({ caseId, escalation: { number: level, level, escalatedAt: at(dueIn - 24), responsibleParty: party, respondBy: at(dueIn), ...over } });

/** A fake escalated queue: each level's rows served `pageSize` at a time, in order, with the levels and cursors it was asked for. */
function queue(levels: Record<EscalationLevel, CaseSummary[]>, callerLevel: EscalationLevel, pageSize: number) {
  const asked: string[] = [];
  const read: ReadEscalationPage = async (level, cursor) => {
    asked.push(`${level ?? 'mine'}@${cursor ?? 0}`);
    const rows = levels[level ?? callerLevel];
    const from = Number(cursor ?? 0);
    const page: CasePage = { items: rows.slice(from, from + pageSize) };
    if (from + pageSize < rows.length) page.nextCursor = String(from + pageSize);
    return page;
  };
  return { read, asked };
}

const ids = (rows: readonly { caseId: string }[]) => rows.map((r) => r.caseId);
const none = new Set<string>();

// Seven level-1 escalations and five level-2 ones, each queue in respond-by order as the API serves it.
const supervisors = Array.from({ length: 7 }, (_, i) => escalation(`s${i}`, 1, 2 * i + 1, i % 2 === 0 ? 'billing.sup@example.com' : 'returns.sup@example.com'));
const managers = Array.from({ length: 5 }, (_, i) => escalation(`m${i}`, 2, 3 * i + 2, i % 2 === 0 ? 'billing.mgr@example.com' : 'returns.mgr@example.com'));

describe('the escalations board reads every page (M3.3, M4.2, M9.3)', () => {
  it('shows every escalation at the caller’s level, past the first page, soonest respond-by first (M3.3)', async () => {
    const { read, asked } = queue({ supervisors, managers }, 'supervisors', 3);
    const board = await readBoard('mine', read, none);
    expect(ids(board.rows)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6']);
    expect(board.incomplete).toBe(false);
    expect(asked).toEqual(['mine@0', 'mine@3', 'mine@6']);
  });

  it('shows under My team both levels’ escalations, every page, merged by respond-by and narrowed to the team’s contacts (M4.2, M9.3)', async () => {
    const { read, asked } = queue({ supervisors, managers }, 'supervisors', 2);
    const billing = new Set(['billing.sup@example.com', 'billing.mgr@example.com']);
    const board = await readBoard('team', read, billing);
    // respond-by: s0 1h, m0 2h, s2 5h, m2 8h, s4 9h, s6 13h, m4 14h
    expect(ids(board.rows)).toEqual(['s0', 'm0', 's2', 'm2', 's4', 's6', 'm4']);
    expect(asked.filter((a) => a.startsWith('managers'))).toEqual(['managers@0', 'managers@2', 'managers@4']);
    expect(asked.filter((a) => a.startsWith('supervisors'))).toEqual(['supervisors@0', 'supervisors@2', 'supervisors@4', 'supervisors@6']);
    expect(asked.some((a) => a.startsWith('mine'))).toBe(false);
    const everyone = await readBoard('team', queue({ supervisors, managers }, 'managers', 4).read, none);
    expect(ids(everyone.rows)).toEqual(['s0', 'm0', 's1', 'm1', 's2', 's3', 'm2', 's4', 'm3', 's5', 's6', 'm4']);
  });

  it('shows a case escalated further while the pages were read once, at its new level, and no ended escalation', async () => {
    const moved = escalation('s1', 2, 30, 'billing.mgr@example.com', { escalatedAt: at(5) });
    const ended = escalation('m1', 2, 4, 'billing.mgr@example.com', { endedAt: at(3), ending: 'resolved' });
    const board = await readBoard('team', queue({ supervisors: supervisors.slice(0, 3), managers: [ended, moved] }, 'supervisors', 1).read, none);
    expect(board.rows.map((r) => [r.caseId, r.escalation?.level])).toEqual([['s0', 1], ['s2', 1], ['s1', 2]]);
  });

  it(`stops after ${BOARD_MAX_PAGES} pages of a level and says the board is incomplete`, async () => {
    const many = Array.from({ length: BOARD_MAX_PAGES + 5 }, (_, i) => escalation(`x${String(i).padStart(3, '0')}`, 1, i + 1, 'billing.sup@example.com'));
    const { read, asked } = queue({ supervisors: many, managers: [] }, 'supervisors', 1);
    const board = await readBoard('mine', read, none);
    expect(asked).toHaveLength(BOARD_MAX_PAGES);
    expect(board.rows).toHaveLength(BOARD_MAX_PAGES);
    expect(board.incomplete).toBe(true);
  });
});
