import { appendPage, mergeFirstPage, neighbour } from '../../../web/console/src/logic/queue-merge';
import { summary } from './fixtures';

const row = (n: number, updatedAt = '2026-03-02T09:00:00.000Z') => summary({ caseId: `00000000-0000-4000-8000-00000000000${n}`, reference: `CS-00000${n}`, updatedAt });

describe('merging a refreshed queue page into the rows on screen', () => {
  it('keeps the row object of every unchanged case, so its element, focus and scroll position stay', () => {
    const current = [row(1), row(2), row(3)];
    const merged = mergeFirstPage(current, [row(1), row(2, '2026-03-02T09:30:00.000Z'), row(3)], 3);
    expect(merged[0]).toBe(current[0]);
    expect(merged[1]).not.toBe(current[1]);
    expect(merged[1]?.updatedAt).toBe('2026-03-02T09:30:00.000Z');
    expect(merged[2]).toBe(current[2]);
  });

  it('keeps the pages loaded after the first, less the cases that moved onto it', () => {
    const current = [row(1), row(2), row(3), row(4)];
    const merged = mergeFirstPage(current, [row(4), row(1)], 2);
    expect(merged.map((c) => c.reference)).toEqual(['CS-000004', 'CS-000001', 'CS-000003']);
  });

  it('keeps the selection on the same case when the rows above it change', () => {
    const current = [row(1), row(2), row(3)];
    const merged = mergeFirstPage(current, [row(5), row(1), row(2), row(3)], 3);
    const selected = row(2).caseId;
    expect(merged.some((c) => c.caseId === selected)).toBe(true);
    expect(neighbour(merged, selected, 1)).toBe(row(3).caseId);
    expect(neighbour(merged, selected, -1)).toBe(row(1).caseId);
  });

  it('never shows a case twice when a further page repeats one', () => {
    expect(appendPage([row(1), row(2)], [row(2), row(3)]).map((c) => c.reference)).toEqual(['CS-000001', 'CS-000002', 'CS-000003']);
  });

  it('moves the selection to the first or last row when none is selected, and stops at the ends', () => {
    const rows = [row(1), row(2)];
    expect(neighbour(rows, undefined, 1)).toBe(row(1).caseId);
    expect(neighbour(rows, undefined, -1)).toBe(row(2).caseId);
    expect(neighbour(rows, row(2).caseId, 1)).toBe(row(2).caseId);
    expect(neighbour([], undefined, 1)).toBeUndefined();
  });
});
