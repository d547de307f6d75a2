/**
 * The single table's keys and indexes, used by the CDK stateful stack, the local stack's
 * CreateTable and the adapters' index names (dynamo/keys.ts), so that nothing can drift apart.
 * docs/data-model.md explains them.
 */
export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK' } as const;

export const GLOBAL_INDEXES = [
  { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', purpose: 'cases by status and type, newest first' },
  { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', purpose: 'open cases by status and next SLA deadline (sparse)' },
  { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK', purpose: 'cases by customer (hashed email), for privacy requests' },
  { indexName: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK', purpose: 'cases by day of last change, for exports' },
] as const;

export const TTL_ATTRIBUTE = 'expiresAt';
