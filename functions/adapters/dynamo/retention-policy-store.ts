import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { retentionPolicy, type RetentionPolicy } from '../../core/retention-policy';
import { PublishedRetentionPolicySchema, type PublishedRetentionPolicy, type RetentionPolicyVersions } from '../../core/retention-policy-versions';
import { RETENTION_POLICY_PK, retentionPolicyVersionSk, SLA_POLICY_CURRENT_SK, stripKeys } from './keys';
import { readPolicyVersions } from './policy-versions';
import { Transaction } from './transaction';

/** Thrown inside the transaction when the version id is taken; publish() answers false for it. */
class VersionTaken extends Error {}

/**
 * How long a function keeps the current retention version it read (docs/retention.md): closures
 * read it at most once a minute, so a newly published version reaches every function within a
 * minute (at once in the function that published it).
 */
export const CURRENT_RETENTION_CACHE_MS = 60_000;

/** Per table, process-wide: every store of the process shares what one read or published. */
const currentByTable = new Map<string, { policy: RetentionPolicy; readAt: number }>();

/**
 * The published retention versions in the single table (keys.ts `RETENTION_POLICY_PK`): one item a
 * version, written once, and the current-version pointer, written together in one transaction.
 */
export class DynamoRetentionPolicyStore implements RetentionPolicyVersions {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async current(): Promise<RetentionPolicy> {
    const cached = currentByTable.get(this.tableName);
    if (cached && this.nowMs() - cached.readAt < CURRENT_RETENTION_CACHE_MS) return cached.policy;
    const pointer = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: RETENTION_POLICY_PK, SK: SLA_POLICY_CURRENT_SK }, ConsistentRead: true }));
    const version = typeof pointer.Item?.version === 'string' ? pointer.Item.version : undefined;
    // None published: the built-in version, exactly as before versions were data.
    const policy = version === undefined ? retentionPolicy() : (await this.published(version))?.policy;
    if (!policy) throw new Error(`The current retention version ${version ?? ''} is missing from the table`);
    currentByTable.set(this.tableName, { policy, readAt: this.nowMs() });
    return policy;
  }

  async published(version: string): Promise<PublishedRetentionPolicy | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: RETENTION_POLICY_PK, SK: retentionPolicyVersionSk(version) }, ConsistentRead: true }));
    return out.Item ? PublishedRetentionPolicySchema.parse(stripKeys(out.Item)) : undefined;
  }

  async list(): Promise<{ currentVersion: string | undefined; published: PublishedRetentionPolicy[] }> {
    const read = await readPolicyVersions(this.doc, this.tableName, RETENTION_POLICY_PK, PublishedRetentionPolicySchema);
    return read;
  }

  async publish(version: PublishedRetentionPolicy): Promise<boolean> {
    const tx = new Transaction(this.tableName)
      .put({ PK: RETENTION_POLICY_PK, SK: retentionPolicyVersionSk(version.policy.version), entity: 'retention_policy', ...version }, { condition: 'attribute_not_exists(PK)', onConditionFailed: () => new VersionTaken() })
      .put({ PK: RETENTION_POLICY_PK, SK: SLA_POLICY_CURRENT_SK, entity: 'retention_policy_current', version: version.policy.version, since: version.publishedAt });
    try {
      await tx.commit(this.doc);
    } catch (error) {
      if (error instanceof VersionTaken) return false;
      throw error;
    }
    currentByTable.set(this.tableName, { policy: version.policy, readAt: this.nowMs() });
    return true;
  }
}
