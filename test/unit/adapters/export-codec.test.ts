import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { canonicalize } from 'json-canonicalize';
import { exportCodec, PARQUET_ROW_GROUP_ROWS } from '../../../functions/adapters/export-codec';
import { acceptEscalation, escalateCase, recordEscalationAction, resolveEscalation } from '../../../functions/core/actions/escalation-handling';
import { addNote } from '../../../functions/core/actions/add-note';
import { claimCase } from '../../../functions/core/actions/assignment';
import { verifyChain } from '../../../functions/core/audit-chain';
import type { CaseEvent } from '../../../functions/core/case-event';
import { EXPORT_COLUMNS, EXPORT_SCHEMA_VERSION, exportRows, RECORD_TYPES, type ColumnType, type RecordType, type Row } from '../../../functions/core/export-records';
import { agent, HOUR, opened, supervisor } from '../core/actions/support';

const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * The export rows of a complaint worked by hand: claimed, a note, escalated, accepted, acted on
 * and resolved, then escalated again (an open escalation: no acknowledgement, no end). The clock
 * moves by odd amounts, so timestamps carry milliseconds.
 */
async function workedComplaintRows(): Promise<{ [R in RecordType]: Row[] }> {
  const { store, caseId, deps, clock } = await opened('complaint');
  clock.advance(1_234);
  await claimCase(caseId, {}, { actor: agent }, deps);
  await addNote(caseId, { text: 'Called the bank about the double charge' }, { actor: agent }, deps);
  await escalateCase(caseId, { reason: 'Refund above my authority' }, { actor: agent }, deps);
  clock.advance(HOUR + 567);
  await acceptEscalation(caseId, { note: 'Looking at the payment logs' }, { actor: supervisor }, deps);
  await recordEscalationAction(caseId, { action: 'Asked finance to refund the fee' }, { actor: supervisor }, deps);
  await resolveEscalation(caseId, { outcome: 'Refund approved' }, { actor: supervisor }, deps);
  clock.advance(89);
  await escalateCase(caseId, { reason: 'Customer refuses the refund' }, { actor: agent }, deps);
  const records = { case: (await store.getCase(caseId))!, timeline: await store.getTimeline(caseId), escalations: await store.getEscalations(caseId) };
  return exportRows(records, new Date(clock.ms()).toISOString());
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const values = (rows: Row[]) => rows.flatMap((r) => Object.values(r));

/** How each declared column type must appear in the Parquet schema (the Parquet format's physical and converted types). */
const PARQUET_FORM: { [T in ColumnType]: { type: string; converted_type?: string; logical_type?: string } } = {
  STRING: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  INT32: { type: 'INT32' },
  INT64: { type: 'INT64' },
  BOOLEAN: { type: 'BOOLEAN' },
  TIMESTAMP: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
  // The JSON logical type on the canonical text as written (export-codec.ts `parquetSchema`).
  JSON: { type: 'BYTE_ARRAY', logical_type: 'JSON' },
};

/** An events row whose JSON column holds text a naive writer gets wrong: astral characters, combining marks, RTL, U+2028, escapes, integer-like keys. */
function unicodeEventRow(base: Row): Row {
  const event = {
    caseId: base.caseId,
    label: 'Zoë ☕ 𝄞 👩🏽‍💻 naïve (combining) مرحبا 日本語',
    quote: 'a "quoted" \\ back\tslash',
    separator: 'line\u2028paragraph\u2029end',
    control: '\u0001\u001f',
    10: 'ten',
    2: 'two',
    nested: [{ é: 1.5 }, -0.25, 1e21, true, null],
  };
  return { ...base, event: canonicalize(event) };
}

describe('the compliance export files: JSON Lines and Parquet of the export rows (M7.3, C6.3)', () => {
  let rows: { [R in RecordType]: Row[] };
  beforeAll(async () => {
    rows = await workedComplaintRows();
  });

  it('builds rows that hold what the round trips must keep: empty values, both booleans, timestamps with milliseconds', () => {
    // The fixture's own check: the round-trip tests below are only as good as these rows.
    expect(rows.events.length).toBeGreaterThan(5);
    expect(rows.escalations).toHaveLength(2);
    expect(values(rows.cases)).toContain(null);
    expect(rows.escalations.at(-1)).toMatchObject({ acknowledgedAt: null, endedAt: null, ending: null });
    expect(rows.events.some((r) => r.actorId === null)).toBe(true);
    expect(values([...rows.cases, ...rows.heads])).toEqual(expect.arrayContaining([true, false]));
    expect(values(rows.events).some((v) => typeof v === 'string' && /T\d\d:\d\d:\d\d\.\d*[1-9]\d*Z$/.test(v))).toBe(true);
  });

  it.each(RECORD_TYPES)('gives back the %s rows unchanged from JSON Lines', (type) => {
    expect(exportCodec.readJsonl(exportCodec.jsonl(type, rows[type]))).toEqual(rows[type]);
  });

  it.each(RECORD_TYPES)('gives back the %s rows unchanged from Parquet', async (type) => {
    expect(await exportCodec.readParquet(type, await exportCodec.parquet(type, rows[type]))).toEqual(rows[type]);
  });

  it('keeps the redacted events verifiable from the Parquet file alone: every hash still checks (M7.3)', async () => {
    const back = await exportCodec.readParquet('events', await exportCodec.parquet('events', rows.events));
    const events = back.map((r) => JSON.parse(String(r.event)) as CaseEvent);
    expect(verifyChain(events)).toEqual({ valid: true, length: rows.events.length });
  });

  it('writes one JSON object a line, columns in schema order, no key for an empty value, JSON columns nested, a newline after each row', () => {
    const file = text(exportCodec.jsonl('escalations', rows.escalations));
    expect(file.endsWith('\n')).toBe(true);
    const lines = file.split('\n').slice(0, -1);
    expect(lines).toHaveLength(rows.escalations.length);
    lines.forEach((line, i) => {
      const object = JSON.parse(line) as Record<string, unknown>;
      const row = rows.escalations[i]!;
      const filled = EXPORT_COLUMNS.escalations.map((c) => c.name).filter((name) => row[name] !== null);
      expect(Object.keys(object)).toEqual(filled);
      expect(object.record).toEqual(JSON.parse(String(row.record)));
    });
    const open = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect('endedAt' in open || 'acknowledgedAt' in open || 'ending' in open).toBe(false);
  });

  it('keeps unicode, escapes and integer-like keys in a JSON column through both formats as the same canonical text', async () => {
    const row = unicodeEventRow(rows.events[0]!);
    const jsonl = exportCodec.jsonl('events', [row]);
    expect(text(jsonl)).toContain('Zoë ☕ 𝄞 👩🏽‍💻');
    // Both files hold the canonical text itself, integer-like keys in canonical order: what was hashed is what is stored.
    expect(text(jsonl)).toContain(`"event":${String(row.event)}}`);
    expect(exportCodec.readJsonl(jsonl)).toEqual([row]);
    const parquet = await exportCodec.parquet('events', [row]);
    const [stored] = await parquetReadObjects({ file: new Uint8Array(parquet).buffer, columns: ['event'] });
    expect(stored?.event).toBe(row.event);
    expect(await exportCodec.readParquet('events', parquet)).toEqual([row]);
  });

  it('writes the same bytes for the same rows, in both formats', async () => {
    const copy = structuredClone(rows);
    for (const type of RECORD_TYPES) {
      expect(Buffer.from(await exportCodec.parquet(type, copy[type])).equals(Buffer.from(await exportCodec.parquet(type, rows[type])))).toBe(true);
      expect(Buffer.from(exportCodec.jsonl(type, copy[type])).equals(Buffer.from(exportCodec.jsonl(type, rows[type])))).toBe(true);
    }
  });

  it('writes a file handed over a few rows at a time with the same bytes as all at once, across row groups (M7.3)', async () => {
    // More rows than two row groups hold, handed over in uneven batches (as cases arrive: a case's events at a time).
    const many: Row[] = Array.from({ length: 2 * PARQUET_ROW_GROUP_ROWS + 7 }, (_, i) => ({ ...rows.events[i % rows.events.length]!, seq: i + 1 }));
    const jsonl = exportCodec.jsonlWriter('events');
    const parquet = exportCodec.parquetWriter('events');
    for (let at = 0, size = 1; at < many.length; at += size, size = (size % 13) + 1) {
      jsonl.add(many.slice(at, at + size));
      parquet.add(many.slice(at, at + size));
    }
    const streamed = { jsonl: jsonl.finish(), parquet: parquet.finish() };
    expect(Buffer.from(streamed.jsonl).equals(Buffer.from(exportCodec.jsonl('events', many)))).toBe(true);
    expect(Buffer.from(streamed.parquet).equals(Buffer.from(await exportCodec.parquet('events', many)))).toBe(true);
    const metadata = parquetMetadata(new Uint8Array(streamed.parquet).buffer);
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([PARQUET_ROW_GROUP_ROWS, PARQUET_ROW_GROUP_ROWS, 7]);
    expect(await exportCodec.readParquet('events', streamed.parquet)).toEqual(many);
  });

  it('names the row of the whole file, not of its batch, when a streamed row breaks the schema', () => {
    const writer = exportCodec.parquetWriter('cases');
    writer.add(rows.cases);
    expect(() => writer.add([{ ...rows.cases[0]!, caseId: null }])).toThrow(`export cases row ${rows.cases.length}, column caseId: a value is required`);
  });

  it('writes a valid Parquet file with the whole schema for no rows, and an empty JSON Lines file', async () => {
    const file = await exportCodec.parquet('events', []);
    expect(await exportCodec.readParquet('events', file)).toEqual([]);
    const metadata = parquetMetadata(new Uint8Array(file).buffer);
    expect(Number(metadata.num_rows)).toBe(0);
    expect(metadata.schema.slice(1).map((e) => e.name)).toEqual(EXPORT_COLUMNS.events.map((c) => c.name));
    expect(exportCodec.jsonl('events', [])).toHaveLength(0);
    expect(exportCodec.readJsonl(new Uint8Array())).toEqual([]);
  });

  it.each(RECORD_TYPES)('declares each %s column’s type and nullability in the Parquet schema, and names the schema version and record type', async (type) => {
    const metadata = parquetMetadata(new Uint8Array(await exportCodec.parquet(type, rows[type])).buffer);
    const declared = EXPORT_COLUMNS[type].map((c) => ({ name: c.name, ...PARQUET_FORM[c.type], repetition_type: c.nullable ? 'OPTIONAL' : 'REQUIRED' }));
    const written = metadata.schema.slice(1).map((e) => ({ name: e.name, type: e.type, ...(e.converted_type ? { converted_type: e.converted_type } : {}), ...(e.logical_type?.type === 'JSON' ? { logical_type: 'JSON' } : {}), repetition_type: e.repetition_type }));
    expect(written).toEqual(declared);
    expect(metadata.key_value_metadata).toEqual([
      { key: 'caseflow.schema', value: EXPORT_SCHEMA_VERSION },
      { key: 'caseflow.recordType', value: type },
    ]);
    expect(metadata.created_by).toBe('caseflow');
  });

  it('refuses a row that breaks its schema, naming the row and column and never the value', async () => {
    const [event] = rows.events;
    const secret = 'pat.doe@example.com';
    const cases: Row[] = [
      { ...event!, hash: null },
      { ...event!, seq: secret },
      { ...event!, email: secret },
      { ...event!, at: '2026-03-02T09:00:00.123456Z' },
      { ...event!, event: `not json ${secret}` },
    ];
    for (const row of cases) {
      expect(() => exportCodec.jsonl('events', [event!, row])).toThrow(/export events row 1/);
      const refused = await exportCodec.parquet('events', [event!, row]).catch((e: Error) => e);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toMatch(/export events row 1/);
      expect((refused as Error).message).not.toContain(secret);
    }
  });

  it('trusts only the rows an export made: they are frozen, and a copy carrying text that is not JSON is refused (M7.3)', () => {
    const [event] = rows.events;
    expect(Object.isFrozen(event)).toBe(true);
    expect(() => Object.assign(event!, { event: 'not json' })).toThrow(TypeError);
    expect(() => exportCodec.jsonl('events', [{ ...event!, event: '{"seq":' }])).toThrow('export events row 0, column event: not JSON text');
  });

  it('refuses to read a Parquet file as another record type', async () => {
    const file = await exportCodec.parquet('heads', rows.heads);
    await expect(exportCodec.readParquet('cases', file)).rejects.toThrow('not a caseflow.export/1 file of cases');
  });

  it('bundles for Lambda as the functions are bundled (esbuild, CommonJS, node22) and the bundle writes and reads Parquet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caseflow-codec-bundle-'));
    try {
      const outfile = join(dir, 'handler.js');
      // A handler's import of the adapter, bundled with the options of infra/constructs/caseflow-function.ts.
      await build({
        stdin: {
          contents: [
            "import { exportCodec } from './functions/adapters/export-codec';",
            "const row = { caseId: 'c', reference: 'CF-1', version: 3, lastEventHash: 'ab', chainValid: true };",
            "exportCodec.parquet('heads', [row]).then((b) => exportCodec.readParquet('heads', b)).then((r) => process.stdout.write(JSON.stringify(r)));",
          ].join('\n'),
          resolveDir: ROOT,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node22',
        external: ['@aws-sdk/*'],
        outfile,
        logLevel: 'silent',
      });
      writeFileSync(join(dir, 'package.json'), '{}');
      const run = spawnSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual([{ caseId: 'c', reference: 'CF-1', version: 3, lastEventHash: 'ab', chainValid: true }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
