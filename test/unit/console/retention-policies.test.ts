import { checkRetentionDraft } from '../../../web/console/src/logic/retention-policies';

describe('the console’s retention publish form', () => {
  it('refuses fewer than five years before sending, naming years (M7.2, C4.3)', () => {
    expect(checkRetentionDraft({ version: '2027-01', years: '4', reason: 'Shorter' })).toEqual({ problems: { years: expect.stringContaining('at least 5 years') } });
    expect(checkRetentionDraft({ version: '2027-01', years: '5.5', reason: 'Half' })).toEqual({ problems: { years: expect.stringContaining('whole number') } });
  });

  it('names every missing field and sends a complete version with its years as a number (M7.2)', () => {
    expect(checkRetentionDraft({ version: '', years: '', reason: ' ' })).toEqual({ problems: { version: expect.any(String), years: expect.any(String), reason: expect.any(String) } });
    expect(checkRetentionDraft({ version: ' 2027-01 ', years: '7', reason: ' Tax law ' })).toEqual({ body: { version: '2027-01', years: 7, reason: 'Tax law' } });
  });
});
