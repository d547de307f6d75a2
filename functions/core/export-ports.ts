import type { RecordType, Row } from './export-records';

/**
 * The ports of compliance exports (docs/exports.md): how rows become files, how a manifest is
 * signed. Adapters: functions/adapters/export-codec.ts (JSON Lines and Parquet),
 * functions/adapters/*-manifest-signer.ts (a local key file; KMS in AWS).
 */

/** Encodes one file of rows, all of one record type (export-records.ts EXPORT_COLUMNS gives the columns). */
export interface ExportFileCodec {
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
