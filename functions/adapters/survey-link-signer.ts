import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { SurveyLinksNotConfiguredError, type SurveyLinks, type SurveyRef, type SurveyTokenCheck } from '../core/survey';

/**
 * Survey links (M8.1, C7.1): `<base>/survey/<token>`, the token
 * `v1.<keyId>.<caseId>.<surveyId>.<expiry, epoch seconds>.<HMAC-SHA256, base64url>`, the MAC over
 * everything before it. The case id is a random UUID and the survey id random hex: nothing in the
 * link is personal. Keys rotate: the keyring's current key signs, every key in it verifies, so a
 * link mailed before a rotation answers until its old key is dropped from the ring. This file holds
 * the format and the local keyring (a key file); in AWS the keys are KMS HMAC keys
 * (kms-survey-link-signer.ts), the secrets never leave KMS.
 */
export const SurveyKeyringSchema = z.object({
  current: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  /** Key id -> secret, base64 (32 bytes or more). */
  keys: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), z.string().refine((k) => Buffer.from(k, 'base64').length >= 32, 'a survey link key needs 32 bytes or more')),
}).refine((k) => k.keys[k.current] !== undefined, { message: 'the current survey link key is not in the keyring', path: ['current'] });
export type SurveyKeyring = z.infer<typeof SurveyKeyringSchema>;

/** The survey page's public address, or a reader of it. */
export type SurveyBaseUrl = string | (() => Promise<string | undefined>);

const VERSION = 'v1';
const TOKEN = /^v1\.([A-Za-z0-9_-]{1,32})\.([0-9a-f-]{36})\.([0-9a-f]{32})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;
/** A key's id in a token (and in the keyring): short, URL-safe. */
export const SURVEY_KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * The token's format and checks, whatever computes the MAC: a local keyring's secrets
 * (HmacSurveyLinks) or KMS HMAC keys (KmsSurveyLinks, kms-survey-link-signer.ts). A subclass
 * names the key that signs, the keys that verify, and computes and checks an HMAC-SHA256.
 */
export abstract class SurveyLinkTokens implements SurveyLinks {
  /**
   * `baseUrl`: where the page is served, or how to read it (in AWS a deployment setting in the
   * table); only making links needs it (the page's functions check them).
   */
  constructor(private readonly baseUrl?: SurveyBaseUrl) {}

  /** The id of the key that signs new tokens. */
  protected abstract readonly currentKeyId: string;
  /** Whether a token signed by this key may verify. */
  protected abstract knows(keyId: string): boolean;
  /** The HMAC-SHA256 of `payload` under the key. */
  protected abstract macOf(keyId: string, payload: string): Promise<Buffer>;
  /** Whether `mac` is the HMAC-SHA256 of `payload` under the key (in constant time). */
  protected abstract macMatches(keyId: string, payload: string, mac: Buffer): Promise<boolean>;

  async linkFor(ref: SurveyRef): Promise<string> {
    const base = typeof this.baseUrl === 'function' ? await this.baseUrl() : this.baseUrl;
    if (!base) throw new SurveyLinksNotConfiguredError('the survey page\'s address (SURVEY_BASE_URL, or in AWS the setting the quality stack writes)');
    return `${base.replace(/\/+$/, '')}/survey/${await this.signedToken(ref)}`;
  }

  protected payloadOf(ref: SurveyRef): string {
    return [VERSION, this.currentKeyId, ref.caseId, ref.surveyId, String(Math.floor(Date.parse(ref.expiresAt) / 1000))].join('.');
  }

  async signedToken(ref: SurveyRef): Promise<string> {
    const payload = this.payloadOf(ref);
    return `${payload}.${(await this.macOf(this.currentKeyId, payload)).toString('base64url')}`;
  }

  async verify(token: string, nowMs: number): Promise<SurveyTokenCheck> {
    const m = TOKEN.exec(token);
    if (!m) return { ok: false, reason: 'malformed' };
    const [, keyId = '', caseId = '', surveyId = '', expiry = '', mac = ''] = m;
    if (!this.knows(keyId)) return { ok: false, reason: 'unknown-key' };
    if (!(await this.macMatches(keyId, token.slice(0, token.lastIndexOf('.')), Buffer.from(mac, 'base64url')))) return { ok: false, reason: 'bad-signature' };
    const expiresMs = Number(expiry) * 1000;
    if (nowMs >= expiresMs) return { ok: false, reason: 'expired' };
    return { ok: true, ref: { caseId, surveyId, expiresAt: new Date(expiresMs).toISOString() } };
  }
}

/** The local keyring's signer: the secrets are in this process (node:crypto). */
export class HmacSurveyLinks extends SurveyLinkTokens {
  private readonly keys: ReadonlyMap<string, Buffer>;
  protected readonly currentKeyId: string;

  constructor(keyring: SurveyKeyring, baseUrl?: SurveyBaseUrl) {
    super(baseUrl);
    const ring = SurveyKeyringSchema.parse(keyring);
    this.keys = new Map(Object.entries(ring.keys).map(([id, k]) => [id, Buffer.from(k, 'base64')]));
    this.currentKeyId = ring.current;
  }

  /** A token at once (the local keyring needs no round trip): for tests that play the customer. */
  tokenFor(ref: SurveyRef): string {
    const payload = this.payloadOf(ref);
    return `${payload}.${this.mac(this.currentKeyId, payload).toString('base64url')}`;
  }

  protected knows(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  protected async macOf(keyId: string, payload: string): Promise<Buffer> {
    return this.mac(keyId, payload);
  }

  protected async macMatches(keyId: string, payload: string, given: Buffer): Promise<boolean> {
    const expected = this.mac(keyId, payload);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(keyId: string, payload: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`no survey link key ${keyId}`);
    return createHmac('sha256', key).update(payload).digest();
  }
}

/** A new keyring with one random key (the local stack's). */
export const newSurveyKeyring = (keyId = 'k1'): SurveyKeyring => ({ current: keyId, keys: { [keyId]: randomBytes(32).toString('base64') } });

/**
 * The local keyring: `<dir>/survey-link-keys.json`, made on first use (mode 0600) and kept with
 * the local data, never in the repository. Rotate by adding a key and making it `current`.
 */
export function fileSurveyKeyring(dir: string): SurveyKeyring {
  const file = join(dir, 'survey-link-keys.json');
  try {
    return SurveyKeyringSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ring = newSurveyKeyring();
  try {
    writeFileSync(file, `${JSON.stringify(ring)}\n`, { flag: 'wx', mode: 0o600 });
    return ring;
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return SurveyKeyringSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  }
}
