import { serverClock } from '../../../web/console/src/logic/server-clock';

describe('the console’s server clock', () => {
  const received = Date.parse('2026-11-30T10:00:00.400Z');

  it('runs countdowns on the server’s time when the server is a day ahead (the local clock moved)', () => {
    const clock = serverClock();
    clock.observe('Tue, 01 Dec 2026 10:00:00 GMT', received);
    expect(clock.now(received)).toBe(Date.parse('2026-12-01T10:00:00Z'));
  });

  it('takes a difference under two seconds for the Date header’s rounding, not for a skew', () => {
    const clock = serverClock();
    clock.observe('Mon, 30 Nov 2026 10:00:01 GMT', received);
    expect(clock.offsetMs()).toBe(0);
  });

  it('ignores a missing or unreadable Date header, and follows a clock moved back', () => {
    const clock = serverClock();
    clock.observe('Mon, 30 Nov 2026 09:00:00 GMT', received);
    expect(clock.offsetMs()).toBe(-3_600_400);
    clock.observe(null, received);
    clock.observe('not a date', received);
    expect(clock.offsetMs()).toBe(-3_600_400);
    clock.observe('Mon, 30 Nov 2026 10:00:00 GMT', received);
    expect(clock.offsetMs()).toBe(0);
  });
});
