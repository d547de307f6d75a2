import { canonicalize } from './canonical-json';
import { redactEvent } from './audit-chain';
import { verifyChain } from './audit-chain';
import type { Case } from './case';
import type { CaseEvent } from './case-event';
import { eraseEscalationRecord } from './erased-form';
import type { EscalationRecord } from './escalation';

/**
 * What a compliance export holds of a case (M5.3, M7.3, C4.3, C6.3): the non-personal record, the
 * same one an erasure leaves and an archive keeps in clear. Timeline events are redacted
 * (audit-chain.ts `redactEvent`: personal values replaced by placeholders, their salted digest
 * kept), so every event's hash still verifies from the export alone, and nothing in an export
 * needs erasing when a customer asks (docs/exports.md). Rows are flat, typed columns, the same in
 * JSON Lines and in Parquet; `EXPORT_SCHEMA_VERSION` names them.
 */
export const EXPORT_SCHEMA_VERSION = 'caseflow.export/1';

/** The requestId of the redaction markers in an export: no request erased them, the export left the personal data out. */
export const EXPORT_REDACTION = 'compliance-export';

export type ColumnType = 'STRING' | 'INT32' | 'INT64' | 'BOOLEAN' | 'TIMESTAMP' | 'JSON';

export interface Column {
  name: string;
  type: ColumnType;
  /** Absent values allowed (null in Parquet, missing in JSON Lines). */
  nullable: boolean;
}

export type RecordType = 'cases' | 'events' | 'escalations' | 'heads';
export const RECORD_TYPES: readonly RecordType[] = ['cases', 'events', 'escalations', 'heads'];

/** A row: column name -> value (ISO strings for TIMESTAMP columns, canonical JSON text for JSON columns). */
export type Row = Record<string, string | number | boolean | null>;

const col = (name: string, type: ColumnType, nullable = true): Column => ({ name, type, nullable });

export const EXPORT_COLUMNS: { readonly [R in RecordType]: readonly Column[] } = {
  cases: [
    col('caseId', 'STRING', false),
    col('reference', 'STRING', false),
    col('type', 'STRING', false),
    col('channel', 'STRING', false),
    col('priority', 'STRING', false),
    col('status', 'STRING', false),
    col('receivedAt', 'TIMESTAMP', false),
    col('updatedAt', 'TIMESTAMP', false),
    col('acknowledgedAt', 'TIMESTAMP'),
    col('firstRespondedAt', 'TIMESTAMP'),
    col('resolvedAt', 'TIMESTAMP'),
    col('closedAt', 'TIMESTAMP'),
    col('slaPolicyVersion', 'STRING'),
    col('acknowledgementDueAt', 'TIMESTAMP'),
    col('initialResponseDueAt', 'TIMESTAMP'),
    col('slaBreached', 'BOOLEAN'),
    col('escalationLevel', 'INT32'),
    col('assigneeId', 'STRING'),
    col('spam', 'BOOLEAN'),
    col('erased', 'BOOLEAN', false),
    col('legalHold', 'BOOLEAN', false),
    col('version', 'INT32', false),
    col('lastEventHash', 'STRING', false),
  ],
  events: [
    col('caseId', 'STRING', false),
    col('seq', 'INT32', false),
    col('type', 'STRING', false),
    col('at', 'TIMESTAMP', false),
    col('actorKind', 'STRING', false),
    col('actorId', 'STRING'),
    col('prevHash', 'STRING', false),
    col('hash', 'STRING', false),
    /** The redacted event, whole: `hashEvent` of it (without `hash`) is `hash`. */
    col('event', 'JSON', false),
  ],
  escalations: [
    col('caseId', 'STRING', false),
    col('number', 'INT32', false),
    col('level', 'INT32', false),
    col('escalatedAt', 'TIMESTAMP', false),
    col('responsibleParty', 'STRING', false),
    col('respondBy', 'TIMESTAMP', false),
    col('acknowledgedAt', 'TIMESTAMP'),
    col('endedAt', 'TIMESTAMP'),
    col('ending', 'STRING'),
    col('actions', 'INT32', false),
    /** The escalation record in its erased form (erased-form.ts), whole. */
    col('record', 'JSON', false),
  ],
  heads: [
    col('caseId', 'STRING', false),
    col('reference', 'STRING', false),
    col('version', 'INT32', false),
    col('lastEventHash', 'STRING', false),
    /** The chain of the exported events verified when the export was made. */
    col('chainValid', 'BOOLEAN', false),
  ],
};

/** Everything an export holds of one case, as read from the table. */
export interface CaseRecords {
  case: Case;
  timeline: readonly CaseEvent[];
  escalations: readonly EscalationRecord[];
}

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** The export's rows of one case: its case row, its redacted events, its escalations, its chain head. */
export function exportRows(records: CaseRecords, at: string): { [R in RecordType]: Row[] } {
  const rows = caseRows(records, at);
  for (const type of RECORD_TYPES) for (const row of rows[type]) MADE_HERE.add(Object.freeze(row));
  return rows;
}

/**
 * Rows exportRows made: frozen, so nobody changes them after, and their JSON columns are
 * canonicalize's own text. A writer need not parse that text again to know it is JSON (export-codec.ts);
 * rows from anywhere else are checked in full.
 */
const MADE_HERE = new WeakSet<Row>();
export const isExportRow = (row: Row): boolean => MADE_HERE.has(row);

function caseRows(records: CaseRecords, at: string): { [R in RecordType]: Row[] } {
  const c = records.case;
  const events = records.timeline.map((e) => (e.salt === undefined && !e.redaction ? e : redactEvent(e, EXPORT_REDACTION, at)));
  // Events written before salted hashing cannot be redacted: their personal values are left out of
  // the row, and their hash cannot be checked from the export (`event` holds the public fields only).
  const publicEvent = (e: CaseEvent) => (e.salt === undefined && !e.redaction ? { caseId: e.caseId, seq: e.seq, type: e.type, at: e.at, actor: e.actor, prevHash: e.prevHash, hash: e.hash, legacy: true } : e);
  return {
    cases: [
      {
        caseId: c.caseId,
        reference: c.reference,
        type: c.type,
        channel: c.channel,
        priority: c.priority,
        status: c.status,
        receivedAt: c.receivedAt,
        updatedAt: c.updatedAt,
        acknowledgedAt: opt(c.acknowledgedAt),
        firstRespondedAt: opt(c.firstRespondedAt),
        resolvedAt: opt(c.resolvedAt),
        closedAt: opt(c.closedAt),
        slaPolicyVersion: opt(c.sla?.policyVersion),
        acknowledgementDueAt: opt(c.sla?.acknowledgementDueAt),
        initialResponseDueAt: opt(c.sla?.initialResponseDueAt),
        slaBreached: opt(c.slaBreached),
        escalationLevel: opt(c.escalation?.level),
        assigneeId: opt(c.assignee?.id),
        spam: opt(c.spam),
        erased: c.erasure !== undefined,
        legalHold: c.legalHold !== undefined,
        version: c.version,
        lastEventHash: c.lastEventHash,
      },
    ],
    events: events.map((e) => ({
      caseId: e.caseId,
      seq: e.seq,
      type: e.type,
      at: e.at,
      actorKind: e.actor.kind,
      actorId: opt(e.actor.id),
      prevHash: e.prevHash,
      hash: e.hash,
      event: canonicalize(publicEvent(e)),
    })),
    escalations: records.escalations.map((r) => {
      const erased = eraseEscalationRecord(r);
      return {
        caseId: r.caseId,
        number: r.number ?? r.level,
        level: r.level,
        escalatedAt: r.escalatedAt,
        responsibleParty: r.responsibleParty,
        respondBy: r.respondBy,
        acknowledgedAt: opt(r.acknowledgedAt),
        endedAt: opt(r.endedAt),
        ending: opt(r.ending),
        actions: r.actionsTaken.length,
        record: canonicalize(erased),
      };
    }),
    heads: [{ caseId: c.caseId, reference: c.reference, version: c.version, lastEventHash: c.lastEventHash, chainValid: verifyChain(events).valid && (events.at(-1)?.hash ?? c.lastEventHash) === c.lastEventHash }],
  };
}
