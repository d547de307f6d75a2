import type { CaseStatus, CaseType, Priority, QueueName } from '../api/types';
import { PRIORITIES, STATUSES } from './format';

/**
 * The console's places, as URL hashes: `#/queues/mine`, `#/queues/all?status=new`,
 * `#/cases/<caseId>`, `#/escalations`, `#/settings`, `#/privacy`, `#/reports`, `#/non-compliance`, `#/reviews`. Only enumerated values and case ids (random
 * `#/cases/<caseId>`, `#/escalations`, `#/settings`, `#/privacy`, `#/reports`, `#/non-compliance`, `#/feedback`. Only enumerated values and case ids (random
 * UUIDs) ever go in them: no name, address, phone number or search term, so nothing personal
 * reaches a browser history, a proxy or an access log (a search keeps its terms in memory).
 */
export type StatusFilterValue = 'open' | CaseStatus;

export interface QueueFilters {
  status?: StatusFilterValue | undefined;
  type?: CaseType | undefined;
  priority?: Priority | undefined;
}

export type Route =
  | { view: 'queue'; queue: QueueName; filters: QueueFilters }
  | { view: 'case'; caseId: string }
  | { view: 'escalations' }
  | { view: 'settings' }
  | { view: 'privacy' }
  | { view: 'reports' }
  | { view: 'non-compliance' }
  | { view: 'reviews' }
  | { view: 'feedback' }
  | { view: 'training' }
  | { view: 'performance' }
  | { view: 'home' };

export const QUEUES: readonly QueueName[] = ['mine', 'unassigned', 'breaching', 'escalated', 'all'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isCaseId = (id: string): boolean => UUID.test(id);

const pick = <T extends string>(value: string | null | undefined, allowed: readonly T[]): T | undefined => allowed.find((a) => a === value);

function filtersOf(query: string): QueueFilters {
  const params = new URLSearchParams(query);
  const filters: QueueFilters = {};
  const status = pick(params.get('status'), ['open', ...STATUSES] as const);
  const type = pick(params.get('type'), ['inquiry', 'complaint'] as const);
  const priority = pick(params.get('priority'), PRIORITIES);
  if (status) filters.status = status;
  if (type) filters.type = type;
  if (priority) filters.priority = priority;
  return filters;
}

/** The route of a hash; anything unknown (or anything that is not an enumerated value or a case id) is home. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'queues': {
      const queue = pick(parts[1], QUEUES);
      return queue && parts.length === 2 ? { view: 'queue', queue, filters: filtersOf(query) } : { view: 'home' };
    }
    case 'cases': {
      const caseId = parts[1];
      return caseId && parts.length === 2 && isCaseId(caseId) ? { view: 'case', caseId: caseId.toLowerCase() } : { view: 'home' };
    }
    case 'escalations':
    case 'settings':
    case 'privacy':
    case 'reports':
    case 'non-compliance':
    case 'reviews':
    case 'feedback':
    case 'training':
    case 'performance':
      return parts.length === 1 ? { view: parts[0] } : { view: 'home' };
    default:
      return { view: 'home' };
  }
}

/** The hash of a route. Anything but an enumerated value or a case id is refused rather than written into a URL. */
export function formatRoute(route: Route): string {
  switch (route.view) {
    case 'queue': {
      if (!QUEUES.includes(route.queue)) throw new Error('Unknown queue');
      const params = new URLSearchParams();
      const allowed = { status: ['open', ...STATUSES], type: ['inquiry', 'complaint'], priority: PRIORITIES } as const;
      for (const key of ['status', 'type', 'priority'] as const) {
        const value = route.filters[key];
        if (value === undefined) continue;
        if (!(allowed[key] as readonly string[]).includes(value)) throw new Error(`Only a known ${key} may go in the console URL`);
        params.set(key, value);
      }
      const query = params.toString();
      return `#/queues/${route.queue}${query ? `?${query}` : ''}`;
    }
    case 'case':
      if (!isCaseId(route.caseId)) throw new Error('Only a case id may go in the console URL');
      return `#/cases/${route.caseId}`;
    case 'escalations':
    case 'settings':
    case 'privacy':
    case 'reports':
    case 'non-compliance':
    case 'reviews':
    case 'feedback':
    case 'training':
    case 'performance':
      return `#/${route.view}`;
    case 'home':
      return '#/';
  }
}
