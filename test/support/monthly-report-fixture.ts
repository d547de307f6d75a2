import type { Channel, CaseType } from '../../functions/core/case';
import { CaseEventSchema, type CaseEvent, type CaseEventType } from '../../functions/core/case-event';
import { MANIFEST_FORMAT, type Manifest } from '../../functions/core/compliance-export';
import { EXPORT_SCHEMA_VERSION } from '../../functions/core/export-records';
import type { MetricsCaseRecord } from '../../functions/core/metrics';
import type { StoredManifest } from '../../functions/core/monthly-report';
import { computeDeadlines, slaPolicy } from '../../functions/core/sla-policy';

/**
 * A hand-built month for the monthly report's tests: November 2026, seven cases whose every figure
 * is worked out below, two cases of October (month over month), two just outside, and export
 * manifests of which two overlap November. The free text the cases carry (`SECRET`) and the
 * customer's name must never reach a report.
 */

export const MIN = 60_000;
export const HOUR = 60 * MIN;
const iso = (base: string, plusMs: number) => new Date(Date.parse(base) + plusMs).toISOString();

type DataOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>['data'];
interface Step {
  type: CaseEventType;
  at: string;
  data: unknown;
}
const step = <T extends CaseEventType>(type: T, at: string, data: DataOf<T>): Step => ({ type, at, data });
const moved = (at: string, from: string, to: string) => step('status_changed', at, { from, to, ...(to === 'resolved' ? { resolution: { summary: `SECRET resolution ${at}` } } : {}) } as DataOf<'status_changed'>);
const escalated = (at: string, escalationId: string, level: number, respondBy: string, trigger: 'automatic' | 'manual' = 'automatic') =>
  step('escalated', at, { escalationId, level, trigger, escalatedFrom: 'agent', responsibleParty: level === 1 ? 'supervisor@example.com' : 'manager@example.com', reason: 'SECRET escalation reason', respondBy });

/** The customer every case is about: neither name nor address may appear in a report. */
export const CUSTOMER = { name: 'Zebulon Quartermaine', email: 'zebulon.quartermaine@example.com' };

let ids = 0;
function record(spec: { type: CaseType; channel: Channel; receivedAt: string; acknowledgedAt?: string; firstRespondedAt?: string; assignee?: string; steps?: Step[] }): MetricsCaseRecord {
  ids += 1;
  const caseId = `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`;
  const sla = computeDeadlines(spec.type, new Date(spec.receivedAt), slaPolicy());
  const steps = [step('case_received', spec.receivedAt, { channel: spec.channel, caseType: spec.type, sla }), ...(spec.steps ?? [])];
  const timeline = steps.map((s, i) => CaseEventSchema.parse({ caseId, seq: i + 1, at: s.at, actor: { kind: 'system', id: 'caseflow' }, prevHash: 'p', hash: 'h', type: s.type, data: s.data }));
  const c = {
    caseId,
    type: spec.type,
    channel: spec.channel,
    receivedAt: spec.receivedAt,
    sla,
    ...(spec.acknowledgedAt ? { acknowledgedAt: spec.acknowledgedAt } : {}),
    ...(spec.firstRespondedAt ? { firstRespondedAt: spec.firstRespondedAt } : {}),
    ...(spec.assignee ? { assignee: { id: spec.assignee } } : {}),
    // As the table holds a case: with its customer (the report must not read it).
    customer: CUSTOMER,
  };
  return { case: c, timeline };
}

export const MONTH = '2026-11';
/** The report's time: the first Tuesday morning of December. */
export const AS_OF = '2026-12-01T06:00:00.000Z';

const RA = '2026-11-02T09:00:00.000Z';
const RB = '2026-11-02T10:00:00.000Z';
const RC = '2026-11-03T12:00:00.000Z';
const RD = '2026-11-05T09:00:00.000Z';
const RE = '2026-11-30T23:59:59.999Z';
const RF = '2026-11-10T08:00:00.000Z';
const RG = '2026-11-10T09:00:00.000Z';

/*
 * November 2026 (acknowledgement 15 min, initial response 24 h, escalation response 24 h):
 * A web inquiry, 2 Nov 09:00: acknowledged +5 min, answered +2 h, resolved +6 h.
 * B email complaint, 2 Nov 10:00: acknowledgement breach recorded +15 min, acknowledged +20 min;
 *   escalated automatically +24 h (ESC-01, respond by +48 h), accepted +26 h; answered +30 h (late);
 *   the escalation resolved +40 h, the case +41 h.
 * C phone inquiry, 3 Nov 12:00: acknowledged and answered at once (a call), resolved +10 min.
 * D web complaint, 5 Nov 09:00: never acknowledged nor answered; ESC-01 +24 h unaccepted, climbed to
 *   ESC-02 (level 2) at its respond-by +48 h, accepted +80 h (after +72 h: late); still open.
 * E api inquiry, 30 Nov 23:59:59.999: resolved +5 min, before any deadline (both stopped).
 * F email inquiry, 10 Nov 08:00: acknowledged +1 min; escalated by hand +3 h, handed back +4 h;
 *   answered +10 h; resolved +12 h, reopened +20 h, resolved +22 h.
 * G web inquiry, 10 Nov 09:00: acknowledged +30 min (late, no breach recorded), answered +3 h, resolved +5 h.
 */
export const NOVEMBER: MetricsCaseRecord[] = [
  record({
    type: 'inquiry',
    channel: 'web',
    receivedAt: RA,
    acknowledgedAt: iso(RA, 5 * MIN),
    firstRespondedAt: iso(RA, 2 * HOUR),
    assignee: 'a1',
    steps: [
      moved(iso(RA, 5 * MIN), 'new', 'acknowledged'),
      step('assignment_changed', iso(RA, 10 * MIN), { to: { id: 'a1' }, how: 'claimed' }),
      step('agent_replied', iso(RA, 2 * HOUR), { firstResponse: true, text: 'SECRET reply' }),
      moved(iso(RA, 2 * HOUR), 'acknowledged', 'in_progress'),
      moved(iso(RA, 6 * HOUR), 'in_progress', 'resolved'),
    ],
  }),
  record({
    type: 'complaint',
    channel: 'email',
    receivedAt: RB,
    acknowledgedAt: iso(RB, 20 * MIN),
    firstRespondedAt: iso(RB, 30 * HOUR),
    assignee: 'a2',
    steps: [
      step('sla_breached', iso(RB, 15 * MIN), { milestone: 'acknowledgement', dueAt: iso(RB, 15 * MIN), detectedAt: iso(RB, 15 * MIN), notify: 'supervisor@example.com' }),
      moved(iso(RB, 20 * MIN), 'new', 'acknowledged'),
      moved(iso(RB, 2 * HOUR), 'acknowledged', 'in_progress'),
      escalated(iso(RB, 24 * HOUR), 'ESC-01', 1, iso(RB, 48 * HOUR)),
      step('escalation_acknowledged', iso(RB, 26 * HOUR), { escalationId: 'ESC-01', level: 1 }),
      step('agent_replied', iso(RB, 30 * HOUR), { firstResponse: true }),
      step('escalation_resolved', iso(RB, 40 * HOUR), { escalationId: 'ESC-01', level: 1, outcome: 'SECRET outcome' }),
      moved(iso(RB, 41 * HOUR), 'in_progress', 'resolved'),
    ],
  }),
  record({
    type: 'inquiry',
    channel: 'phone',
    receivedAt: RC,
    acknowledgedAt: RC,
    firstRespondedAt: RC,
    assignee: 'a1',
    steps: [
      step('call_logged', RC, { direction: 'inbound', startedAt: RC, durationSeconds: 120, transcript: 'SECRET transcript', firstResponse: true }),
      moved(RC, 'new', 'in_progress'),
      moved(iso(RC, 10 * MIN), 'in_progress', 'resolved'),
    ],
  }),
  record({
    type: 'complaint',
    channel: 'web',
    receivedAt: RD,
    steps: [
      escalated(iso(RD, 24 * HOUR), 'ESC-01', 1, iso(RD, 48 * HOUR)),
      escalated(iso(RD, 48 * HOUR), 'ESC-02', 2, iso(RD, 72 * HOUR)),
      step('escalation_acknowledged', iso(RD, 80 * HOUR), { escalationId: 'ESC-02', level: 2 }),
    ],
  }),
  record({ type: 'inquiry', channel: 'api', receivedAt: RE, steps: [moved(iso(RE, 5 * MIN), 'new', 'resolved')] }),
  record({
    type: 'inquiry',
    channel: 'email',
    receivedAt: RF,
    acknowledgedAt: iso(RF, MIN),
    firstRespondedAt: iso(RF, 10 * HOUR),
    assignee: 'a2',
    steps: [
      moved(iso(RF, MIN), 'new', 'acknowledged'),
      escalated(iso(RF, 3 * HOUR), 'ESC-01', 1, iso(RF, 27 * HOUR), 'manual'),
      step('deescalated', iso(RF, 4 * HOUR), { escalationId: 'ESC-01', level: 1, reason: 'SECRET hand-back reason' }),
      step('agent_replied', iso(RF, 10 * HOUR), { firstResponse: true }),
      moved(iso(RF, 10 * HOUR), 'acknowledged', 'in_progress'),
      moved(iso(RF, 12 * HOUR), 'in_progress', 'resolved'),
      moved(iso(RF, 20 * HOUR), 'resolved', 'in_progress'),
      moved(iso(RF, 22 * HOUR), 'in_progress', 'resolved'),
    ],
  }),
  record({
    type: 'inquiry',
    channel: 'web',
    receivedAt: RG,
    acknowledgedAt: iso(RG, 30 * MIN),
    firstRespondedAt: iso(RG, 3 * HOUR),
    assignee: 'a1',
    steps: [
      moved(iso(RG, 30 * MIN), 'new', 'acknowledged'),
      step('agent_replied', iso(RG, 3 * HOUR), { firstResponse: true }),
      moved(iso(RG, 3 * HOUR), 'acknowledged', 'in_progress'),
      moved(iso(RG, 5 * HOUR), 'in_progress', 'resolved'),
    ],
  }),
];

const RP1 = '2026-10-15T10:00:00.000Z';
const RP2 = '2026-10-20T10:00:00.000Z';

/** October: P1 met both milestones; P2 answered after 30 h (breached). Both resolved. */
export const OCTOBER: MetricsCaseRecord[] = [
  record({
    type: 'inquiry',
    channel: 'web',
    receivedAt: RP1,
    acknowledgedAt: iso(RP1, 3 * MIN),
    firstRespondedAt: iso(RP1, HOUR),
    steps: [moved(iso(RP1, 3 * MIN), 'new', 'acknowledged'), step('agent_replied', iso(RP1, HOUR), { firstResponse: true }), moved(iso(RP1, 2 * HOUR), 'acknowledged', 'resolved')],
  }),
  record({
    type: 'inquiry',
    channel: 'email',
    receivedAt: RP2,
    acknowledgedAt: iso(RP2, 10 * MIN),
    firstRespondedAt: iso(RP2, 30 * HOUR),
    steps: [moved(iso(RP2, 10 * MIN), 'new', 'acknowledged'), step('agent_replied', iso(RP2, 30 * HOUR), { firstResponse: true }), moved(iso(RP2, 31 * HOUR), 'acknowledged', 'resolved')],
  }),
];

/** Just outside both months: the first millisecond of December, the last of September. */
export const OUTSIDE: MetricsCaseRecord[] = [record({ type: 'inquiry', channel: 'web', receivedAt: '2026-12-01T00:00:00.000Z' }), record({ type: 'complaint', channel: 'web', receivedAt: '2026-09-30T23:59:59.999Z' })];

export const ALL_RECORDS = [...OUTSIDE, ...OCTOBER, ...NOVEMBER];

const hex = (c: string) => c.repeat(64);
function manifest(sequence: number, from: string, to: string, cases: number): StoredManifest {
  const m: Manifest = {
    format: MANIFEST_FORMAT,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportId: `${from}_${to}`,
    period: { from, to },
    trigger: 'scheduled',
    // Sealed half an hour after the period's last day ended.
    generatedAt: new Date(Date.parse(`${to}T00:00:00.000Z`) + 24 * HOUR + 30 * MIN).toISOString(),
    sequence,
    previous: sequence === 1 ? null : { sequence: sequence - 1, sha256: hex(String(sequence - 1)) },
    counts: { cases, events: cases * 3, escalations: 0, heads: cases },
    files: [{ path: `exports/${from}_${to}/date=${from}/cases-0001.jsonl`, type: 'cases', format: 'jsonl', records: cases, bytes: 100, sha256: hex('a') }],
    signature: { alg: 'ECDSA_P256_SHA256', keyId: 'local:test-key', value: 'c2ln' },
  };
  return { manifest: m, sha256: hex(String(sequence)) };
}

/** #1 covers October (not November); #2 the 1st to the 15th of November, #3 the 16th to the 20th: the 21st to the 30th are not exported. */
export const MANIFESTS: StoredManifest[] = [manifest(3, '2026-11-16', '2026-11-20', 2), manifest(1, '2026-10-01', '2026-10-31', 2), manifest(2, '2026-11-01', '2026-11-15', 6)];
