import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { ByteWriter, ParquetWriter, schemaFromColumnData, type ColumnSource } from 'hyparquet-writer';
import { canonicalize } from '../core/canonical-json';
import type { ExportFileCodec, ExportFileWriter, ExportPartFilesWriter } from '../core/export-ports';
import { EXPORT_COLUMNS, EXPORT_SCHEMA_VERSION, isExportRow, RECORD_TYPES, type Column, type RecordType, type Row } from '../core/export-records';

/**
 * The files of a compliance export (docs/exports.md): JSON Lines and Parquet of the same typed
 * rows (core/export-records.ts). Parquet is written with hyparquet-writer and read back with
 * hyparquet: maintained, pure JavaScript, no native code, so Lambda and an offline verifier write
 * and read the same bytes.
 *
 * Both packages are ESM only. They are imported statically: esbuild (CDK bundling, format cjs)
 * bundles them into the function, tsx loads them, and jest transforms them with @swc/jest
 * (jest.config.js `transformIgnorePatterns`, as for jose).
 *
 * Rows are checked against their schema before a byte is written: an unknown column, an empty
 * required one or a value of the wrong type is refused. Error messages name the record type, the
 * row's index and the column, never a value.
 *
 * Value forms: TIMESTAMP columns are written at millisecond precision (Parquet TIMESTAMP_MILLIS)
 * and read back as `toISOString()` text ("…T09:00:00.000Z"), in both formats; a timestamp with
 * finer precision is refused rather than truncated. JSON columns hold canonical JSON text in a
 * row; the files hold the JSON value (nested in JSON Lines, JSON text in Parquet), and reading
 * canonicalizes it again, so a row read back equals the row written.
 */

/** The Parquet key-value metadata naming the schema and the record type of a file. */
export const PARQUET_SCHEMA_KEY = 'caseflow.schema';
export const PARQUET_RECORD_TYPE_KEY = 'caseflow.recordType';
/** Parquet `created_by`: no version and no time, so the same rows give the same bytes. */
const CREATED_BY = 'caseflow';
/**
 * Rows a Parquet row group: the rows a Parquet writer holds before it encodes them. Fixed, so that
 * the same rows give the same bytes however they were handed over.
 */
export const PARQUET_ROW_GROUP_ROWS = 2048;
/** JSON Lines text gathered before it is encoded to bytes (bounds the text held besides the bytes). */
const JSONL_CHUNK_CHARS = 1 << 16;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
// The forms toISOString() gives and JSON Schema date-times in UTC: seconds required, milliseconds at most.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

type Value = Row[string];

const place = (type: RecordType, index: number, column: string) => `export ${type} row ${index}, column ${column}`;

/** A row's value of a column, checked against the column's type; undefined when empty. */
function checked(type: RecordType, index: number, column: Column, value: Value | undefined): Exclude<Value, null> | undefined {
  const where = () => place(type, index, column.name);
  if (value === null || value === undefined) {
    if (!column.nullable) throw new TypeError(`${where()}: a value is required`);
    return undefined;
  }
  switch (column.type) {
    case 'STRING':
      if (typeof value !== 'string') throw new TypeError(`${where()}: expected a string`);
      return value;
    case 'INT32':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) throw new TypeError(`${where()}: expected a 32-bit integer`);
      return value;
    case 'INT64':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${where()}: expected a safe integer`);
      return value;
    case 'BOOLEAN':
      if (typeof value !== 'boolean') throw new TypeError(`${where()}: expected a boolean`);
      return value;
    case 'TIMESTAMP': {
      const ms = typeof value === 'string' && ISO_UTC.test(value) ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) throw new TypeError(`${where()}: expected an ISO-8601 UTC timestamp with at most milliseconds`);
      return new Date(ms).toISOString();
    }
    case 'JSON':
      if (typeof value !== 'string') throw new TypeError(`${where()}: expected JSON text`);
      return value;
  }
}

/** The parsed value of a JSON column's text (JSON null is refused: an empty value is left out instead). */
function parsedJson(type: RecordType, index: number, column: string, text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError(`${place(type, index, column)}: not JSON text`);
  }
  if (parsed === null) throw new TypeError(`${place(type, index, column)}: JSON null (leave the value out instead)`);
  return parsed;
}

/** The record type whose schema a JSON Lines object fits: every key a column of it, every required column present. */
function recordTypeOf(object: Record<string, unknown>): RecordType | undefined {
  const keys = Object.keys(object);
  const fits = RECORD_TYPES.filter((t) => {
    const columns = EXPORT_COLUMNS[t];
    return keys.every((k) => columns.some((c) => c.name === k)) && columns.every((c) => c.nullable || c.name in object);
  });
  return fits.length === 1 ? fits[0] : undefined;
}

/** A checked value in the form hyparquet-writer takes for its column (JSON columns: the text itself, see `parquetSchema`). */
const parquetValue = (column: Column, value: Exclude<Value, null>): unknown => {
  switch (column.type) {
    case 'INT64':
      return BigInt(value as number);
    case 'TIMESTAMP':
      return Date.parse(value as string);
    default:
      return value;
  }
};

/**
 * The Parquet schema of a record type. JSON columns are BYTE_ARRAY annotated with the JSON logical
 * type and written as the row's canonical text, byte for byte: hyparquet-writer's own JSON columns
 * (the legacy JSON converted type) take a value and copy and stringify it again, which cost an
 * export more than its reads, and stored the text with integer-like keys out of canonical order.
 */
function parquetSchema(columns: readonly Column[]) {
  const schema = schemaFromColumnData({ columnData: columns.map((c) => ({ name: c.name, type: c.type === 'JSON' ? 'STRING' : c.type, nullable: c.nullable, data: [] })) });
  return schema.map((element) => {
    const column = columns.find((c) => c.name === element.name);
    if (column?.type !== 'JSON') return element;
    const { converted_type: _utf8, logical_type: _string, ...rest } = element;
    return { ...rest, logical_type: { type: 'JSON' as const } };
  });
}

/** A value read from Parquet as the row holds it. */
function rowValue(type: RecordType, index: number, column: Column, value: unknown): Value {
  if (value === null || value === undefined) return null;
  const where = () => place(type, index, column.name);
  switch (column.type) {
    case 'INT32':
    case 'INT64': {
      const n = typeof value === 'bigint' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new TypeError(`${where()}: not an integer in the safe range`);
      return n;
    }
    case 'TIMESTAMP':
      if (!(value instanceof Date)) throw new TypeError(`${where()}: not a timestamp`);
      return value.toISOString();
    case 'JSON':
      // The JSON logical type reads back as text; files written with the JSON converted type, parsed.
      return canonicalize(typeof value === 'string' ? parsedJson(type, index, column.name, value) : value);
    default:
      if (typeof value !== 'string' && typeof value !== 'boolean') throw new TypeError(`${where()}: unexpected value type`);
      return value;
  }
}

/** A row's values checked against its columns once, in column order (undefined: empty), however many files take them. */
type CheckedRow = readonly (Exclude<Value, null> | undefined)[];

/** Checks a row (unknown columns, required values, types; JSON text parsed once to prove it is JSON). */
function checkRow(type: RecordType, columns: readonly Column[], names: ReadonlySet<string>, row: Row, index: number): CheckedRow {
  for (const name of Object.keys(row)) if (!names.has(name)) throw new TypeError(`export ${type} row ${index}: no column ${name} in the schema`);
  // A row exportRows made holds canonicalize's own text: parsing it again would only prove it is JSON.
  const madeByExport = isExportRow(row);
  return columns.map((column) => {
    const value = checked(type, index, column, row[column.name]);
    if (column.type === 'JSON' && value !== undefined && !madeByExport) parsedJson(type, index, column.name, value as string);
    return value;
  });
}

/** Checks rows for one record type, counting rows from the file's first (error messages name the file's row). */
class RowChecker {
  readonly columns: readonly Column[];
  private readonly names: ReadonlySet<string>;
  rows = 0;

  constructor(readonly type: RecordType) {
    this.columns = EXPORT_COLUMNS[type];
    this.names = new Set(this.columns.map((c) => c.name));
  }

  check(row: Row): CheckedRow {
    const values = checkRow(this.type, this.columns, this.names, row, this.rows);
    this.rows += 1;
    return values;
  }
}

/**
 * JSON Lines: a checked row's columns in schema order, no key for an empty value, JSON columns
 * spliced in as their canonical text (nested JSON, not a string); text encoded every 64 K characters.
 */
class JsonlEncoder {
  private readonly keys: readonly string[];
  private readonly chunks: Buffer[] = [];
  private text = '';

  constructor(private readonly columns: readonly Column[]) {
    this.keys = columns.map((c) => `${JSON.stringify(c.name)}:`);
  }

  add(values: CheckedRow): void {
    let line = '';
    for (let i = 0; i < this.columns.length; i += 1) {
      const value = values[i];
      if (value === undefined) continue;
      line += `${line === '' ? '{' : ','}${this.keys[i] ?? ''}${this.columns[i]?.type === 'JSON' ? (value as string) : JSON.stringify(value)}`;
    }
    this.text += `${line === '' ? '{' : line}}\n`;
    if (this.text.length >= JSONL_CHUNK_CHARS) this.encodeText();
  }

  finish(): Uint8Array {
    this.encodeText();
    const whole = Buffer.concat(this.chunks);
    this.chunks.length = 0;
    return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
  }

  private encodeText(): void {
    if (this.text.length > 0) this.chunks.push(Buffer.from(this.text, 'utf8'));
    this.text = '';
  }
}

/**
 * Parquet written a row group at a time (hyparquet-writer's ParquetWriter into a growing buffer):
 * checked values wait, a column at a time, until a row group's worth is there, then are encoded
 * and let go.
 */
class ParquetEncoder {
  private readonly bytes = new ByteWriter();
  private readonly writer: ParquetWriter;
  private pending: unknown[][];
  private count = 0;

  constructor(
    private readonly type: RecordType,
    private readonly columns: readonly Column[],
  ) {
    this.pending = columns.map(() => []);
    this.writer = new ParquetWriter({
      writer: this.bytes,
      schema: parquetSchema(columns),
      kvMetadata: [
        { key: PARQUET_SCHEMA_KEY, value: EXPORT_SCHEMA_VERSION },
        { key: PARQUET_RECORD_TYPE_KEY, value: type },
      ],
      createdBy: CREATED_BY,
    });
  }

  add(values: CheckedRow): void {
    for (let i = 0; i < this.columns.length; i += 1) {
      const value = values[i];
      const column = this.columns[i];
      if (column) this.pending[i]?.push(value === undefined ? null : parquetValue(column, value));
    }
    this.count += 1;
    if (this.count >= PARQUET_ROW_GROUP_ROWS) this.writeGroup();
  }

  finish(): Uint8Array {
    if (this.count > 0) this.writeGroup();
    void this.writer.finish();
    return new Uint8Array(this.bytes.getBuffer());
  }

  private writeGroup(): void {
    const columnData: ColumnSource[] = this.columns.map((column, i) => ({
      name: column.name,
      data: this.pending[i] ?? [],
      // Minimum and maximum of whole JSON documents say nothing and would copy two of them into the footer.
      ...(column.type === 'JSON' ? { statistics: false } : {}),
    }));
    this.pending = this.columns.map(() => []);
    this.count = 0;
    void this.writer.write({ columnData, rowGroupSize: PARQUET_ROW_GROUP_ROWS });
  }
}

/** One format's file, rows checked as they come. */
class FileWriter implements ExportFileWriter {
  private readonly checker: RowChecker;
  private readonly encoder: JsonlEncoder | ParquetEncoder;

  constructor(type: RecordType, format: 'jsonl' | 'parquet') {
    this.checker = new RowChecker(type);
    this.encoder = format === 'jsonl' ? new JsonlEncoder(this.checker.columns) : new ParquetEncoder(type, this.checker.columns);
  }

  add(rows: readonly Row[]): void {
    for (const row of rows) this.encoder.add(this.checker.check(row));
  }

  finish(): Uint8Array {
    return this.encoder.finish();
  }
}

/** Both formats' files of one record type: each row checked once, then encoded into each. */
class PartFilesWriter implements ExportPartFilesWriter {
  private readonly checker: RowChecker;
  private readonly jsonl: JsonlEncoder;
  private readonly parquet: ParquetEncoder;

  constructor(type: RecordType) {
    this.checker = new RowChecker(type);
    this.jsonl = new JsonlEncoder(this.checker.columns);
    this.parquet = new ParquetEncoder(type, this.checker.columns);
  }

  add(rows: readonly Row[]): void {
    for (const row of rows) {
      const values = this.checker.check(row);
      this.jsonl.add(values);
      this.parquet.add(values);
    }
  }

  finish(): { jsonl: Uint8Array; parquet: Uint8Array } {
    return { jsonl: this.jsonl.finish(), parquet: this.parquet.finish() };
  }
}

export const exportCodec: ExportFileCodec = {
  jsonlWriter: (type) => new FileWriter(type, 'jsonl'),
  parquetWriter: (type) => new FileWriter(type, 'parquet'),
  filesWriter: (type) => new PartFilesWriter(type),

  jsonl(type: RecordType, rows: readonly Row[]): Uint8Array {
    const writer = new FileWriter(type, 'jsonl');
    writer.add(rows);
    return writer.finish();
  },

  readJsonl(bytes: Uint8Array): Row[] {
    // Fatal: bytes that are not UTF-8 are a damaged file, not text to guess at.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    let fileType: RecordType | undefined;
    return lines.map((line, index) => {
      let object: unknown;
      try {
        object = JSON.parse(line);
      } catch {
        throw new TypeError(`export JSON Lines line ${index + 1}: not JSON`);
      }
      if (object === null || typeof object !== 'object' || Array.isArray(object)) throw new TypeError(`export JSON Lines line ${index + 1}: not a JSON object`);
      const fields = object as Record<string, unknown>;
      // The port reads a file without being told its record type: each line's columns name it (the
      // four schemas' required columns tell them apart), and every line of a file must name the same.
      const type = recordTypeOf(fields);
      if (type === undefined || (fileType !== undefined && type !== fileType)) throw new TypeError(`export JSON Lines line ${index + 1}: its columns fit no single record type of the file`);
      fileType = type;
      const row: Row = {};
      for (const column of EXPORT_COLUMNS[type]) {
        const field = fields[column.name];
        if (column.type === 'JSON') {
          row[column.name] = field === undefined || field === null ? null : canonicalize(field);
          checked(type, index, column, row[column.name]);
          continue;
        }
        if (field !== undefined && field !== null && typeof field === 'object') throw new TypeError(`${place(type, index, column.name)}: unexpected nested value`);
        const value = checked(type, index, column, field as Value | undefined);
        row[column.name] = value ?? null;
      }
      return row;
    });
  },

  async parquet(type: RecordType, rows: readonly Row[]): Promise<Uint8Array> {
    const writer = new FileWriter(type, 'parquet');
    writer.add(rows);
    return Promise.resolve(writer.finish());
  },

  async readParquet(type: RecordType, bytes: Uint8Array): Promise<Row[]> {
    // A copy: its own whole ArrayBuffer (hyparquet reads `file` from offset 0), made in this realm.
    const file = new Uint8Array(bytes).buffer;
    const metadata = parquetMetadata(file);
    const kv = new Map((metadata.key_value_metadata ?? []).map((e) => [e.key, e.value]));
    if (kv.get(PARQUET_SCHEMA_KEY) !== EXPORT_SCHEMA_VERSION || kv.get(PARQUET_RECORD_TYPE_KEY) !== type) {
      throw new TypeError(`export Parquet file: not a ${EXPORT_SCHEMA_VERSION} file of ${type}`);
    }
    const columns = EXPORT_COLUMNS[type];
    const names = metadata.schema.slice(1).map((e) => e.name);
    if (names.length !== columns.length || columns.some((c, i) => names[i] !== c.name)) {
      throw new TypeError(`export Parquet file: its columns are not those of ${type}`);
    }
    const objects = await parquetReadObjects({ file, metadata });
    return objects.map((object, index) => {
      const row: Row = {};
      for (const column of columns) row[column.name] = rowValue(type, index, column, object[column.name]);
      return row;
    });
  },
};
