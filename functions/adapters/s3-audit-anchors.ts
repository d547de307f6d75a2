import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { canonicalize } from '../core/canonical-json';
import {
  AnchorCaseIdSchema,
  anchoredHeadsOf,
  AuditAnchorIntegrityError,
  CaseMarkerSchema,
  DaySchema,
  markersOf,
  verifyDayDigest,
  type DayDigest,
} from '../core/audit-anchor';
import type { AnchorArchive } from '../core/anchor-audit-heads';
import type { AnchoredHead, AuditAnchors } from '../core/audit-verification';
import { isConditionalWriteRefused } from './s3-errors';
import { mapLimited } from '../core/map-limited';

/** Where the anchors are in their bucket (the IAM grants in infra/constructs/audit-anchoring.ts name this prefix). */
export const AUDIT_ANCHOR_PREFIX = 'audit-anchors/';

/**
 * The object keys. Case ids are UUIDs and days are dates: no key carries personal data.
 * - `days/<day>.json`: the day digest (core/audit-anchor.ts), canonical JSON;
 * - `cases/<caseId>/<day>.json`: the case's marker, naming the day digest and its sha256;
 * - `markers-written/<day>.json`: every marker of the day is written (a run that stopped between
 *   the digest and its markers is finished by the next).
 */
export const anchorKeys = {
  digest: (day: string) => `${AUDIT_ANCHOR_PREFIX}days/${day}.json`,
  digests: `${AUDIT_ANCHOR_PREFIX}days/`,
  marker: (caseId: string, day: string) => `${AUDIT_ANCHOR_PREFIX}cases/${caseId}/${day}.json`,
  markersOfCase: (caseId: string) => `${AUDIT_ANCHOR_PREFIX}cases/${caseId}/`,
  markersWritten: (day: string) => `${AUDIT_ANCHOR_PREFIX}markers-written/${day}.json`,
  allMarkersWritten: `${AUDIT_ANCHOR_PREFIX}markers-written/`,
} as const;

const MARKERS_WRITTEN_FORMAT = 'caseflow.audit-anchor.markers-written/1';

/** Markers written, and days read for one verification, at a time. */
const CONCURRENCY = 16;



/**
 * The daily head digests in S3: written by the audit-anchor function, read for verification.
 * Writes are conditional (`If-None-Match: *`): an object once written is never replaced, so two
 * runs at once agree on the digest S3 kept. In AWS the bucket's Object Lock keeps every version
 * for its retention; s3rver has none (and ignores the condition), which the writer does not need:
 * it writes only days and markers its listing does not show.
 */
export class S3AuditAnchors implements AuditAnchors, AnchorArchive {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async anchorsFor(caseId: string): Promise<AnchoredHead[]> {
    AnchorCaseIdSchema.parse(caseId);
    const prefix = anchorKeys.markersOfCase(caseId);
    const days = (await this.list(prefix)).map((key) => {
      const day = DaySchema.safeParse(key.slice(prefix.length).replace(/\.json$/, ''));
      if (!day.success) throw new AuditAnchorIntegrityError(`an object that is not an audit anchor marker is among the markers of case ${caseId}`);
      return day.data;
    });
    const heads = await mapLimited(days.sort(), CONCURRENCY, async (day) => {
      const marker = CaseMarkerSchema.safeParse(await this.readJson(anchorKeys.marker(caseId, day)));
      if (!marker.success || marker.data.caseId !== caseId || marker.data.day !== day) {
        throw new AuditAnchorIntegrityError(`the audit anchor marker of case ${caseId} for ${day} is not a valid marker`);
      }
      const digest = await this.readDigest(day);
      if (digest.sha256 !== marker.data.digestSha256) {
        throw new AuditAnchorIntegrityError(`the audit anchor digest of ${day} is not the one case ${caseId} was anchored in: it was replaced`);
      }
      const [head, ...more] = anchoredHeadsOf(digest, caseId);
      if (!head || more.length > 0) throw new AuditAnchorIntegrityError(`the audit anchor digest of ${day} does not anchor case ${caseId} once, as its marker says`);
      return head;
    });
    return heads;
  }

  async anchoredDays(): Promise<{ digests: string[]; markersWritten: string[] }> {
    const daysUnder = async (prefix: string) =>
      (await this.list(prefix))
        .map((key) => key.slice(prefix.length).replace(/\.json$/, ''))
        .filter((day) => DaySchema.safeParse(day).success)
        .sort();
    const [digests, markersWritten] = await Promise.all([daysUnder(anchorKeys.digests), daysUnder(anchorKeys.allMarkersWritten)]);
    return { digests, markersWritten };
  }

  async readDigest(day: string): Promise<DayDigest> {
    const verdict = verifyDayDigest(await this.readJson(anchorKeys.digest(day)));
    if (!verdict.valid) throw new AuditAnchorIntegrityError(`the audit anchor digest of ${day} ${verdict.reason}`);
    if (verdict.digest.day !== day) throw new AuditAnchorIntegrityError(`the audit anchor digest stored for ${day} is the digest of ${verdict.digest.day}`);
    return verdict.digest;
  }

  async writeDigest(digest: DayDigest): Promise<DayDigest> {
    return (await this.putOnce(anchorKeys.digest(digest.day), digest)) ? digest : this.readDigest(digest.day);
  }

  async writeMarkers(digest: DayDigest): Promise<void> {
    const markers = markersOf(digest);
    await mapLimited(markers, CONCURRENCY, (m) => this.putOnce(anchorKeys.marker(m.caseId, m.day), m));
    await this.putOnce(anchorKeys.markersWritten(digest.day), { format: MARKERS_WRITTEN_FORMAT, day: digest.day, digestSha256: digest.sha256, markers: markers.length });
  }

  /** Writes the object unless one is there; false when one was (S3 refused the conditional write). */
  private async putOnce(key: string, value: unknown): Promise<boolean> {
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: canonicalize(value), ContentType: 'application/json', IfNoneMatch: '*' }),
      );
      return true;
    } catch (error) {
      if (isConditionalWriteRefused(error)) return false;
      throw error;
    }
  }

  private async readJson(key: string): Promise<unknown> {
    let text: string;
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      text = (await out.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      // A marker found by listing names a digest that must be there: its absence is tampering too.
      if ((error as { name?: string }).name === 'NoSuchKey') throw new AuditAnchorIntegrityError(`the audit anchor object ${key} is missing: it was removed`);
      throw error;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AuditAnchorIntegrityError(`the audit anchor object ${key} is not JSON: it was altered`);
    }
  }

  private async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}
