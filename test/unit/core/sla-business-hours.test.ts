import { BusinessCalendarSchema } from '../../../functions/core/business-calendar';
import { nextDue, type Case } from '../../../functions/core/case';
import { fixedClock } from '../../../functions/core/clock';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import { effectiveInitialResponseDue, planSla } from '../../../functions/core/sla-plan';
import { calendarNameFor, calendarsByCase, computeDeadlines, pausedTime, slaCalendar, slaPolicy, SlaPolicySchema } from '../../../functions/core/sla-policy';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

const MIN = 60_000;
const HOUR = 60 * MIN;
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const workday = [
  { from: '09:00', to: '12:30' },
  { from: '13:30', to: '17:30' },
];
const office = BusinessCalendarSchema.parse({
  timeZone: 'Europe/Amsterdam',
  week: { mon: workday, tue: workday, wed: workday, thu: workday, fri: workday },
  holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
});
/** The current policy's windows, inquiries on office hours, complaints and urgent cases round the clock. */
const policy = SlaPolicySchema.parse({
  ...slaPolicy(),
  version: 'test-office-hours',
  calendars: { office },
  calendarRules: { default: 'office', byType: { complaint: '24/7' }, byPriority: { urgent: '24/7' } },
});

async function openAt(receivedAt: string, type: 'inquiry' | 'complaint' = 'inquiry'): Promise<Case> {
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ type }), channel: 'web' },
    { store: new InMemoryCaseStore(), clock: fixedClock(receivedAt), newCaseId: () => '44444444-4444-4444-8444-444444444444', random: seededRandom(), policy },
  );
  return c;
}

describe('SLA windows on business hours', () => {
  it('gives an inquiry received on Friday evening until Monday 09:15 to be acknowledged, and initial assistance after 24 business hours (M3.1)', async () => {
    const c = await openAt('2026-03-06T18:00:00.000Z'); // Friday 19:00 CET
    expect(c.sla).toEqual({
      policyVersion: 'test-office-hours',
      calendar: 'office',
      acknowledgementDueAt: '2026-03-09T08:15:00.000Z', // Monday 09:15 CET
      initialResponseDueAt: '2026-03-12T09:30:00.000Z', // 7.5 h Monday to Wednesday, then Thursday 10:30 CET
    });
  });

  it('puts the Monday deadline at 09:15 local time across both daylight-saving changes (M3.1)', async () => {
    expect((await openAt('2026-03-27T18:00:00.000Z')).sla.acknowledgementDueAt).toBe('2026-03-30T07:15:00.000Z'); // 09:15 CEST
    expect((await openAt('2026-10-23T17:00:00.000Z')).sla.acknowledgementDueAt).toBe('2026-10-26T08:15:00.000Z'); // 09:15 CET
  });

  it('runs complaints and urgent cases round the clock when the policy says so, inquiries on office hours', async () => {
    const complaint = await openAt('2026-03-06T18:00:00.000Z', 'complaint');
    expect(complaint.sla.calendar).toBeUndefined();
    expect(complaint.sla.acknowledgementDueAt).toBe('2026-03-06T18:15:00.000Z');
    expect(complaint.sla.escalationDueAt).toBe('2026-03-07T18:00:00.000Z');
    expect(calendarNameFor(policy, { type: 'inquiry', priority: 'urgent' })).toBeUndefined();
    expect(calendarNameFor(policy, { type: 'inquiry', priority: 'low' })).toBe('office');
    expect(computeDeadlines('inquiry', new Date('2026-03-06T18:00:00.000Z'), policy, { priority: 'urgent' }).acknowledgementDueAt).toBe('2026-03-06T18:15:00.000Z');
  });

  it('leaves a policy without calendars round the clock, as before (M3.1)', () => {
    expect(computeDeadlines('inquiry', new Date('2026-03-06T18:00:00.000Z'), slaPolicy())).toEqual({
      policyVersion: slaPolicy().version,
      acknowledgementDueAt: '2026-03-06T18:15:00.000Z',
      initialResponseDueAt: '2026-03-07T18:00:00.000Z',
    });
  });

  it('warns at 75% of the window in business time, not in hours on the wall clock (M3.1)', async () => {
    const c = await openAt('2026-03-06T18:00:00.000Z');
    // 3 min 45 s of business time before Monday 09:15: Monday 09:11:15 CET.
    expect(planSla(c, t('2026-03-06T18:00:01Z'), policy).nextAt).toBe(t('2026-03-09T08:11:15Z'));
    expect(planSla(c, t('2026-03-09T08:11:15Z'), policy).due).toEqual([{ type: 'warn', milestone: 'acknowledgement', dueAt: '2026-03-09T08:15:00.000Z' }]);
    expect(nextDue(c, policy)).toEqual({ milestone: 'acknowledgement', dueAt: '2026-03-09T08:15:00.000Z', warnAt: '2026-03-09T08:11:15.000Z' });
  });

  it('moves initial assistance by the business time the customer kept the case waiting', async () => {
    const opened = await openAt('2026-03-06T18:00:00.000Z');
    const c: Case = { ...opened, status: 'pending_customer', acknowledgedAt: '2026-03-09T08:05:00.000Z', sla: { ...opened.sla, pausedSince: '2026-03-10T15:30:00.000Z' } };
    // Waiting from Tuesday 16:30 to Wednesday 10:00 CET is 2 business hours, not 17.5 hours.
    const now = t('2026-03-11T09:00:00Z');
    expect(pausedTime(c.sla, t('2026-03-10T15:30:00Z'), now, policy)).toBe(2 * HOUR);
    expect(iso(effectiveInitialResponseDue(c, now, slaCalendar(c.sla, policy)))).toBe('2026-03-12T11:30:00.000Z');
    // Once the wait has ended and been counted, the queue shows the same moved deadline.
    const resumed: Case = { ...c, status: 'in_progress', sla: { ...opened.sla, pausedMs: 2 * HOUR } };
    expect(nextDue(resumed, policy)?.dueAt).toBe('2026-03-12T11:30:00.000Z');
    // The warning: 6 business hours before Thursday 12:30 (3.5 h on Thursday morning, 2.5 h on Wednesday): Wednesday 15:00 CET.
    expect(planSla(resumed, now, policy).nextAt).toBe(t('2026-03-11T14:00:00Z'));
  });

  it('keeps the calendar a case was opened on when its type or priority changes (M8.3)', async () => {
    const opened = await openAt('2026-03-06T18:00:00.000Z');
    const changed: Case = { ...opened, type: 'complaint', priority: 'urgent' };
    expect(planSla(changed, t('2026-03-06T18:00:01Z'), policy).nextAt).toBe(t('2026-03-09T08:11:15Z'));
    expect(computeDeadlines('complaint', new Date(opened.receivedAt), policy, { calendar: opened.sla.calendar }).escalationDueAt).toBe('2026-03-12T09:30:00.000Z');
  });

  it('lists the calendar each case type and priority opens on, for admins to check a policy (M8.3)', () => {
    const table = calendarsByCase(policy);
    expect(table).toHaveLength(8);
    expect(table).toContainEqual({ type: 'inquiry', priority: 'normal', calendar: 'office' });
    expect(table).toContainEqual({ type: 'inquiry', priority: 'urgent', calendar: '24/7' });
    expect(table.filter((row) => row.type === 'complaint').map((row) => row.calendar)).toEqual(['24/7', '24/7', '24/7', '24/7']);
    expect(calendarsByCase(slaPolicy()).every((row) => row.calendar === '24/7')).toBe(true);
  });

  it('refuses a policy whose rules name a calendar it does not define (M8.3)', () => {
    expect(SlaPolicySchema.safeParse({ ...slaPolicy(), calendarRules: { default: 'office' } }).success).toBe(false);
    expect(SlaPolicySchema.safeParse({ ...slaPolicy(), calendars: { office }, calendarRules: { byType: { inquiry: 'office' } } }).success).toBe(true);
  });
});
