import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import * as z from 'zod';
import { StaffRoleSchema } from '../functions/core/roles';

/**
 * The local stand-in for the Cognito user pool: an ES256 key kept in the data directory, its
 * JWKS served by the gateway, and tokens minted on request (`POST /local/token`). Handlers verify
 * them with the same code that verifies Cognito tokens in AWS.
 */
export const LOCAL_AUDIENCE = 'caseflow-local';

export const TokenRequestSchema = z.object({
  sub: z.string().min(1).max(128),
  groups: z.array(StaffRoleSchema).max(10).default([]),
  /** For the staff directory (assignment shows names; SLA warnings go to the address). */
  name: z.string().min(1).max(200).optional(),
  email: z.email().optional(),
  expiresInSeconds: z.number().int().min(60).max(86_400).default(3600),
});
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

export interface LocalIssuer {
  issuer: string;
  jwks: { keys: JWK[] };
  mint(request: z.input<typeof TokenRequestSchema>): Promise<string>;
}

export async function createLocalIssuer(issuer: string, keyFile: string): Promise<LocalIssuer> {
  let privateJwk: JWK;
  if (existsSync(keyFile)) {
    privateJwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: `local-${Date.now().toString(36)}`, alg: 'ES256', use: 'sig' };
    writeFileSync(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const { d: _private, ...publicJwk } = privateJwk;
  const key = await importJWK(privateJwk, 'ES256');
  return {
    issuer,
    jwks: { keys: [publicJwk] },
    async mint(input) {
      const req = TokenRequestSchema.parse(input);
      // The claims of a Cognito access token (no `aud`: access tokens name the app client in `client_id`).
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        'cognito:groups': req.groups,
        client_id: LOCAL_AUDIENCE,
        token_use: 'access',
        scope: 'openid profile email',
        auth_time: now,
        username: req.sub,
        version: 2,
      })
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid ?? 'local' })
        .setIssuer(issuer)
        .setSubject(req.sub)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + req.expiresInSeconds)
        .sign(key);
    },
  };
}
