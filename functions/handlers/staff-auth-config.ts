import { AuthConfigSchema, readConfig } from '../adapters/config';
import { createJwtVerifier } from '../adapters/jwt-verifier';
import { staffAuth } from './http/staff-auth';

/** The staff-only middleware (`groups` narrows it, e.g. to supervisors), configured once per function from the environment. */
export function staffOnly(groups?: readonly string[]) {
  const auth = readConfig(AuthConfigSchema);
  return staffAuth(createJwtVerifier({ issuer: auth.JWT_ISSUER, clientId: auth.JWT_AUDIENCE, keys: { jwksUrl: auth.JWT_JWKS_URL } }), groups ?? auth.STAFF_GROUPS);
}
