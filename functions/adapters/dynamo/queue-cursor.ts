import { createHash } from 'node:crypto';
import * as z from 'zod';
import { InvalidInputError } from '../../core/errors';
import type { QueueSelection } from '../../core/queues';
import { CASE_SK, casePk, type QueueRead } from './keys';
import type { Item } from './transaction';

/**
 * The queues' page cursor: opaque base64url JSON of a fingerprint of the selection it was made for
 * and the sort key of the last item served. The rest of DynamoDB's start key follows from the
 * selection (the partition) and the sort key (its case id), so a cursor can only ever point into
 * the partition of its own selection: one made for another selection (another staff member's
 * `mine`, another customer, other filters), or altered, is refused with a 400 naming `cursor`.
 * It carries no personal data: the fingerprint is a hash.
 */
const CURSOR_VERSION = 'q1';

/** Every sort key of a queue index: an ISO time in its one fixed form, then the case id. */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const PayloadSchema = z.object({ s: z.string(), k: z.string().regex(SORT_KEY) }).strict();

/** The selection, field by field in a fixed order, hashed. */
export function selectionFingerprint(selection: QueueSelection): string {
  const fields = Object.entries(selection).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify([CURSOR_VERSION, fields])).digest('base64url').slice(0, 22);
}

const refused = () => new InvalidInputError([{ path: 'cursor', message: 'Invalid cursor, or one made for another queue or search: start again from the first page' }]);

/** The cursor for the page after the one that ended at `lastKey` (DynamoDB's LastEvaluatedKey). */
export function encodeCursor(selection: QueueSelection, read: QueueRead, lastKey: Item): string {
  const k = lastKey[read.index.sortKey];
  if (typeof k !== 'string' || !SORT_KEY.test(k)) throw new Error(`unexpected sort key in ${read.index.indexName}'s LastEvaluatedKey`);
  return Buffer.from(JSON.stringify({ s: selectionFingerprint(selection), k })).toString('base64url');
}

/** The ExclusiveStartKey a cursor stands for, or InvalidInputError naming `cursor`. */
export function decodeCursor(raw: string, selection: QueueSelection, read: QueueRead): Item {
  const bytes = Buffer.from(raw, 'base64url');
  // Node's decoder skips characters it cannot use: only the canonical spelling of the bytes counts.
  if (bytes.toString('base64url') !== raw) throw refused();
  let payload: z.infer<typeof PayloadSchema>;
  try {
    payload = PayloadSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch {
    throw refused();
  }
  if (payload.s !== selectionFingerprint(selection)) throw refused();
  const caseId = SORT_KEY.exec(payload.k)?.[1] ?? '';
  return { PK: casePk(caseId), SK: CASE_SK, [read.index.partitionKey]: read.partition, [read.index.sortKey]: payload.k };
}
