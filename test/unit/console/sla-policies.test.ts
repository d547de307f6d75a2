import type { SlaPolicyVersions } from '../../../web/console/src/api/types';
import { checkPolicyDraft, draftFrom, migrationConfirmation, migrationProgress, problemsByField } from '../../../web/console/src/logic/sla-policies';

const versions: SlaPolicyVersions = {
  currentPolicyVersion: '2027-01',
  policies: [
    {
      policy: { version: '2027-01', acknowledgementMinutes: 15, initialResponseHours: 8, complaintEscalationHours: 24, correctiveActionDays: 7, retentionYears: 5, warningRatio: 0.75, escalationResponseHours: 24, maxEscalationLevel: 2, autoCloseDays: 7 },
      current: true,
      publishedAt: '2026-12-01T10:00:00.000Z',
      publishedBy: 'admin-1',
      calendarByCase: [],
    },
  ],
};

describe('the console’s SLA policy versions', () => {
  it('drafts a new version from the current one’s windows, with its id left to give (M8.3)', () => {
    const draft = JSON.parse(draftFrom(versions)) as Record<string, unknown>;
    expect(draft).toMatchObject({ version: '', initialResponseHours: 8, acknowledgementMinutes: 15 });
    expect(checkPolicyDraft(draftFrom(versions))).toEqual({ problems: { version: expect.stringContaining('id') } });
  });

  it('names what is wrong with a draft before sending it: not JSON, not an object (M8.3)', () => {
    expect(checkPolicyDraft('{ "version": "2027-02", }').problems).toHaveProperty('(json)');
    expect(checkPolicyDraft('[1]').problems).toHaveProperty('(json)');
    expect(checkPolicyDraft('{ "version": "2027-02", "initialResponseHours": 4 }')).toEqual({ policy: { version: '2027-02', initialResponseHours: 4 } });
  });

  it('shows the API’s refusals by field, two problems of one field together (M8.3, M3.1)', () => {
    expect(
      problemsByField([
        { path: 'initialResponseHours', message: 'Too small' },
        { path: 'calendarRules', message: 'No calendar named office in the policy' },
        { path: 'calendarRules', message: 'No calendar named weekend in the policy' },
      ]),
    ).toEqual({ initialResponseHours: 'Too small', calendarRules: 'No calendar named office in the policy; No calendar named weekend in the policy' });
  });

  it('asks to confirm a migration naming how many open cases move, and offers none when none would (M8.3)', () => {
    expect(migrationConfirmation(3, '2027-01', { type: 'inquiry', priority: 'high' })).toMatch(/^Move 3 of the open high-priority inquiries to policy 2027-01\?/);
    expect(migrationConfirmation(1, '2027-01', {})).toMatch(/^Move 1 of the open cases to policy 2027-01\?/);
    expect(migrationConfirmation(0, '2027-01', { type: 'complaint' })).toBe('No open complaints would move to 2027-01: they are on it already, or there are none.');
  });

  it('says how far a started migration has got while its workflow runs, and how it ended: completed, or stopped with why and how to resume it (M8.3)', () => {
    const m = { migrationId: '2027-01.0123456789abcdef', toVersion: '2027-01', migrated: 50, alreadyOnVersion: 2 };
    expect(migrationProgress({ ...m, status: 'running' })).toBe('Migrating: 50 case(s) moved to 2027-01, 2 already on it so far…');
    expect(migrationProgress({ ...m, status: 'completed' })).toBe('Migration completed: 50 case(s) moved to 2027-01, 2 already on it.');
    expect(migrationProgress({ ...m, status: 'failed', failure: 'ThrottlingException: Rate exceeded' })).toBe(
      'Migration stopped: 50 case(s) moved to 2027-01, 2 already on it. ThrottlingException: Rate exceeded. Move the cases again to resume it.',
    );
  });
});
