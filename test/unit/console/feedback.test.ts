import type { StaffRole } from '../../../web/console/src/api/types';
import { actionItemProblems, actionStateLabel, csatLabel, idsOf, mayChangeItem, nextStatuses } from '../../../web/console/src/logic/feedback';
import { navigationFor, type Session } from '../../../web/console/src/logic/roles';
import { formatRoute, parseRoute } from '../../../web/console/src/logic/router';

const session = (roles: StaffRole[]): Session => ({ sub: 's', name: 'S', roles, expiresAt: Date.now() + 60_000 });
const CASE = '2f6c0a1e-1b2c-4d3e-8f40-123456789abc';

describe('the console’s Feedback screen (M4.3, M8.2, C7.2)', () => {
  it('is offered to the feedback team, supervisors and managers, as the feedback routes allow, at #/feedback (C4.2)', () => {
    for (const role of ['feedback', 'supervisors', 'managers'] as const) expect(navigationFor(session([role])).map((i) => i.id)).toContain('feedback');
    for (const role of ['agents', 'auditors', 'admins'] as const) expect(navigationFor(session([role])).map((i) => i.id)).not.toContain('feedback');
    expect(formatRoute({ view: 'feedback' })).toBe('#/feedback');
    expect(parseRoute('#/feedback')).toEqual({ view: 'feedback' });
  });

  it('reads satisfaction in words, and says so when nobody answered (C7.1)', () => {
    expect(csatLabel({ answers: 4, meanRating: 3, satisfied: 0.5, solved: 0.75 })).toBe('4 answers · mean 3 · 50% rated 4–5 · 75% solved');
    expect(csatLabel({ answers: 0, meanRating: null, satisfied: null, solved: null })).toBe('No answers');
  });

  it('says an item is overdue, and a dropped one why (M8.2)', () => {
    expect(actionStateLabel({ status: 'in_progress', overdue: true, dueOn: '2026-03-05' })).toBe('In progress · overdue (due 2026-03-05)');
    expect(actionStateLabel({ status: 'open', overdue: false, dueOn: '2026-03-20' })).toBe('Open · due 2026-03-20');
    expect(actionStateLabel({ status: 'dropped', overdue: false, dueOn: '2026-03-20', droppedReason: 'Billing owns it' })).toBe('Dropped: Billing owns it');
  });

  it('checks a new item before sending it: what should change, an owner, a due day not past, and the answers or cases behind it (C7.2)', () => {
    const ok = { recommendation: 'Reply to refunds within a day', theme: '', owner: 'agent-ana', dueOn: '2026-03-20', feedback: `${CASE.toUpperCase()}, `, cases: '' };
    expect(actionItemProblems(ok, '2026-03-10')).toEqual({});
    expect(idsOf(ok.feedback)).toEqual([CASE]);
    expect(actionItemProblems({ ...ok, recommendation: ' ', owner: '', dueOn: '2026-03-09', feedback: '' }, '2026-03-10')).toEqual({
      recommendation: 'Say what should change',
      owner: 'Name the owner (their staff id)',
      dueOn: 'The due day is past',
      feedback: 'Link the answers (their case ids) or cases that prompted it',
    });
    expect(actionItemProblems({ ...ok, feedback: 'CS-7K3M9Q' }, '2026-03-10').feedback).toMatch(/Case ids/);
  });

  it('lets the owner and those who manage items change one, and offers every other status', () => {
    expect(mayChangeItem({ owner: 'agent-ana' }, 'agent-ana', false)).toBe(true);
    expect(mayChangeItem({ owner: 'agent-ana' }, 'agent-ben', false)).toBe(false);
    expect(mayChangeItem({ owner: 'agent-ana' }, 'fb-fay', true)).toBe(true);
    expect(nextStatuses('open')).toEqual(['in_progress', 'done', 'dropped']);
  });
});
