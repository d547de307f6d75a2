import { InvalidInputError } from '../../../functions/core/errors';
import { ListCasesQuerySchema } from '../../../functions/core/queues';
import { parseInput } from '../../../functions/core/validation';

const parse = (query: Record<string, string>) => parseInput(ListCasesQuerySchema, query);
const issuesOf = (query: Record<string, string>) => {
  try {
    parse(query);
  } catch (e) {
    if (e instanceof InvalidInputError) return e.issues;
    throw e;
  }
  return [];
};

describe('the staff queues’ query (GET /v1/cases)', () => {
  it('reads the escalated queue at the level a supervisor names, supervisors or managers, or at the caller’s own without one (M3.3)', () => {
    expect(parse({ queue: 'escalated', level: 'managers' })).toMatchObject({ queue: 'escalated', level: 'managers' });
    expect(parse({ queue: 'escalated', level: 'supervisors', limit: '100' })).toMatchObject({ queue: 'escalated', level: 'supervisors', limit: 100 });
    expect(parse({ queue: 'escalated' }).level).toBeUndefined();
  });

  it('refuses a level with any other queue, or a level that is no escalation level, with a 400 naming level', () => {
    for (const queue of ['all', 'mine', 'unassigned', 'breaching']) {
      expect(issuesOf({ queue, level: 'managers' })).toEqual([{ path: 'level', message: `The ${queue} queue takes no level (level is for queue=escalated)` }]);
    }
    expect(issuesOf({ level: 'supervisors' })).toEqual([expect.objectContaining({ path: 'level', message: expect.stringContaining('queue=escalated') })]);
    expect(issuesOf({ queue: 'escalated', level: 'agents' })).toEqual([expect.objectContaining({ path: 'level' })]);
  });
});
