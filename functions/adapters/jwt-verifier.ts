import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export interface StaffIdentity {
  sub: string;
  groups: string[];
}

export class InvalidTokenError extends Error {}

export interface TokenVerifier {
  verify(token: string): Promise<StaffIdentity>;
}

/**
 * Verifies staff bearer tokens with jose against the issuer's JWKS: the Cognito user pool in AWS
 * (after the API Gateway JWT authorizer has checked them too), the local key of `npm start`
 * otherwise. Keys are fetched once and cached by jose.
 */
export function createJwtVerifier(cfg: { issuer: string; jwksUrl: string; audience: string }): TokenVerifier {
  const jwks = createRemoteJWKSet(new URL(cfg.jwksUrl), { cooldownDuration: 30_000 });
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, { issuer: cfg.issuer, clockTolerance: 5 }));
      } catch (error) {
        throw new InvalidTokenError(error instanceof Error ? error.name : 'invalid token');
      }
      // Cognito access tokens name the app client in client_id; id tokens in aud.
      const audience = [payload.client_id, ...(Array.isArray(payload.aud) ? payload.aud : [payload.aud])];
      if (!audience.includes(cfg.audience)) throw new InvalidTokenError('token is for another client');
      if (!payload.sub) throw new InvalidTokenError('token has no subject');
      const groups = payload['cognito:groups'];
      return { sub: payload.sub, groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [] };
    },
  };
}
