import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MigrationRecordSchema, type MigrationRecord, type MigrationRecords } from '../../core/sla-migration';
import { SLA_POLICY_PK, slaMigrationSk, stripKeys } from './keys';

/** Migration records (core/sla-migration.ts) beside the policy versions they migrate to (keys.ts `SLA_POLICY_PK`). */
export class DynamoSlaMigrationStore implements MigrationRecords {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getMigration(migrationId: string): Promise<MigrationRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: SLA_POLICY_PK, SK: slaMigrationSk(migrationId) }, ConsistentRead: true }));
    return out.Item ? MigrationRecordSchema.parse(stripKeys(out.Item)) : undefined;
  }

  async putMigration(record: MigrationRecord): Promise<void> {
    // Progress only grows, written by the one request running the migration: a plain put.
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { PK: SLA_POLICY_PK, SK: slaMigrationSk(record.migrationId), entity: 'sla_migration', ...record } }));
  }
}
