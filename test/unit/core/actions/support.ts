import type { CaseActionDeps } from '../../../../functions/core/actions/case-action';
import type { Actor } from '../../../../functions/core/case';
import type { Clock } from '../../../../functions/core/clock';
import { openCaseFromSubmission } from '../../../../functions/core/open-case';
import { slaPolicy } from '../../../../functions/core/sla-policy';
import { seededRandom, submission } from '../../../support/fixtures';
import { InMemoryCaseStore } from '../../../support/in-memory-case-store';
import { staffDirectory } from '../../../support/staff-directory';

export const T0 = Date.parse('2026-03-02T09:00:00.000Z');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const contacts = { teamInbox: 'team@example.com', supervisor: 'supervisor@example.com', manager: 'manager@example.com' };

export const agent: Actor = { kind: 'agent', id: 'agent-ana' };
export const otherAgent: Actor = { kind: 'agent', id: 'agent-ben' };
export const supervisor: Actor = { kind: 'supervisor', id: 'sup-sam' };
export const manager: Actor = { kind: 'manager', id: 'mgr-mia' };

/** A clock the test moves by hand. */
export function movingClock(startMs = T0): Clock & { advance(ms: number): void; ms(): number } {
  let now = startMs;
  return { now: () => new Date(now), advance: (ms) => void (now += ms), ms: () => now };
}

/** One case opened from the web form, and the dependencies every action needs. */
export async function opened(type: 'inquiry' | 'complaint' = 'inquiry', email = 'pat@example.com') {
  const store = new InMemoryCaseStore();
  const clock = movingClock();
  let n = 0;
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ type, email }), channel: 'web' },
    { store, clock, newCaseId: () => `44444444-4444-4444-8444-${String(++n).padStart(12, '0')}`, random: seededRandom(), policy: slaPolicy() },
  );
  const deps: CaseActionDeps & { contacts: typeof contacts } = { store, clock, staff: staffDirectory(), contacts };
  return { store, clock, caseId: c.caseId, deps };
}
