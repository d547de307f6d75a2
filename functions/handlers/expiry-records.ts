import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBRecord } from 'aws-lambda';
import { removedItemOf } from '../adapters/dynamo/removed-item';
import { logger, metrics } from '../adapters/observability';
import type { Wiring } from '../adapters/wiring';
import { verifyRemovedItem, type ArchiveCache, type ExpiryOutcome } from '../core/item-expiry';

/** The metric each outcome counts under (the CDK alarms on UnexpectedDeletions and on dead letters). */
const METRIC: Record<ExpiryOutcome['outcome'], string> = {
  'in-archive': 'ExpiredItemsInArchive',
  'written-from-old-image': 'ExpiredItemsWrittenFromOldImage',
  'subject-erased': 'ExpiredItemsOfErasedSubjects',
  'receipt-exists': 'ExpiredItemsAlreadyVerified',
  'not-a-case-item': 'ExpiredItemsOfNoCase',
  'unexpected-deletion': 'UnexpectedDeletions',
};

/**
 * One REMOVE record of the table's stream through the expiry verification (item-expiry.ts), for
 * the stream consumer and the redrive alike. Logs ids and key digests only: item keys can name a
 * reference, never personal data, and images are never logged.
 */
export function expiryProcessing(app: Pick<Wiring, 'caseArchives' | 'subjectKeys'>) {
  return async function processRemoveRecord(record: DynamoDBRecord, cache: ArchiveCache): Promise<ExpiryOutcome | undefined> {
    const removed = removedItemOf(record);
    if (!removed) return undefined;
    const result = await verifyRemovedItem(removed, { archives: app.caseArchives, keys: app.subjectKeys }, cache);
    metrics.addMetric(METRIC[result.outcome], MetricUnit.Count, 1);
    if (result.outcome === 'unexpected-deletion') {
      logger.error('an item was deleted, and not by TTL: kept as an incident', { eventId: removed.eventId, caseId: removed.caseId, entity: removed.oldImage?.entity });
    }
    return result;
  };
}
