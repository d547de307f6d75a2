import type { z } from 'zod';
import { configFor, type FunctionConfig, type StaffRouteFunction } from '../../adapters/function-config';
import { logger } from '../../adapters/observability';
import { wiring, type Wiring } from '../../adapters/wiring';
import type { ActionRequest, CaseActionDeps } from '../../core/actions/case-action';
import type { Actor, Case } from '../../core/case';
import { seesContactDetails, withoutContactDetails } from '../../core/contact-access';
import { actorFor } from '../../core/roles';
import { parseInput } from '../../core/validation';
import { staffRouteOf, type StaffRoute } from '../routes';
import { CaseIdPathSchema } from '../path-params';
import { conditionalGet, isConditionalGet } from './conditional-get';
import { badRequest, httpHandler } from './http-handler';
import { json, type HttpEvent, type HttpResult } from './http-event';
import { parseBody } from './parse-body';
import { staffAuth } from './staff-auth';

/** What a staff route's handler is given: the caller as the core sees them, and the parsed request. */
export interface StaffRequest<N extends StaffRouteFunction> {
  event: HttpEvent;
  route: StaffRoute;
  config: FunctionConfig<N>;
  app: Wiring;
  actor: Actor;
}

/**
 * A staff route's handler: its roles come from the route table (routes.ts), checked before
 * anything else (401, then 403); a route with a body takes JSON alone; the reads a client polls
 * answer conditional requests (conditional-get.ts). The function's configuration and composition
 * root are made once, at load.
 */
export function staffRoute<N extends StaffRouteFunction>(name: N, fn: (req: StaffRequest<N>) => Promise<HttpResult>) {
  const route = staffRouteOf(name);
  const config = configFor(name);
  const app = wiring(config);
  return httpHandler(
    async (event) => fn({ event, route, config, app, actor: actorFor(event.staff ?? { sub: 'unknown', groups: [] }, route.roles) }),
    [
      staffAuth(app.tokenVerifier, route.roles),
      ...(route.body ? [parseBody({ jsonOnly: true, ...(route.maxBodyBytes ? { maxBytes: route.maxBodyBytes } : {}) })] : []),
      ...(isConditionalGet(name) ? [conditionalGet()] : []),
    ],
  );
}

/** The schema a handler parses with must be the one the route table (and so the OpenAPI document) shows. */
function sameSchema(route: StaffRoute, part: 'body' | 'query', schema: z.ZodType): void {
  if (route[part] !== schema) throw new Error(`caseflow: ${route.handler} parses its ${part} with a schema the route table does not name`);
}

export function parseRouteBody<S extends z.ZodType>(req: { route: StaffRoute; event: HttpEvent }, schema: S): z.infer<S> {
  sameSchema(req.route, 'body', schema);
  return parseInput(schema, req.event.parsedBody ?? {});
}

export function parseRouteQuery<S extends z.ZodType>(req: { route: StaffRoute; event: HttpEvent }, schema: S): z.infer<S> {
  sameSchema(req.route, 'query', schema);
  return parseInput(schema, req.event.queryStringParameters ?? {});
}

export const caseIdOf = (event: HttpEvent): string => parseInput(CaseIdPathSchema, event.pathParameters ?? {}).caseId;

/**
 * `If-Match: "12"` (the ETag of the case as the client saw it; a read's `"12-<hash>"` names the
 * same version): the change applies only to that version, else 409 with the current one. `*` or
 * no header: any version (conflicts are retried).
 */
export function expectedVersionOf(event: HttpEvent): number | undefined {
  const header = event.headers['if-match']?.trim();
  if (header === undefined || header === '' || header === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,10})(?:-[A-Za-z0-9_-]{1,64})?"?$/.exec(header);
  if (!match?.[1]) throw badRequest([{ path: 'If-Match', message: 'Give the case version you saw, as its ETag ("12")' }]);
  return Number(match[1]);
}

export const etag = (c: Pick<Case, 'version'>) => ({ ETag: `"${c.version}"` });

/** The case as this caller may see it: the feedback team without contact details unless a supervisor granted them (C4.2). */
export function caseView(c: Case, actor: Actor, at: Date) {
  return seesContactDetails(c, actor, at) ? c : { ...c, customer: withoutContactDetails(c.customer) };
}

type CaseActionFn<S extends z.ZodType> = (caseId: string, input: z.infer<S>, req: ActionRequest, deps: CaseActionDeps) => Promise<Case>;

/**
 * A staff action on one case (`POST /v1/cases/{caseId}/…`): the body parsed with the route's
 * schema, the caller as actor, `If-Match` as the expected version; the answer is the case as it
 * now stands, with its version as ETag.
 */
export function caseActionHandler<N extends StaffRouteFunction, S extends z.ZodType>(
  name: N,
  schema: S,
  action: CaseActionFn<S>,
  extraDeps: (config: FunctionConfig<N>, app: Wiring) => Partial<CaseActionDeps> = () => ({}),
  /** What the answer shows of the case: the case as the actor may see it, unless the route says less. */
  view: (updated: Case, actor: Actor, now: Date) => unknown = caseView,
) {
  return staffRoute(name, async (req) => {
    const caseId = caseIdOf(req.event);
    const input = parseRouteBody(req, schema);
    const expectedVersion = expectedVersionOf(req.event);
    const { app } = req;
    const deps: CaseActionDeps = {
      store: app.cases,
      clock: app.clock,
      retention: app.retention,
      get staff() {
        return app.staff;
      },
      ...extraDeps(req.config, app),
    };
    const updated = await action(caseId, input, { actor: req.actor, ...(expectedVersion !== undefined ? { expectedVersion } : {}) }, deps);
    logger.info(name, { caseId, status: updated.status, version: updated.version, actorRole: req.actor.kind });
    return json(200, { case: view(updated, req.actor, app.clock.now()) }, etag(updated));
  });
}
