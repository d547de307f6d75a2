import { filterRows, searchKind } from '../../../web/console/src/logic/queue-filter';
import { summary } from './fixtures';

describe('the queue search and filters', () => {
  it('reads a reference, an email address or a phone number from the search box', () => {
    expect(searchKind(' cs-7k3m9q ')).toEqual({ kind: 'reference', reference: 'CS-7K3M9Q' });
    expect(searchKind('Grace@Example.com')).toEqual({ kind: 'email', email: 'grace@example.com' });
    expect(searchKind('+44 20 7946 0958')).toEqual({ kind: 'phone', phone: '+44 20 7946 0958' });
    expect(searchKind('grace@')).toMatchObject({ kind: 'invalid' });
    expect(searchKind('')).toMatchObject({ kind: 'invalid' });
  });

  it('looks up only a reference for those who may not search by contact details, the feedback team (C4.2)', () => {
    expect(searchKind('cs-7k3m9q', { customers: false })).toEqual({ kind: 'reference', reference: 'CS-7K3M9Q' });
    expect(searchKind('grace@example.com', { customers: false })).toMatchObject({ kind: 'invalid' });
    expect(searchKind('+44 20 7946 0958', { customers: false })).toMatchObject({ kind: 'invalid' });
  });

  it('shows only the rows matching every filter chosen', () => {
    const rows = [summary({ caseId: 'a', type: 'complaint', priority: 'high', status: 'new' }), summary({ caseId: 'b', type: 'inquiry', priority: 'high', status: 'new' }), summary({ caseId: 'c', type: 'complaint', priority: 'low', status: 'resolved' })];
    expect(filterRows(rows, { type: 'complaint' }).map((c) => c.caseId)).toEqual(['a', 'c']);
    expect(filterRows(rows, { type: 'complaint', status: 'open' }).map((c) => c.caseId)).toEqual(['a']);
    expect(filterRows(rows, { priority: 'high', status: 'new' }).map((c) => c.caseId)).toEqual(['a', 'b']);
    expect(filterRows(rows, {})).toHaveLength(3);
  });
});
