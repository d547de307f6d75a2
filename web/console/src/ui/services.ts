import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Endpoints } from '../api/endpoints';
import type { Auth } from '../auth/auth';
import type { ConsoleConfig } from '../config';
import type { Session } from '../logic/roles';

/** What every screen needs: the API, the signed-in person, and how to go places. */
export interface Services {
  config: ConsoleConfig;
  auth: Auth;
  api: Endpoints;
  session: Session;
}

export const ServicesContext = createContext<Services | undefined>(undefined);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('The console is not signed in');
  return services;
}
