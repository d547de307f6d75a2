import type { RouteDef } from '../../functions/handlers/routes';
import { synthesizeCaseflow } from './support/synth';

// A route added to routes.ts without deciding what its function may do with the data.
jest.mock('../../functions/handlers/routes', () => {
  const actual = jest.requireActual<typeof import('../../functions/handlers/routes')>('../../functions/handlers/routes');
  const extra: RouteDef = { method: 'DELETE', path: '/v1/cases/{caseId}', handler: 'erase-case', auth: 'staff', roles: ['admins'], summary: 'Erase a case' };
  return { ...actual, API_ROUTES: [...actual.API_ROUTES, extra] };
});

describe('route generation', () => {
  it('refuses to synthesize a route whose handler has no declared data access (M2.2 least privilege)', () => {
    expect(() => synthesizeCaseflow()).toThrow(/route handler "erase-case" has no entry in HANDLER_DATA_ACCESS/);
  });
});
