import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createJwtVerifier, InvalidTokenError } from '../../../functions/adapters/jwt-verifier';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST';
const CLIENT_ID = 'console-client';

let sign: (claims: JWTPayload, opts?: { exp?: number | null }) => Promise<string>;
let verifier: ReturnType<typeof createJwtVerifier>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  verifier = createJwtVerifier({ issuer: ISSUER, clientId: CLIENT_ID, keys: createLocalJWKSet({ keys: [jwk] }) });
  sign = (claims, opts = {}) => {
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setSubject('agent-1').setIssuedAt();
    if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? '5m');
    return jwt.sign(privateKey);
  };
});

const access = { token_use: 'access', client_id: CLIENT_ID, 'cognito:groups': ['supervisors'] };

describe('staff token verification', () => {
  it('accepts a Cognito access token for the console client and reads its groups', async () => {
    await expect(verifier.verify(await sign(access))).resolves.toEqual({ sub: 'agent-1', groups: ['supervisors'] });
  });

  it('refuses a correctly signed token without an expiry', async () => {
    await expect(verifier.verify(await sign(access, { exp: null }))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an ID token, even one whose audience is the console client', async () => {
    const idToken = await sign({ token_use: 'id', aud: CLIENT_ID, 'cognito:groups': ['supervisors'], email: 'sup@example.com' });
    await expect(verifier.verify(idToken)).rejects.toThrow('not an access token');
  });

  it('refuses an access token issued to another app client', async () => {
    await expect(verifier.verify(await sign({ ...access, client_id: 'another-client' }))).rejects.toThrow('another client');
  });

  it('refuses an access token without client_id that names the client only in aud', async () => {
    const { client_id: _omitted, ...rest } = access;
    await expect(verifier.verify(await sign({ ...rest, aud: CLIENT_ID }))).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
