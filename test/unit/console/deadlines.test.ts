import { caseMilestones, rowDue } from '../../../web/console/src/logic/deadlines';
import { caseRecord, summary } from './fixtures';

const at = (iso: string) => Date.parse(iso);
const nextDue = { milestone: 'acknowledgement' as const, dueAt: '2026-03-02T09:15:00.000Z', warnAt: '2026-03-02T09:11:15.000Z' };

describe('a queue row’s countdown to its next deadline', () => {
  it('counts down in minutes and seconds while the deadline is far from its warning point (M3.1)', () => {
    const view = rowDue(summary({ nextDue }), at('2026-03-02T09:02:56Z'));
    expect(view).toMatchObject({ state: 'ok', milestone: 'acknowledgement' });
    expect(view?.text).toContain('12m 04s');
  });

  it('turns to a warning, in words as well as colour, from the server’s warning point on', () => {
    expect(rowDue(summary({ nextDue }), at('2026-03-02T09:11:14Z'))?.state).toBe('ok');
    const view = rowDue(summary({ nextDue }), at('2026-03-02T09:11:15Z'));
    expect(view?.state).toBe('warning');
    expect(view?.text).toMatch(/due soon/);
  });

  it('says how long ago the deadline was breached once it has passed (M3.1)', () => {
    const view = rowDue(summary({ nextDue }), at('2026-03-02T09:20:00Z'));
    expect(view?.state).toBe('breached');
    expect(view?.text).toContain('breached 5m 00s ago');
  });

  it('falls back to the summary’s SLA fields when the server sends no nextDue', () => {
    const row = summary({ nextDueAt: '2026-03-03T09:00:00.000Z', status: 'acknowledged' });
    const view = rowDue(row, at('2026-03-02T10:00:00Z'));
    expect(view).toMatchObject({ milestone: 'initial_response', state: 'ok' });
    // The policy's warning point: three quarters of the 24-hour window, 18 hours after receipt.
    expect(rowDue(row, at('2026-03-03T03:00:00Z'))?.state).toBe('warning');
  });

  it('shows nothing due for a case without deadlines rather than failing', () => {
    expect(rowDue(summary({ status: 'closed' }), at('2026-03-02T10:00:00Z'))).toBeUndefined();
  });

  it('stops the first-response countdown while the case waits for the customer', () => {
    const view = rowDue(summary({ status: 'pending_customer', nextDue: { milestone: 'initial_response', dueAt: '2026-03-03T09:00:00.000Z' } }), at('2026-03-02T10:00:00Z'));
    expect(view?.state).toBe('paused');
    expect(view?.text).toMatch(/paused/);
  });
});

describe('the case header’s SLA milestones', () => {
  it('shows the acknowledgement met and the first response counting down (M3.1)', () => {
    const views = caseMilestones(caseRecord({ status: 'acknowledged', acknowledgedAt: '2026-03-02T09:05:00.000Z' }), at('2026-03-02T10:00:00Z'));
    expect(views.map((v) => [v.milestone, v.state])).toEqual([
      ['acknowledgement', 'met'],
      ['initial_response', 'ok'],
    ]);
  });

  it('shows a complaint’s escalation window, breached once past (M3.2)', () => {
    const c = caseRecord({ type: 'complaint', sla: { ...caseRecord().sla, escalationDueAt: '2026-03-03T09:00:00.000Z', breached: ['acknowledgement'] } });
    const views = caseMilestones(c, at('2026-03-03T09:30:00Z'));
    expect(views.find((v) => v.milestone === 'acknowledgement')?.state).toBe('breached');
    expect(views.find((v) => v.milestone === 'escalation')?.state).toBe('breached');
  });
});
