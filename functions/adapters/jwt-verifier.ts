import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

export interface StaffIdentity {
  sub: string;
  groups: string[];
}

export class InvalidTokenError extends Error {}

export interface TokenVerifier {
  verify(token: string): Promise<StaffIdentity>;
}

export interface JwtVerifierConfig {
  issuer: string;
  /** The Cognito app client id the staff console signs in with: access tokens name it in `client_id`. */
  clientId: string;
  /** Where the signing keys come from: the issuer's JWKS URL, or a key set (tests). */
  keys: { jwksUrl: string } | JWTVerifyGetKey;
}

/**
 * Verifies staff bearer tokens with jose: the Cognito user pool's access tokens in AWS (after the
 * API Gateway JWT authorizer has checked them too), the local issuer's otherwise. Only access
 * tokens are accepted, as Cognito issues them: signed by the issuer's key, `token_use: access`,
 * `client_id` of caseflow's app client, an expiry. An ID token (`token_use: id`, `aud`) is refused:
 * it proves who someone is to the client, not that the client may call the API on their behalf.
 * Keys are fetched once and cached by jose.
 */
export function createJwtVerifier(cfg: JwtVerifierConfig): TokenVerifier {
  const keys = typeof cfg.keys === 'function' ? cfg.keys : createRemoteJWKSet(new URL(cfg.keys.jwksUrl), { cooldownDuration: 30_000 });
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, { issuer: cfg.issuer, clockTolerance: 5, requiredClaims: ['exp', 'sub'] }));
      } catch (error) {
        throw new InvalidTokenError(error instanceof Error ? error.name : 'invalid token');
      }
      if (payload.token_use !== 'access') throw new InvalidTokenError('not an access token');
      if (payload.client_id !== cfg.clientId) throw new InvalidTokenError('token is for another client');
      const groups = payload['cognito:groups'];
      return { sub: payload.sub ?? '', groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [] };
    },
  };
}
