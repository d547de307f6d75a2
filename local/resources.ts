import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
} from '@aws-sdk/client-dynamodb';
import { GLOBAL_INDEXES, SUMMARY_ATTRIBUTE, TABLE_KEYS, TTL_ATTRIBUTE } from '../functions/adapters/table-design';
import { standInCredentials } from '../functions/adapters/aws-clients';
import { LOCAL_REGION } from './dynamodb-local';
import { waitFor } from './free-port';

export const LOCAL_NAMES = {
  table: 'caseflow-local',
  inboundBucket: 'caseflow-local-inbound',
  archiveBucket: 'caseflow-local-archive',
  /** Closed cases' archives (the Object-Lock `CaseArchiveBucket` in AWS; s3rver has no Object Lock). */
  recordsBucket: 'caseflow-local-records',
  /** Compliance exports and their manifest chain (the `ExportsBucket` in AWS). */
  exportsBucket: 'caseflow-local-exports',
  senderEmail: 'support@caseflow.local',
  complaintsEmail: 'complaints@caseflow.local',
  teamInbox: 'team@caseflow.local',
  supervisor: 'supervisor@caseflow.local',
  manager: 'manager@caseflow.local',
  /** Recipients the local SMTP listener accepts, as an SES receipt rule names them (the whole local domain). */
  inboundRecipients: ['caseflow.local'],
} as const;

/** Creates the table as the CDK stateful stack defines it (keys, indexes, stream, TTL), if missing. */
export async function ensureTable(endpoint: string, tableName: string, credentials = standInCredentials(process.env)): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const names = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...GLOBAL_INDEXES.flatMap((g) => [g.partitionKey, g.sortKey])]);
    const AttributeDefinitions: AttributeDefinition[] = [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions,
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: GLOBAL_INDEXES.map((g) => ({
          IndexName: g.indexName,
          KeySchema: [
            { AttributeName: g.partitionKey, KeyType: 'HASH' },
            { AttributeName: g.sortKey, KeyType: 'RANGE' },
          ],
          Projection: g.projection === 'ALL' ? { ProjectionType: 'ALL' } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [SUMMARY_ATTRIBUTE] },
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    await waitFor(`table ${tableName}`, async () => {
      const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
      return out.Table?.TableStatus === 'ACTIVE';
    });
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }),
    );
  } finally {
    client.destroy();
  }
}
