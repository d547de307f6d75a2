import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { RemovedItem } from '../../core/item-expiry';
import { CASE_SK } from './keys';

const CASE_PREFIX = 'CASE#';

/**
 * A REMOVE record of the table's stream as the expiry verifier reads it: the keys, the old image,
 * who deleted it, and the case it belongs to — its partition (`CASE#<id>`), or the `caseId` an item
 * outside it names (reference, Message-ID link, inbound record). Undefined for any other record.
 */
export function removedItemOf(record: DynamoDBRecord): RemovedItem | undefined {
  if (record.eventName !== 'REMOVE') return undefined;
  const data = record.dynamodb;
  const keys = data?.Keys ? unmarshall(data.Keys as Record<string, AttributeValue>) : undefined;
  if (!keys || typeof keys.PK !== 'string' || typeof keys.SK !== 'string') return undefined;
  const oldImage = data?.OldImage ? unmarshall(data.OldImage as Record<string, AttributeValue>) : undefined;
  const caseId = keys.PK.startsWith(CASE_PREFIX) ? keys.PK.slice(CASE_PREFIX.length) : typeof oldImage?.caseId === 'string' ? oldImage.caseId : undefined;
  const isCaseItem = keys.PK.startsWith(CASE_PREFIX) && keys.SK === CASE_SK;
  const identity = (record as { userIdentity?: { type?: string; principalId?: string } }).userIdentity;
  const seconds = data?.ApproximateCreationDateTime;
  return {
    eventId: record.eventID ?? `${keys.PK}|${keys.SK}|${seconds ?? ''}`,
    pk: keys.PK,
    sk: keys.SK,
    oldImage,
    deletedAt: new Date(typeof seconds === 'number' ? seconds * 1000 : Date.now()),
    ...(identity ? { userIdentity: { ...(identity.type ? { type: identity.type } : {}), ...(identity.principalId ? { principalId: identity.principalId } : {}) } } : {}),
    ...(caseId ? { caseId } : {}),
    ...(isCaseItem && typeof oldImage?.reference === 'string' ? { caseReference: oldImage.reference } : {}),
  };
}
