import { randomUUID } from 'node:crypto';
import {
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { idempotencyPk } from '../../functions/adapters/dynamo/keys';
import { itemSize } from './dynamo-item-size';

type Item = Record<string, AttributeValue>;

/** The items one web submission writes, copied from a case the intake created. */
export interface CaseTransactionTemplate {
  caseId: string;
  reference: string;
  idempotencyPk: string | undefined;
  items: Item[];
  /** Stored size of each item and of the whole transaction. */
  sizes: { sk: string; bytes: number }[];
  bytes: number;
}

const CREATE_SCOPE = 'cases:create';

/**
 * Reads back what the creation transaction of a case wrote: its case item, first event and outbox
 * items, its reference item and its idempotency record. (Later events come from the acknowledgement.)
 */
export async function captureCaseTransaction(
  client: DynamoDBClient,
  table: string,
  sample: { caseId: string; reference: string; idempotencyKey?: string },
): Promise<CaseTransactionTemplate> {
  const partition = await client.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: `CASE#${sample.caseId}` } } }),
  );
  const created = (partition.Items ?? []).filter((i) => ['CASE', 'EVT#00000001'].includes(i.SK?.S ?? '') || i.SK?.S?.startsWith('OUTBOX#'));
  const get = async (PK: string, SK: string) => (await client.send(new GetItemCommand({ TableName: table, Key: { PK: { S: PK }, SK: { S: SK } } }))).Item;
  const reference = await get(`REF#${sample.reference}`, 'REF');
  const idemPk = sample.idempotencyKey ? idempotencyPk(CREATE_SCOPE, sample.idempotencyKey) : undefined;
  const idempotency = idemPk ? await get(idemPk, 'IDEMP') : undefined;
  const items = [...(idempotency ? [idempotency] : []), ...created, ...(reference ? [reference] : [])];
  const sizes = items.map((i) => ({ sk: i.SK?.S ?? '?', bytes: itemSize(i) }));
  return { caseId: sample.caseId, reference: sample.reference, idempotencyPk: idemPk, items, sizes, bytes: sizes.reduce((n, s) => n + s.bytes, 0) };
}

/**
 * The template's items under fresh keys (case id, reference, idempotency key) with the same
 * conditions the case store uses, as one TransactWriteItems. Outbox copies are marked so that
 * the stream poller does not send mail for them.
 */
export function replayCaseTransaction(template: CaseTransactionTemplate, table: string, n: number): TransactWriteItemsCommand {
  const caseId = randomUUID();
  const reference = `B${n.toString(36).padStart(template.reference.length - 1, '0')}`;
  const newIdemPk = idempotencyPk(CREATE_SCOPE, `bench-${n}`);
  let json = JSON.stringify(template.items).replaceAll(template.caseId, caseId).replaceAll(template.reference, reference);
  if (template.idempotencyPk) json = json.replaceAll(template.idempotencyPk, newIdemPk);
  const items = (JSON.parse(json) as Item[]).map((item) => (item.entity?.S === 'outbox' ? { ...item, entity: { S: 'bench' } } : item));
  const now = Math.floor(Date.now() / 1000);
  const TransactItems: TransactWriteItem[] = items.map((Item) =>
    Item.SK?.S === 'IDEMP'
      ? {
          Put: {
            TableName: table,
            Item,
            ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': { N: String(now) } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        }
      : { Put: { TableName: table, Item, ConditionExpression: 'attribute_not_exists(PK)' } },
  );
  return new TransactWriteItemsCommand({ TransactItems });
}

export const describeSizes = (t: CaseTransactionTemplate) => `${t.sizes.map((s) => `${s.sk} ${s.bytes} B`).join(', ')}; ${t.bytes} B in all`;
