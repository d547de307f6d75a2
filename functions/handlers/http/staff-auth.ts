import type { MiddlewareObj } from '@middy/core';
import { InvalidTokenError, type TokenVerifier } from '../../adapters/jwt-verifier';
import { HttpError } from './http-error';
import type { HttpEvent, HttpResult } from './http-event';

/** 401 without a valid bearer token, 403 when the caller is in none of the allowed groups. */
export function staffAuth(verifier: TokenVerifier, allowedGroups: readonly string[]): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    before: async (request) => {
      const header = request.event.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) {
        throw new HttpError(401, { error: 'A bearer token is required' }, { 'WWW-Authenticate': 'Bearer realm="caseflow"' });
      }
      try {
        const identity = await verifier.verify(match[1]);
        if (!identity.groups.some((g) => allowedGroups.includes(g))) {
          throw new HttpError(403, { error: `This needs membership of one of: ${allowedGroups.join(', ')}` });
        }
        request.event.staff = identity;
      } catch (error) {
        if (error instanceof InvalidTokenError) {
          throw new HttpError(401, { error: 'The bearer token is invalid or expired' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
        }
        throw error;
      }
    },
  };
}
