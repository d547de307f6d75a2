import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSurveyKeyring, HmacSurveyLinks, newSurveyKeyring } from '../../../functions/adapters/survey-link-signer';

const ref = { caseId: '44444444-4444-4444-8444-000000000001', surveyId: '0123456789abcdef0123456789abcdef', expiresAt: '2026-03-31T09:00:00.000Z' };
const before = Date.parse('2026-03-03T09:00:00.000Z');
const base = 'https://api.example.com';

const tokenOf = (link: string) => link.slice(`${base}/survey/`.length);

describe('survey links: signed, expiring, rotated keys (M8.1, C7.1)', () => {
  it('makes a link whose token names the case and survey until its expiry, and nothing personal', async () => {
    const links = new HmacSurveyLinks(newSurveyKeyring(), base);
    const link = await links.linkFor(ref);
    expect(link.startsWith(`${base}/survey/v1.k1.${ref.caseId}.${ref.surveyId}.`)).toBe(true);
    expect(await links.verify(tokenOf(link), before)).toEqual({ ok: true, ref });
  });

  it('refuses a token at and after its expiry', async () => {
    const links = new HmacSurveyLinks(newSurveyKeyring(), base);
    const token = tokenOf(await links.linkFor(ref));
    expect(await links.verify(token, Date.parse(ref.expiresAt) - 1000)).toMatchObject({ ok: true });
    expect(await links.verify(token, Date.parse(ref.expiresAt))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a tampered token: another survey, a later expiry, a changed signature', async () => {
    const links = new HmacSurveyLinks(newSurveyKeyring(), base);
    const token = tokenOf(await links.linkFor(ref));
    const parts = token.split('.');
    const swap = (i: number, v: string) => parts.map((p, j) => (j === i ? v : p)).join('.');
    expect(await links.verify(swap(3, 'f'.repeat(32)), before)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await links.verify(swap(4, String(Number(parts[4]) + 86_400)), before)).toEqual({ ok: false, reason: 'bad-signature' });
    const mac = parts[5] ?? '';
    expect(await links.verify(swap(5, `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`), before)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await links.verify('not-a-token', before)).toEqual({ ok: false, reason: 'malformed' });
    // Signed with another keyring's key of the same id.
    const stranger = new HmacSurveyLinks(newSurveyKeyring(), base);
    expect(await links.verify(tokenOf(await stranger.linkFor(ref)), before)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('verifies a link signed with the previous key after a rotation, signs new ones with the current key, and refuses a key dropped from the ring', async () => {
    const old = newSurveyKeyring('k1');
    const mailed = tokenOf(await new HmacSurveyLinks(old, base).linkFor(ref));
    const rotatedRing = { current: 'k2', keys: { ...old.keys, ...newSurveyKeyring('k2').keys } };
    const rotated = new HmacSurveyLinks(rotatedRing, base);
    expect(await rotated.verify(mailed, before)).toEqual({ ok: true, ref });
    expect(tokenOf(await rotated.linkFor(ref)).split('.')[1]).toBe('k2');
    const dropped = new HmacSurveyLinks({ current: 'k2', keys: { k2: rotatedRing.keys.k2 ?? '' } }, base);
    expect(await dropped.verify(mailed, before)).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('refuses a keyring whose current key is missing or short', () => {
    expect(() => new HmacSurveyLinks({ current: 'k9', keys: newSurveyKeyring().keys }, base)).toThrow(/current survey link key/);
    expect(() => new HmacSurveyLinks({ current: 'k1', keys: { k1: Buffer.alloc(8).toString('base64') } }, base)).toThrow(/32 bytes/);
  });

  it('makes the local keyring once, readable by its owner only, and reads the same one back', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'survey-keys-')), 'keys');
    const first = fileSurveyKeyring(dir);
    expect(fileSurveyKeyring(dir)).toEqual(first);
    const file = join(dir, 'survey-link-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
  });
});
