import type { RecordType, Row } from './export-records';

/**
 * The ports of compliance exports (docs/exports.md): how rows become files, how a manifest is
 * signed. Adapters: functions/adapters/export-codec.ts (JSON Lines and Parquet),
 * functions/adapters/*-manifest-signer.ts (a local key file; KMS in AWS).
 */

/**
 * One file being written a few rows at a time: it holds the file's bytes so far (and, for Parquet,
 * at most one row group of rows), never every row, so an export's memory does not grow with a part.
 */
export interface ExportFileWriter {
  /** Checks and encodes the rows (an error names the record type, row and column, never a value). */
  add(rows: readonly Row[]): void;
  /** The whole file; the writer is done. */
  finish(): Uint8Array;
}

/** Both files of one record type in a part (JSON Lines and Parquet), written a few rows at a time: each row is checked once for both. */
export interface ExportPartFilesWriter {
  /** Checks the rows and encodes them into both files (an error names the record type, row and column, never a value). */
  add(rows: readonly Row[]): void;
  /** Both whole files, the same bytes `jsonl` and `parquet` give for all the rows; the writer is done. */
  finish(): { jsonl: Uint8Array; parquet: Uint8Array };
}

/** Encodes one file of rows, all of one record type (export-records.ts EXPORT_COLUMNS gives the columns). */
export interface ExportFileCodec {
  /** A JSON Lines file written rows at a time: the same bytes `jsonl` gives for all of them. */
  jsonlWriter(type: RecordType): ExportFileWriter;
  /** A Parquet file written rows at a time: the same bytes `parquet` gives for all of them. */
  parquetWriter(type: RecordType): ExportFileWriter;
  /** Both formats' files at once, rows checked once (what an export writes). */
  filesWriter(type: RecordType): ExportPartFilesWriter;
  /** JSON Lines: one JSON object a row, columns in schema order, absent values left out, `\n` after each row. */
  jsonl(type: RecordType, rows: readonly Row[]): Uint8Array;
  /** Parquet with the schema's column types (a maintained pure-JS writer: the same in Lambda and offline). */
  parquet(type: RecordType, rows: readonly Row[]): Promise<Uint8Array>;
  /** Reads a Parquet file of that record type back into rows (verification, tests). */
  readParquet(type: RecordType, bytes: Uint8Array): Promise<Row[]>;
  /** Reads a JSON Lines file back into rows. */
  readJsonl(bytes: Uint8Array): Row[];
}

/** Signs export manifests: ECDSA P-256 with SHA-256 (a KMS asymmetric key in AWS; a local key file behind the same port). */
export interface ManifestSigner {
  /** Names the key (a KMS key ARN, or `local:<fingerprint>`): written into each manifest. */
  keyId(): Promise<string>;
  /** The signature of the bytes, DER-encoded ECDSA, base64. */
  sign(data: Uint8Array): Promise<string>;
  /** The public key (SPKI, PEM) that verifies this signer's signatures. */
  publicKeyPem(): Promise<string>;
}
