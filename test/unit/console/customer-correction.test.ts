import { customerCorrection, customerDraft } from '../../../web/console/src/logic/customer-correction';

describe('a correction of the customer’s details (M5.1, rectification)', () => {
  const customer = { name: 'Grace Hopper', email: 'grace@example.com', phone: '+44 20 7946 0958' };

  it('sends only the fields changed', () => {
    expect(customerCorrection(customer, { ...customerDraft(customer), email: 'grace.hopper@example.com' })).toEqual({ email: 'grace.hopper@example.com' });
    expect(customerCorrection(customer, { ...customerDraft(customer), email: 'Grace@Example.com' })).toEqual({});
  });

  it('removes an emptied email or phone, and never sends an empty name', () => {
    expect(customerCorrection(customer, { ...customerDraft(customer), phone: '  ' })).toEqual({ phone: null });
    expect(customerCorrection(customer, { ...customerDraft(customer), name: '' })).toEqual({});
  });
});
