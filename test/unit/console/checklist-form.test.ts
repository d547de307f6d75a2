import { checklistChanges, checklistDraft, checklistItems, followUpProblem } from '../../../web/console/src/logic/checklist-form';

const draft = (over: Partial<ReturnType<typeof checklistDraft>> = {}) => ({ ...checklistDraft(undefined), ...over });

describe('the complaint checklist as the forms hold it (M3.2, M9.2)', () => {
  it('says so when a follow-up has a date but no plan, or a plan but no date, instead of dropping it', () => {
    expect(followUpProblem(draft({ followUpDate: '2027-01-15' }))).toMatch(/plan/);
    expect(followUpProblem(draft({ followUpPlan: 'Call to confirm the refund arrived' }))).toMatch(/date/);
    expect(followUpProblem(draft({ followUpDate: '2027-01-15', followUpPlan: '   ' }))).toMatch(/plan/);
  });

  it('takes a follow-up whole, or left out altogether', () => {
    expect(followUpProblem(draft())).toBeUndefined();
    expect(followUpProblem(draft({ followUpDate: '2027-01-15', followUpPlan: 'Call to confirm the refund arrived' }))).toBeUndefined();
    expect(checklistItems(draft({ complaintHeard: true, followUpDate: '2027-01-15', followUpPlan: 'Call' }))).toEqual({ complaintHeard: true, followUp: { date: '2027-01-15', plan: 'Call' } });
  });

  it('records only the items changed against those recorded, a tick taken back as false', () => {
    const recorded = { complaintHeard: true, solutionOffered: 'Refund' };
    expect(checklistChanges(recorded, { ...checklistDraft(recorded), empathyShown: true })).toEqual({ empathyShown: true });
    expect(checklistChanges(recorded, { ...checklistDraft(recorded), complaintHeard: false })).toEqual({ complaintHeard: false });
    expect(checklistChanges(recorded, checklistDraft(recorded))).toEqual({});
  });
});
