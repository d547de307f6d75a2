import type { Case } from './case';
import type { CaseEvent } from './case-event';

/**
 * The protocol's figures as CloudWatch metrics (M6.2, C6.2; docs/metrics.md), derived from the
 * changes the table's stream carries — the same events and case fields `GET /v1/metrics` computes
 * from, so the dashboard and the API agree on what each figure means:
 * - a case opened (`CasesOpened`, by channel and type);
 * - its acknowledgement recorded (`AcknowledgementTime`, ms from receipt);
 * - its first response (`FirstResponseTime`, ms from receipt);
 * - its resolution (`CasesResolved`, `TimeToResolution` ms from receipt; a reopened case resolved
 *   again counts again);
 * - an SLA breach recorded (`SlaBreaches`, by milestone) and an escalation (`Escalations`, by trigger).
 * The CDK dashboard shows them and alarms on the breach rate (`SlaBreaches` / `CasesOpened`).
 * Dimensions are low-cardinality labels: never a case id, a person or anything personal.
 */
export interface ProtocolMetric {
  name: 'CasesOpened' | 'AcknowledgementTime' | 'FirstResponseTime' | 'CasesResolved' | 'TimeToResolution' | 'SlaBreaches' | 'Escalations';
  unit: 'Count' | 'Milliseconds';
  value: number;
  dimensions: Record<string, string>;
}

const since = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

/** The metrics a change of a case item gives (an INSERT has no `before`). */
export function metricsOfCaseChange(before: Case | undefined, after: Case): ProtocolMetric[] {
  const out: ProtocolMetric[] = [];
  const byCase = { Channel: after.channel, Type: after.type };
  if (!before) out.push({ name: 'CasesOpened', unit: 'Count', value: 1, dimensions: byCase });
  if (after.acknowledgedAt && !before?.acknowledgedAt) out.push({ name: 'AcknowledgementTime', unit: 'Milliseconds', value: since(after.receivedAt, after.acknowledgedAt), dimensions: byCase });
  if (after.firstRespondedAt && !before?.firstRespondedAt) out.push({ name: 'FirstResponseTime', unit: 'Milliseconds', value: since(after.receivedAt, after.firstRespondedAt), dimensions: byCase });
  if (after.resolvedAt && after.resolvedAt !== before?.resolvedAt) {
    out.push({ name: 'CasesResolved', unit: 'Count', value: 1, dimensions: byCase });
    out.push({ name: 'TimeToResolution', unit: 'Milliseconds', value: since(after.receivedAt, after.resolvedAt), dimensions: byCase });
  }
  return out;
}

/** The metrics a new timeline event gives. */
export function metricsOfEvent(e: CaseEvent): ProtocolMetric[] {
  if (e.type === 'sla_breached') return [{ name: 'SlaBreaches', unit: 'Count', value: 1, dimensions: { Milestone: e.data.milestone } }];
  if (e.type === 'escalated') return [{ name: 'Escalations', unit: 'Count', value: 1, dimensions: { Trigger: e.data.trigger } }];
  return [];
}
