import { AuditAnchorIntegrityError, buildDayDigest, daysToAnchor, GENESIS_DIGEST, type DayDigest, type DigestHead } from './audit-anchor';

/** The chain heads of the cases whose last change fell on a UTC day (the table's by-day index). */
export interface CaseHeads {
  changedOn(day: string): AsyncIterable<DigestHead>;
}

/** Where the day digests and their per-case markers are kept (S3 in AWS, s3rver locally). */
export interface AnchorArchive {
  /** The days that have a digest, and those whose per-case markers are all written, oldest first. */
  anchoredDays(): Promise<{ digests: string[]; markersWritten: string[] }>;
  /** The stored digest of a day, verified; an AuditAnchorIntegrityError when it does not verify. */
  readDigest(day: string): Promise<DayDigest>;
  /** Stores the digest unless its day has one already (another run was first); returns the one stored. */
  writeDigest(digest: DayDigest): Promise<DayDigest>;
  /** Writes a marker for each case the digest anchors, then records the day's markers as written. */
  writeMarkers(digest: DayDigest): Promise<void>;
}

export interface AnchorRun {
  /** The days anchored by this run, oldest first. */
  anchored: { day: string; cases: number }[];
  /** Days whose digest an earlier run wrote without finishing their markers, finished now. */
  markersCompleted: string[];
  /** Finished days left for the next run. */
  remaining: number;
}

/** Days anchored per run at most: a long outage is caught up over several runs, each within its timeout. */
export const MAX_DAYS_PER_RUN = 31;

/**
 * The daily anchoring (M5.3, M7.3): every finished UTC day after the last one anchored gets its
 * head digest, chained to the day before, and each case in it a marker. Running again does
 * nothing; a run that stopped halfway is finished by the next one. The digest is written before
 * its markers, and markers are always made from the digest as stored, so no marker ever names a
 * digest that is not there. A stored digest that does not verify stops the run (it is never
 * chained onto).
 */
export async function anchorAuditHeads(deps: { heads: CaseHeads; archive: AnchorArchive }, now: Date, maxDays = MAX_DAYS_PER_RUN): Promise<AnchorRun> {
  const { digests, markersWritten } = await deps.archive.anchoredDays();
  const written = new Set(markersWritten);
  const markersCompleted: string[] = [];
  for (const day of digests.filter((d) => !written.has(d))) {
    await deps.archive.writeMarkers(await deps.archive.readDigest(day));
    markersCompleted.push(day);
  }

  const last = digests.at(-1);
  const { days, remaining } = daysToAnchor(last, now, maxDays);
  let previous = last !== undefined && days.length > 0 ? await deps.archive.readDigest(last) : undefined;
  const anchored: AnchorRun['anchored'] = [];
  for (const day of days) {
    const heads: DigestHead[] = [];
    for await (const head of deps.heads.changedOn(day)) heads.push(head);
    const stored = await deps.archive.writeDigest(buildDayDigest(day, heads, previous));
    if (stored.day !== day || stored.previousDigestSha256 !== (previous?.sha256 ?? GENESIS_DIGEST)) {
      throw new AuditAnchorIntegrityError(`the stored digest of ${day} does not chain to the digest of ${previous?.day ?? 'GENESIS'}`);
    }
    await deps.archive.writeMarkers(stored);
    anchored.push({ day, cases: stored.heads.length });
    previous = stored;
  }
  return { anchored, markersCompleted, remaining };
}
