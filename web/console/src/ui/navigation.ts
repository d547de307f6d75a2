import { useEffect, useState } from 'preact/hooks';
import type { QueueName } from '../api/types';
import { formatRoute, parseRoute, type QueueFilters, type Route } from '../logic/router';

/** Hash routing: the route of the page now, and a way to go to another (nothing personal ever goes in a hash). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    // The hash may have changed between the first render and this subscription.
    onHash();
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

export function go(route: Route): void {
  const hash = formatRoute(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}

export const href = (route: Route): string => formatRoute(route);

/**
 * The queue last shown, its cases in order and the one selected: the case view's "next case"
 * and "back to the queue" use it, and the queue comes back with the same row selected.
 */
export interface LastQueue {
  queue: QueueName;
  filters: QueueFilters;
  caseIds: string[];
  selected?: string | undefined;
}

let lastQueue: LastQueue | undefined;
export const rememberQueue = (q: LastQueue): void => {
  lastQueue = q;
};
export const recallQueue = (): LastQueue | undefined => lastQueue;
export const forgetQueue = (): void => {
  lastQueue = undefined;
};
