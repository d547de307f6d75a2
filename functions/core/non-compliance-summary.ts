import * as z from 'zod';
import { CORRECTIVE_ACTION_TYPES, CorrectiveActionTypeSchema, type NonComplianceRecord } from './non-compliance';

/**
 * A month's non-compliance in figures (C8.1–C8.3), for the monthly report: the records opened in
 * the month, by cause; how many were corrected within their 7 days, late, or not at all yet; the
 * corrective actions by type (C8.2); and the staff members with repeated non-compliance (C8.3).
 * Ids and counts only.
 */
const count = z.number().int().nonnegative();

export const NonComplianceSummarySchema = z.object({
  opened: count,
  /** `qualityReview`: failed response-quality reviews (reports made before they existed have none: 0). */
  byCause: z.object({ slaBreach: count, reported: count, qualityReview: count.default(0) }),
  /** A corrective action recorded by the deadline. */
  correctedInTime: count,
  /** Recorded after the deadline had passed. */
  correctedLate: count,
  /** No corrective action yet, the deadline passed (management told). */
  overdue: count,
  /** No corrective action yet, the deadline still ahead. */
  pending: count,
  signedOff: count,
  actionsByType: z.array(z.object({ type: CorrectiveActionTypeSchema, count })),
  /** Staff members with a record flagged repeated this month, most records first. */
  repeated: z.array(z.object({ staffId: z.string(), records: count })),
});
export type NonComplianceSummary = z.infer<typeof NonComplianceSummarySchema>;

export function summarizeNonCompliance(records: readonly NonComplianceRecord[], asOfMs: number): NonComplianceSummary {
  const s: NonComplianceSummary = {
    opened: records.length,
    byCause: { slaBreach: 0, reported: 0, qualityReview: 0 },
    correctedInTime: 0,
    correctedLate: 0,
    overdue: 0,
    pending: 0,
    signedOff: 0,
    actionsByType: CORRECTIVE_ACTION_TYPES.map((type) => ({ type, count: 0 })),
    repeated: [],
  };
  const repeatedBy = new Map<string, number>();
  for (const r of records) {
    if (r.cause.kind === 'sla_breach') s.byCause.slaBreach += 1;
    else if (r.cause.kind === 'quality_review') s.byCause.qualityReview += 1;
    else s.byCause.reported += 1;
    const first = r.correctiveActions[0];
    if (first) {
      if (first.recordedAt <= r.correctiveActionDueAt) s.correctedInTime += 1;
      else s.correctedLate += 1;
    } else if (Date.parse(r.correctiveActionDueAt) <= asOfMs) s.overdue += 1;
    else s.pending += 1;
    if (r.status === 'closed') s.signedOff += 1;
    for (const a of r.correctiveActions) {
      const entry = s.actionsByType.find((e) => e.type === a.type);
      if (entry) entry.count += 1;
    }
    if (r.repeated && r.staffId) repeatedBy.set(r.staffId, (repeatedBy.get(r.staffId) ?? 0) + 1);
  }
  s.repeated = [...repeatedBy].map(([staffId, n]) => ({ staffId, records: n })).sort((a, b) => b.records - a.records || a.staffId.localeCompare(b.staffId));
  return s;
}
