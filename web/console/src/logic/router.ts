import type { CaseType, Priority, QueueName } from '../api/types';
import { PRIORITIES, STATUSES } from './format';

/**
 * The console's places, as URL hashes (`#/queue/mine/case/<caseId>`). Only enumerated values and
 * case ids (random UUIDs) ever go in them: no name, address, phone number or search term, so
 * nothing personal reaches a browser history, a proxy or an access log (search terms stay in memory).
 */
export type StatusFilterValue = 'open' | (typeof STATUSES)[number];

export interface QueueFilters {
  status?: StatusFilterValue | undefined;
  type?: CaseType | undefined;
  priority?: Priority | undefined;
}

export type Route =
  | { view: 'queue'; queue: QueueName; filters: QueueFilters; caseId?: string | undefined }
  | { view: 'search'; caseId?: string | undefined }
  | { view: 'escalations'; caseId?: string | undefined }
  | { view: 'case'; caseId: string }
  | { view: 'staff' }
  | { view: 'settings' }
  | { view: 'quarantine' }
  | { view: 'home' };

const QUEUES: readonly QueueName[] = ['mine', 'unassigned', 'breaching', 'escalated', 'all'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isCaseId = (id: string): boolean => UUID.test(id);

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined => allowed.find((a) => a === value);

function filtersOf(query: string): QueueFilters {
  const params = new URLSearchParams(query);
  return {
    status: pick(params.get('status'), ['open', ...STATUSES] as const),
    type: pick(params.get('type'), ['inquiry', 'complaint'] as const),
    priority: pick(params.get('priority'), PRIORITIES),
  };
}

/** The route of a hash; anything unknown is home (the role's first place). */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const caseAt = (i: number): string | undefined => (parts[i] === 'case' && parts[i + 1] && isCaseId(parts[i + 1] ?? '') ? parts[i + 1] : undefined);
  switch (parts[0]) {
    case 'queue': {
      const queue = pick(parts[1] ?? null, QUEUES);
      if (!queue) return { view: 'home' };
      return { view: 'queue', queue, filters: queue === 'all' ? filtersOf(query) : {}, caseId: caseAt(2) };
    }
    case 'search':
      return { view: 'search', caseId: caseAt(1) };
    case 'escalations':
      return { view: 'escalations', caseId: caseAt(1) };
    case 'case': {
      const caseId = parts[1];
      return caseId && isCaseId(caseId) ? { view: 'case', caseId } : { view: 'home' };
    }
    case 'staff':
    case 'settings':
    case 'quarantine':
      return { view: parts[0] };
    default:
      return { view: 'home' };
  }
}

/** The hash of a route. A case id that is not a UUID is refused rather than written into a URL. */
export function formatRoute(route: Route): string {
  const withCase = (base: string, caseId: string | undefined) => {
    if (caseId === undefined) return base;
    if (!isCaseId(caseId)) throw new Error('Only a case id may go in the console URL');
    return `${base}/case/${caseId}`;
  };
  switch (route.view) {
    case 'queue': {
      const params = new URLSearchParams();
      if (route.queue === 'all') {
        for (const key of ['status', 'type', 'priority'] as const) {
          const value = route.filters[key];
          if (value !== undefined) params.set(key, value);
        }
      }
      const query = params.toString();
      return `#${withCase(`/queue/${route.queue}`, route.caseId)}${query ? `?${query}` : ''}`;
    }
    case 'search':
    case 'escalations':
      return `#${withCase(`/${route.view}`, route.caseId)}`;
    case 'case':
      return `#${withCase('', route.caseId)}`;
    case 'home':
      return '#/';
    default:
      return `#/${route.view}`;
  }
}

/** The same list with another case open (or none): the queue, its filters and the search stay. */
export function withCase(route: Route, caseId: string | undefined): Route {
  switch (route.view) {
    case 'queue':
    case 'search':
    case 'escalations':
      return { ...route, caseId };
    case 'case':
      return caseId ? { view: 'case', caseId } : { view: 'home' };
    default:
      return caseId ? { view: 'case', caseId } : route;
  }
}

export const caseOf = (route: Route): string | undefined => ('caseId' in route ? route.caseId : undefined);
