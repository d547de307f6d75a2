/**
 * The single table's keys and indexes, used by the CDK stateful stack, the local stack's
 * CreateTable and the adapters' index names (dynamo/keys.ts), so that nothing can drift apart.
 * docs/data-model.md explains them, with every access pattern.
 */
export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK' } as const;

/**
 * The one attribute the queue indexes project besides the keys: a map holding the case's summary
 * (core/case.ts `summarize`). One map, not the summary's fields one by one: DynamoDB allows 100
 * projected non-key attributes summed over every index, and a page then reads only what a queue shows.
 */
export const SUMMARY_ATTRIBUTE = 'summary';

/** `ALL`: the whole item (the case is needed); `SUMMARY`: INCLUDE of SUMMARY_ATTRIBUTE only. */
export type IndexProjection = 'ALL' | 'SUMMARY';

interface IndexDesign {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: IndexProjection;
  readonly purpose: string;
}

/**
 * Every queue page is one Query on one partition of one of these indexes. The `all` queue's
 * filters (status or `open`, optionally a type, optionally a priority) make eight "facet" indexes:
 * a case is written into each facet once under its own status and, while open, once more under
 * `open`. Sort keys are shared where the order is the same (an index may share its sort key attribute).
 */
export const GLOBAL_INDEXES = [
  { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: 'ALL', purpose: 'cases with SLA timers: open ones by next deadline, resolved ones by automatic closure (the SLA reconciler; sparse)' },
  { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK', projection: 'ALL', purpose: 'cases by customer (hashed email, or hashed phone without one), newest first: search and privacy requests' },
  { indexName: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK', projection: 'ALL', purpose: 'cases by day of last change, for exports' },
  { indexName: 'QStatus', partitionKey: 'QStatusPK', sortKey: 'QReceivedSK', projection: 'SUMMARY', purpose: 'queue all: one status, newest first' },
  { indexName: 'QStatusType', partitionKey: 'QStatusTypePK', sortKey: 'QReceivedSK', projection: 'SUMMARY', purpose: 'queue all: one status and type, newest first' },
  { indexName: 'QStatusPriority', partitionKey: 'QStatusPriorityPK', sortKey: 'QReceivedSK', projection: 'SUMMARY', purpose: 'queue all: one status and priority, newest first' },
  { indexName: 'QStatusTypePriority', partitionKey: 'QStatusTypePriorityPK', sortKey: 'QReceivedSK', projection: 'SUMMARY', purpose: 'queue all: one status, type and priority, newest first' },
  { indexName: 'QOpen', partitionKey: 'QOpenPK', sortKey: 'QReceivedSK', projection: 'SUMMARY', purpose: 'queue all: every open case, newest first (sparse)' },
  { indexName: 'QOpenType', partitionKey: 'QOpenTypePK', sortKey: 'QReceivedSK', projection: 'SUMMARY', purpose: 'queue all: open cases of a type, newest first (sparse)' },
  { indexName: 'QOpenPriority', partitionKey: 'QOpenPriorityPK', sortKey: 'QReceivedSK', projection: 'SUMMARY', purpose: 'queue all: open cases of a priority, newest first (sparse)' },
  { indexName: 'QOpenTypePriority', partitionKey: 'QOpenTypePriorityPK', sortKey: 'QReceivedSK', projection: 'SUMMARY', purpose: 'queue all: open cases of a type and priority, newest first (sparse)' },
  { indexName: 'QAssignee', partitionKey: 'QAssigneePK', sortKey: 'QDueSK', projection: 'SUMMARY', purpose: 'queues mine and unassigned: open cases by assignee (or none), nearest deadline first (sparse)' },
  { indexName: 'QDue', partitionKey: 'QDuePK', sortKey: 'QDueSK', projection: 'SUMMARY', purpose: 'queue breaching: every open case, nearest deadline first (sparse)' },
  { indexName: 'QEscalated', partitionKey: 'QEscalatedPK', sortKey: 'QEscalatedSK', projection: 'SUMMARY', purpose: 'queue escalated: active escalations by role, soonest respond-by first (sparse)' },
  { indexName: 'QPhone', partitionKey: 'QPhonePK', sortKey: 'QReceivedSK', projection: 'SUMMARY', purpose: 'search: cases by customer phone (hashed), newest first (sparse)' },
] as const satisfies readonly IndexDesign[];

export type GlobalIndex = (typeof GLOBAL_INDEXES)[number];

export const TTL_ATTRIBUTE = 'expiresAt';
