import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import * as z from 'zod';
import { DaySchema } from './audit-anchor';
import type { Clock } from './clock';
import { CaseStateError } from './errors';
import type { ExportFileCodec, ExportPartFilesWriter, ManifestSigner } from './export-ports';
import { EXPORT_SCHEMA_VERSION, exportRows, RECORD_TYPES, type CaseRecords, type RecordType } from './export-records';
import { verifyManifestSignature } from './manifest-signature';
import { mapOrdered } from './map-limited';

/**
 * Compliance exports (M5.3, M7.3, C4.3, C6.3; docs/exports.md). An export covers a period of whole
 * UTC days that have ended. For each day it writes the cases last changed that day (the by-day
 * index: never a Scan) with their redacted timelines, escalations and chain heads
 * (export-records.ts: the non-personal record), as JSON Lines and Parquet, in parts of at most
 * `CASES_A_PART` cases. It streams: each case is read (READS_IN_FLIGHT at once, kept in index
 * order), turned into rows and handed to the part's file writers at once, so memory holds a part's
 * encoded bytes and a few cases, not a part's records (it stays flat whatever the day's size). A day is done when its marker
 * (`_day.json`, listing its files) is written: a run that stopped half-way resumes at the first
 * day without one, and writes that day again whole (the same files, the same keys: no duplicate,
 * no gap). Last, the manifest: period, schema version, counts per record type, every file's
 * SHA-256, and the previous manifest's SHA-256 and sequence number, signed (ECDSA P-256) — like
 * CloudTrail's digest files, so that a missing, altered or reordered export is found by
 * `verifyExportChain`. An export is idempotent per period: its id is the period.
 */

/** Parts of 500 were tried: 13% more CPU a case and no lower peak RSS (docs/benchmarks.md, "Compliance exports"). */
export const CASES_A_PART = 1000;
/** Case partitions read at once while a part is gathered: enough to hide the round trips, few enough not to throttle the table. */
export const READS_IN_FLIGHT = 16;

export const MAX_EXPORT_DAYS = 366;
export const MANIFEST_FORMAT = 'caseflow.export-manifest/1';
export const EXPORTS_PREFIX = 'exports/';
export const MANIFESTS_PREFIX = 'exports/manifests/';

export const ExportPeriodSchema = z
  .object({ from: DaySchema, to: DaySchema })
  .strict()
  .refine((p) => p.from <= p.to, { message: 'The period ends before it starts', path: ['to'] })
  .refine((p) => dayCount(p) <= MAX_EXPORT_DAYS, { message: `A period is at most ${MAX_EXPORT_DAYS} days`, path: ['to'] });
export type ExportPeriod = z.infer<typeof ExportPeriodSchema>;

export const ExportTriggerSchema = z.enum(['scheduled', 'on-demand']);
export type ExportTrigger = z.infer<typeof ExportTriggerSchema>;

const DAY_MS = 86_400_000;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
const dayCount = (p: { from: string; to: string }) => Math.round((dayMs(p.to) - dayMs(p.from)) / DAY_MS) + 1;

/** The days of a period, first first. */
export function daysOf(p: ExportPeriod): string[] {
  return Array.from({ length: dayCount(p) }, (_, i) => new Date(dayMs(p.from) + i * DAY_MS).toISOString().slice(0, 10));
}

/** An export's id: its period (one export a period, whoever starts it). */
export const exportIdOf = (p: ExportPeriod) => `${p.from}_${p.to}`;
export const ExportIdSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}$/, 'exportId must be <from>_<to> (YYYY-MM-DD_YYYY-MM-DD)');
export function periodOfExportId(id: string): ExportPeriod {
  const [from = '', to = ''] = ExportIdSchema.parse(id).split('_');
  return ExportPeriodSchema.parse({ from, to });
}

export const exportKeys = {
  file: (exportId: string, day: string, type: RecordType, part: number, format: 'jsonl' | 'parquet') => `${EXPORTS_PREFIX}${exportId}/date=${day}/${type}-${String(part).padStart(4, '0')}.${format}`,
  day: (exportId: string, day: string) => `${EXPORTS_PREFIX}${exportId}/date=${day}/_day.json`,
  manifest: (exportId: string) => `${EXPORTS_PREFIX}${exportId}/manifest.json`,
  chained: (sequence: number) => `${MANIFESTS_PREFIX}${String(sequence).padStart(8, '0')}.json`,
};

/** A period that has not ended, or a day not written yet: the state forbids it now (409), not the input. */
export class ExportNotReadyError extends CaseStateError {}

export const ExportedFileSchema = z.object({
  path: z.string(),
  type: z.enum(['cases', 'events', 'escalations', 'heads']),
  format: z.enum(['jsonl', 'parquet']),
  records: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ExportedFile = z.infer<typeof ExportedFileSchema>;

const CountsSchema = z.object({ cases: z.number().int(), events: z.number().int(), escalations: z.number().int(), heads: z.number().int() });

export const DayMarkerSchema = z.object({ exportId: z.string(), day: DaySchema, writtenAt: z.iso.datetime(), counts: CountsSchema, files: z.array(ExportedFileSchema) });
export type DayMarker = z.infer<typeof DayMarkerSchema>;

export const ManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
  exportId: z.string(),
  period: z.object({ from: DaySchema, to: DaySchema }),
  trigger: ExportTriggerSchema,
  generatedAt: z.iso.datetime(),
  /** 1, 2, 3…: the manifest's place in the chain of every export. */
  sequence: z.number().int().positive(),
  /** The manifest before it in the chain (none for the first): its sequence and the SHA-256 of its bytes. */
  previous: z.object({ sequence: z.number().int().positive(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
  counts: CountsSchema,
  files: z.array(ExportedFileSchema),
  signature: z.object({ alg: z.literal('ECDSA_P256_SHA256'), keyId: z.string(), value: z.string() }),
});
export type Manifest = z.infer<typeof ManifestSchema>;

// ---- ports ----

/** The exports bucket (S3; s3rver locally). */
export interface ExportStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Writes only if nothing is there yet (the chain's manifests): `exists` otherwise. */
  putIfAbsent(key: string, bytes: Uint8Array, contentType: string): Promise<'written' | 'exists'>;
  get(key: string): Promise<Uint8Array | undefined>;
  /** Every key under the prefix, in key order. */
  list(prefix: string): Promise<string[]>;
}

/** What an export reads from the table: a day's cases from the by-day index, then each case's records. */
export interface ExportSource {
  caseIdsChangedOn(day: string): AsyncIterable<string>;
  recordsOf(caseId: string): Promise<CaseRecords | undefined>;
}

export interface ExportDeps {
  store: ExportStore;
  source: ExportSource;
  codec: ExportFileCodec;
  signer: ManifestSigner;
}

// ---- planning ----

/** The period must be over: exports cover whole days that have ended (a day still being written would change after its export). */
export function assertPeriodEnded(p: ExportPeriod, now: Date): void {
  const today = now.toISOString().slice(0, 10);
  if (p.to >= today) throw new ExportNotReadyError(`The period must end before today (${today}): a day is exported once it has ended`);
}

export const CadenceSchema = z.enum(['daily', 'weekly', 'monthly']);
export type Cadence = z.infer<typeof CadenceSchema>;

/** The calendar date of an instant in a time zone. */
function dateIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The period a schedule covers when it fires: the day before (daily), the seven days before
 * (weekly), or the calendar month before (monthly), by the calendar of the schedule's time zone
 * — read as UTC days, which are the index's days (docs/exports.md).
 */
export function scheduledPeriod(cadence: Cadence, firedAt: Date, timeZone: string): ExportPeriod {
  const today = dateIn(firedAt, timeZone);
  const shift = (day: string, days: number) => new Date(dayMs(day) + days * DAY_MS).toISOString().slice(0, 10);
  if (cadence === 'daily') return { from: shift(today, -1), to: shift(today, -1) };
  if (cadence === 'weekly') return { from: shift(today, -7), to: shift(today, -1) };
  const firstOfThisMonth = `${today.slice(0, 7)}-01`;
  const lastOfPrevious = shift(firstOfThisMonth, -1);
  return { from: `${lastOfPrevious.slice(0, 7)}-01`, to: lastOfPrevious };
}

// ---- one day ----

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
const emptyCounts = () => ({ cases: 0, events: 0, escalations: 0, heads: 0 });

/**
 * Exports one day (see the module comment). A day with a marker is done: its marker is returned
 * as it is. Cases that moved on to a later day since the index was read (changed again) are left
 * to that day's export.
 */
export async function exportDay(exportId: string, day: string, deps: ExportDeps, clock: Clock): Promise<DayMarker> {
  const markerKey = exportKeys.day(exportId, day);
  const done = await deps.store.get(markerKey);
  if (done) return DayMarkerSchema.parse(JSON.parse(new TextDecoder().decode(done)));
  const files: ExportedFile[] = [];
  const counts = emptyCounts();
  let part = 0;
  let open: OpenPart | undefined;
  const openPart = (): OpenPart => ({
    at: clock.now().toISOString(),
    cases: 0,
    rows: emptyCounts(),
    writers: { cases: deps.codec.filesWriter('cases'), events: deps.codec.filesWriter('events'), escalations: deps.codec.filesWriter('escalations'), heads: deps.codec.filesWriter('heads') },
  });
  const closePart = async (p: OpenPart) => {
    part += 1;
    for (const type of RECORD_TYPES) {
      counts[type] += p.rows[type];
      const written = p.writers[type].finish();
      for (const format of ['jsonl', 'parquet'] as const) {
        const bytes = written[format];
        const path = exportKeys.file(exportId, day, type, part, format);
        await deps.store.put(path, bytes, format === 'jsonl' ? 'application/x-ndjson' : 'application/vnd.apache.parquet');
        files.push({ path, type, format, records: p.rows[type], bytes: bytes.length, sha256: sha256(bytes) });
      }
    }
  };
  for await (const records of mapOrdered(deps.source.caseIdsChangedOn(day), READS_IN_FLIGHT, (id) => deps.source.recordsOf(id))) {
    // Gone, or changed again since the index was read: that later day's export takes it.
    if (!records || records.case.updatedAt.slice(0, 10) !== day) continue;
    open ??= openPart();
    const rows = exportRows(records, open.at);
    for (const type of RECORD_TYPES) {
      open.writers[type].add(rows[type]);
      open.rows[type] += rows[type].length;
    }
    open.cases += 1;
    if (open.cases >= CASES_A_PART) {
      await closePart(open);
      open = undefined;
    }
  }
  // A day without cases still has its (empty) files: the manifest shows the day was read.
  if (open || part === 0) await closePart(open ?? openPart());
  const marker: DayMarker = { exportId, day, writtenAt: clock.now().toISOString(), counts, files };
  await deps.store.put(markerKey, json(marker), 'application/json');
  return marker;
}

/** A part being written: its files' writers, the rows each has taken, and the time its rows carry. */
interface OpenPart {
  at: string;
  cases: number;
  rows: { [R in RecordType]: number };
  writers: { [R in RecordType]: ExportPartFilesWriter };
}

// ---- the manifest and the chain ----

const unsigned = (m: Omit<Manifest, 'signature'> | Manifest) => {
  const { signature: _signature, ...rest } = m as Manifest;
  return new TextEncoder().encode(canonicalize(rest));
};

async function readManifest(store: ExportStore, key: string): Promise<{ manifest: Manifest; bytes: Uint8Array } | undefined> {
  const bytes = await store.get(key);
  return bytes ? { manifest: ManifestSchema.parse(JSON.parse(new TextDecoder().decode(bytes))), bytes } : undefined;
}

/** The last manifest of the chain: the highest sequence listed. */
async function chainHead(store: ExportStore): Promise<{ manifest: Manifest; bytes: Uint8Array } | undefined> {
  const keys = (await store.list(MANIFESTS_PREFIX)).filter((k) => /\/\d{8}\.json$/.test(k));
  const last = keys.at(-1);
  return last ? readManifest(store, last) : undefined;
}

/**
 * Seals an export whose days are all written: the signed manifest, placed on the chain after the
 * last one (a conditional write: two exports sealing at once do not take the same place; the
 * loser retries after the winner), and a copy beside the export's files. Idempotent: an export
 * sealed before returns its manifest.
 */
export async function sealExport(exportId: string, trigger: ExportTrigger, deps: ExportDeps, clock: Clock): Promise<Manifest> {
  const sealed = await readManifest(deps.store, exportKeys.manifest(exportId));
  if (sealed) return sealed.manifest;
  const period = periodOfExportId(exportId);
  const markers: DayMarker[] = [];
  for (const day of daysOf(period)) {
    const bytes = await deps.store.get(exportKeys.day(exportId, day));
    if (!bytes) throw new ExportNotReadyError(`Day ${day} of export ${exportId} is not written yet`);
    markers.push(DayMarkerSchema.parse(JSON.parse(new TextDecoder().decode(bytes))));
  }
  const counts = emptyCounts();
  for (const m of markers) for (const type of RECORD_TYPES) counts[type] += m.counts[type];
  const keyId = await deps.signer.keyId();
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const head = await chainHead(deps.store);
    // A seal that stopped after taking its place on the chain finds itself there.
    if (head?.manifest.exportId === exportId) {
      await deps.store.put(exportKeys.manifest(exportId), head.bytes, 'application/json');
      return head.manifest;
    }
    const base: Omit<Manifest, 'signature'> = {
      format: MANIFEST_FORMAT,
      schemaVersion: EXPORT_SCHEMA_VERSION,
      exportId,
      period,
      trigger,
      generatedAt: clock.now().toISOString(),
      sequence: (head?.manifest.sequence ?? 0) + 1,
      previous: head ? { sequence: head.manifest.sequence, sha256: sha256(head.bytes) } : null,
      counts,
      files: markers.flatMap((m) => m.files),
    };
    const manifest: Manifest = { ...base, signature: { alg: 'ECDSA_P256_SHA256', keyId, value: await deps.signer.sign(unsigned(base)) } };
    const bytes = json(manifest);
    if ((await deps.store.putIfAbsent(exportKeys.chained(manifest.sequence), bytes, 'application/json')) === 'written') {
      await deps.store.put(exportKeys.manifest(exportId), bytes, 'application/json');
      return manifest;
    }
  }
  throw new Error(`export ${exportId} could not take a place on the manifest chain`);
}

/** Runs a whole export in one go (the CLI and tests; the workflow runs the same steps one by one). */
export async function runExport(period: ExportPeriod, trigger: ExportTrigger, deps: ExportDeps, clock: Clock, onDay?: (day: string, marker: DayMarker) => void): Promise<Manifest> {
  const p = ExportPeriodSchema.parse(period);
  assertPeriodEnded(p, clock.now());
  const exportId = exportIdOf(p);
  for (const day of daysOf(p)) {
    const marker = await exportDay(exportId, day, deps, clock);
    onDay?.(day, marker);
  }
  return sealExport(exportId, trigger, deps, clock);
}

// ---- verification ----

export interface ChainVerdict {
  valid: boolean;
  /** Manifests checked, in chain order. */
  manifests: number;
  files: number;
  /** The first broken link, in words: which manifest or file, and what is wrong. */
  firstProblem?: { sequence: number; exportId?: string; path?: string; problem: string };
}

/**
 * Checks the whole chain: every manifest in sequence from 1 with no gap, each naming the previous
 * manifest's SHA-256, each signature valid under the signer's public key, every file present with
 * its SHA-256. Stops at the first broken link (what comes after it cannot be trusted either).
 */
export async function verifyExportChain(deps: Pick<ExportDeps, 'store'> & { publicKeyPem: string }, onManifest?: (m: Manifest) => void): Promise<ChainVerdict> {
  const keys = (await deps.store.list(MANIFESTS_PREFIX)).filter((k) => /\/\d{8}\.json$/.test(k));
  let previous: { sequence: number; sha256: string } | null = null;
  let files = 0;
  let manifests = 0;
  const broken = (sequence: number, problem: string, extra: { exportId?: string; path?: string } = {}): ChainVerdict => ({ valid: false, manifests, files, firstProblem: { sequence, ...extra, problem } });
  for (const [i, key] of keys.entries()) {
    const expected = i + 1;
    const bytes = await deps.store.get(key);
    if (!bytes) return broken(expected, `manifest ${key} is listed but cannot be read`);
    let manifest: Manifest;
    try {
      manifest = ManifestSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
    } catch {
      return broken(expected, `manifest ${key} is not a manifest`);
    }
    if (manifest.sequence !== expected || key !== exportKeys.chained(manifest.sequence)) return broken(expected, `manifest ${expected} is missing or out of place (found sequence ${manifest.sequence} at ${key})`);
    if (canonicalize(manifest.previous) !== canonicalize(previous)) return broken(expected, `manifest ${expected} does not name the manifest before it (chain broken: one was removed, replaced or reordered)`, { exportId: manifest.exportId });
    if (!verifyManifestSignature(unsigned(manifest), manifest.signature.value, deps.publicKeyPem)) return broken(expected, `manifest ${expected}'s signature does not verify (altered, or signed by another key)`, { exportId: manifest.exportId });
    for (const f of manifest.files) {
      const content = await deps.store.get(f.path);
      if (!content) return broken(expected, 'a file is missing', { exportId: manifest.exportId, path: f.path });
      if (sha256(content) !== f.sha256) return broken(expected, 'a file was altered (its SHA-256 differs from the manifest’s)', { exportId: manifest.exportId, path: f.path });
      files += 1;
    }
    manifests += 1;
    onManifest?.(manifest);
    previous = { sequence: manifest.sequence, sha256: sha256(bytes) };
  }
  return { valid: true, manifests, files };
}

// ---- the workflow's request ----

/** What starts an export: a schedule (its cadence and time zone; the time it fired) or an auditor (a period). */
export const ExportRequestSchema = z.discriminatedUnion('trigger', [
  z.object({ trigger: z.literal('scheduled'), cadence: CadenceSchema, timeZone: z.string().min(1), firedAt: z.iso.datetime({ offset: true }).optional() }),
  z.object({ trigger: z.literal('on-demand'), period: ExportPeriodSchema }),
]);
export type ExportRequest = z.infer<typeof ExportRequestSchema>;

export interface ExportPlan {
  exportId: string;
  trigger: ExportTrigger;
  period: ExportPeriod;
  days: string[];
}

/** The export a request asks for (the workflow's first step): its id, trigger and days. */
export function planExport(request: ExportRequest, now: Date): ExportPlan {
  const period = request.trigger === 'scheduled' ? scheduledPeriod(request.cadence, request.firedAt ? new Date(request.firedAt) : now, request.timeZone) : request.period;
  assertPeriodEnded(period, now);
  return { exportId: exportIdOf(period), trigger: request.trigger, period, days: daysOf(period) };
}

/** The workflow execution's name for an export: one execution a period (a second start of the same period is the same export). */
export const exportExecutionName = (exportId: string) => `export-${exportId}`;

export type ExportStatus =
  | { exportId: string; status: 'completed'; manifest: Manifest }
  | { exportId: string; status: 'running'; daysDone: number; days: number }
  | { exportId: string; status: 'not-started' };

/** Where an export stands, from what is in the bucket: its manifest, or how many of its days are written. */
export async function exportStatus(exportId: string, store: ExportStore): Promise<ExportStatus> {
  const sealed = await readManifest(store, exportKeys.manifest(exportId));
  if (sealed) return { exportId, status: 'completed', manifest: sealed.manifest };
  const days = daysOf(periodOfExportId(exportId));
  const written = (await store.list(`${EXPORTS_PREFIX}${exportId}/`)).filter((k) => k.endsWith('/_day.json')).length;
  return written > 0 ? { exportId, status: 'running', daysDone: written, days: days.length } : { exportId, status: 'not-started' };
}
