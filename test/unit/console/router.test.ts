import { formatRoute, parseRoute } from '../../../web/console/src/logic/router';

const CASE = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

describe('the console’s URLs (no personal data in them, M5.1)', () => {
  it('names queues, filters and cases by enumerated values and case ids', () => {
    expect(formatRoute({ view: 'queue', queue: 'all', filters: { status: 'new', type: 'complaint', priority: 'high' } })).toBe('#/queues/all?status=new&type=complaint&priority=high');
    expect(formatRoute({ view: 'case', caseId: CASE })).toBe(`#/cases/${CASE}`);
    expect(parseRoute('#/queues/all?status=new&type=complaint')).toEqual({ view: 'queue', queue: 'all', filters: { status: 'new', type: 'complaint' } });
    expect(parseRoute(`#/cases/${CASE}`)).toEqual({ view: 'case', caseId: CASE });
    expect(parseRoute('#/escalations')).toEqual({ view: 'escalations' });
  });

  it('refuses to write an email address, a name or a search term into a URL', () => {
    expect(() => formatRoute({ view: 'case', caseId: 'grace@example.com' })).toThrow();
    expect(() => formatRoute({ view: 'queue', queue: 'all', filters: { status: 'grace@example.com' as never } })).toThrow();
  });

  it('ignores anything in a hash that is not a known value, so no term read from one is kept', () => {
    expect(parseRoute('#/cases/grace@example.com')).toEqual({ view: 'home' });
    expect(parseRoute('#/queues/mine?q=grace@example.com&status=Grace')).toEqual({ view: 'queue', queue: 'mine', filters: {} });
    expect(parseRoute('#/queues/someone-else')).toEqual({ view: 'home' });
    expect(parseRoute('#/search/grace@example.com')).toEqual({ view: 'home' });
  });
});
