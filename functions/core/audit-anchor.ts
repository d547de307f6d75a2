import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import * as z from 'zod';
import type { AnchoredHead } from './audit-verification';

/**
 * The daily head digest (M5.3, M7.3): the audit-chain heads of every case changed on one UTC day,
 * as read after the day ended, kept outside the table. A chain rewritten and re-hashed whole, with
 * the case head updated to match, no longer has the hashes anchored here.
 *
 * Each day's digest names the SHA-256 of the day before (GENESIS for the first), so one digest
 * cannot be rewritten without rewriting every digest after it. A digest's `sha256` is the SHA-256
 * of its canonical JSON (RFC 8785) without the `sha256` field: anyone can recompute it.
 * docs/audit-trail.md has the whole design and what it does not detect.
 */
export const DIGEST_FORMAT = 'caseflow.audit-anchor.day-digest/1';
export const MARKER_FORMAT = 'caseflow.audit-anchor.case-marker/1';

/** What the first digest chains to: there is no day before it. */
export const GENESIS_DIGEST = '0'.repeat(64);

const DAY_MS = 24 * 60 * 60 * 1000;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex');
export const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a calendar day');
/** Case ids are UUIDs: never personal data, and safe in an object key. */
export const AnchorCaseIdSchema = z.string().regex(/^[0-9A-Za-z-]{1,64}$/, 'must be a case id');

export const DigestHeadSchema = z.object({ caseId: AnchorCaseIdSchema, seq: z.number().int().positive(), hash: Sha256Hex }).strict();
export type DigestHead = z.infer<typeof DigestHeadSchema>;

export const DayDigestSchema = z
  .object({
    format: z.literal(DIGEST_FORMAT),
    /** The UTC day whose changes this digest anchors. */
    day: DaySchema,
    /** The day before, whose digest this one chains to; null for the first digest. */
    previousDay: DaySchema.nullable(),
    previousDigestSha256: Sha256Hex,
    /** One head a case, ordered by case id. */
    heads: z.array(DigestHeadSchema),
    sha256: Sha256Hex,
  })
  .strict();
export type DayDigest = z.infer<typeof DayDigestSchema>;

/** Names, for one case, a day digest that anchors its head: verification of a case reads only the days it was changed. */
export const CaseMarkerSchema = z.object({ format: z.literal(MARKER_FORMAT), caseId: AnchorCaseIdSchema, day: DaySchema, digestSha256: Sha256Hex }).strict();
export type CaseMarker = z.infer<typeof CaseMarkerSchema>;

/** The anchors in storage do not verify: they were altered, or are not anchors at all. Never read as "no anchors". */
export class AuditAnchorIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditAnchorIntegrityError';
  }
}

// ---- days (UTC) ----

export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * The days a run at `now` anchors: every finished day after the last one anchored, oldest first,
 * at most `maxDays` of them (the rest are `remaining`, for the next run). The first run ever
 * anchors yesterday alone: cases last changed before it are anchored at their next change.
 */
export function daysToAnchor(lastAnchored: string | undefined, now: Date, maxDays: number): { days: string[]; remaining: number } {
  const yesterday = addDays(utcDay(now), -1);
  const first = lastAnchored === undefined ? yesterday : addDays(lastAnchored, 1);
  if (first > yesterday) return { days: [], remaining: 0 };
  const all: string[] = [];
  for (let day = first; day <= yesterday; day = addDays(day, 1)) all.push(day);
  return { days: all.slice(0, maxDays), remaining: Math.max(0, all.length - maxDays) };
}

// ---- digests ----

const sha256Of = (value: unknown) => createHash('sha256').update(canonicalize(value)).digest('hex');
const byCaseId = (a: DigestHead, b: DigestHead) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);

/** The SHA-256 of a digest's content, its own `sha256` field left out. */
export function digestSha256(digest: Omit<DayDigest, 'sha256'> & { sha256?: string }): string {
  const { sha256: _own, ...content } = digest;
  return sha256Of(content);
}

/**
 * The digest of `day`: the heads (one a case; the highest sequence if a case is listed twice),
 * chained to `previous`, the digest of the day before, or to GENESIS when there is none.
 */
export function buildDayDigest(day: string, heads: Iterable<DigestHead>, previous: DayDigest | undefined): DayDigest {
  DaySchema.parse(day);
  if (previous && previous.day !== addDays(day, -1)) throw new Error(`the digest of ${day} must follow the digest of ${addDays(day, -1)}, not of ${previous.day}`);
  const latest = new Map<string, DigestHead>();
  for (const head of heads) {
    const parsed = DigestHeadSchema.parse(head);
    const seen = latest.get(parsed.caseId);
    if (!seen || seen.seq < parsed.seq) latest.set(parsed.caseId, parsed);
  }
  const content = {
    format: DIGEST_FORMAT,
    day,
    previousDay: previous ? previous.day : null,
    previousDigestSha256: previous ? previous.sha256 : GENESIS_DIGEST,
    heads: [...latest.values()].sort(byCaseId),
  } as const;
  return { ...content, sha256: digestSha256(content) };
}

export type DigestVerdict = { valid: true; digest: DayDigest } | { valid: false; reason: string };

/** Checks one digest as read from storage: its shape, its link to the day before, and that it hashes to its own `sha256`. */
export function verifyDayDigest(value: unknown): DigestVerdict {
  const parsed = DayDigestSchema.safeParse(value);
  if (!parsed.success) return { valid: false, reason: `is not a day digest (${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')})` };
  const digest = parsed.data;
  if (digest.sha256 !== digestSha256(digest)) return { valid: false, reason: 'does not hash to its own sha256: its content was altered' };
  if (digest.previousDay === null ? digest.previousDigestSha256 !== GENESIS_DIGEST : digest.previousDay !== addDays(digest.day, -1)) {
    return { valid: false, reason: 'does not chain to the day before it' };
  }
  for (let i = 1; i < digest.heads.length; i += 1) {
    if (byCaseId(digest.heads[i - 1] as DigestHead, digest.heads[i] as DigestHead) >= 0) return { valid: false, reason: 'lists its heads out of order or twice' };
  }
  return { valid: true, digest };
}

export type DigestChainVerdict = { valid: true; days: number; last?: { day: string; sha256: string } } | { valid: false; day?: string; reason: string };

/**
 * Checks a run of digests, oldest first: each verifies, each names the one before it, no day is
 * missing. The run starts at GENESIS, or right after `after`, a digest already trusted.
 */
export function verifyDigestChain(values: readonly unknown[], after?: { day: string; sha256: string }): DigestChainVerdict {
  let previous = after;
  for (const value of values) {
    const verdict = verifyDayDigest(value);
    if (!verdict.valid) {
      const day = DayDigestSchema.shape.day.safeParse((value as { day?: unknown } | null)?.day);
      return { valid: false, ...(day.success ? { day: day.data } : {}), reason: `the digest ${verdict.reason}` };
    }
    const { digest } = verdict;
    if (previous === undefined) {
      if (digest.previousDay !== null) return { valid: false, day: digest.day, reason: `the first digest chains to ${digest.previousDay}, not to GENESIS` };
    } else if (digest.previousDay !== previous.day) {
      return { valid: false, day: digest.day, reason: `the digest follows ${digest.previousDay ?? 'GENESIS'}, but the one before it is of ${previous.day}: a day is missing or out of order` };
    } else if (digest.previousDigestSha256 !== previous.sha256) {
      return { valid: false, day: digest.day, reason: `the digest of ${previous.day} is not the one this digest chained to: it was rewritten` };
    }
    previous = { day: digest.day, sha256: digest.sha256 };
  }
  return { valid: true, days: values.length, ...(previous ? { last: previous } : {}) };
}

/** The anchored heads a digest holds, of every case or of one. */
export function anchoredHeadsOf(digest: DayDigest, caseId?: string): AnchoredHead[] {
  return digest.heads.filter((h) => caseId === undefined || h.caseId === caseId).map((h) => ({ caseId: h.caseId, day: digest.day, seq: h.seq, hash: h.hash }));
}

/** The per-case markers of a digest: one for each case it anchors. */
export const markersOf = (digest: DayDigest): CaseMarker[] =>
  digest.heads.map((h) => ({ format: MARKER_FORMAT, caseId: h.caseId, day: digest.day, digestSha256: digest.sha256 }));
