import type { MiddlewareObj } from '@middy/core';
import { InvalidTokenError, type TokenVerifier } from '../../adapters/jwt-verifier';
import { mayCall, type StaffRole } from '../../core/roles';
import { HttpError } from './http-error';
import type { HttpEvent, HttpResult } from './http-event';

/**
 * 401 without a valid bearer token, 403 when the caller holds none of the route's roles (the
 * route table's, routes.ts: the only place a role check lives).
 */
export function staffAuth(verifier: TokenVerifier, roles: readonly StaffRole[]): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    before: async (request) => {
      const header = request.event.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) {
        throw new HttpError(401, { error: 'A bearer token is required' }, { 'WWW-Authenticate': 'Bearer realm="caseflow"' });
      }
      let identity;
      try {
        identity = await verifier.verify(match[1]);
      } catch (error) {
        if (error instanceof InvalidTokenError) {
          throw new HttpError(401, { error: 'The bearer token is invalid or expired' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
        }
        throw error;
      }
      if (!mayCall(identity.groups, roles)) {
        throw new HttpError(403, { error: `This needs one of the roles: ${roles.join(', ')}` });
      }
      request.event.staff = identity;
    },
  };
}
