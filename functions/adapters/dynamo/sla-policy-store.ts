import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../../core/errors';
import { knowSlaPolicy, slaPolicy, SLA_POLICIES, type SlaPolicy } from '../../core/sla-policy';
import { PublishedSlaPolicySchema, type PublishedSlaPolicy, type SlaPolicyVersions } from '../../core/sla-policy-versions';
import { SLA_POLICY_CURRENT_SK, SLA_POLICY_PK, slaPolicyVersionSk, stripKeys } from './keys';
import { readPolicyVersions } from './policy-versions';
import { Transaction } from './transaction';

/** Thrown inside the transaction when the version id is taken; publish() answers false for it. */
class VersionTaken extends Error {}

/**
 * The published SLA policy versions in the single table (keys.ts `SLA_POLICY_PK`): one item a
 * version, written once, and the current-version pointer. Versions read are made known to the
 * process (core `knowSlaPolicy`) and kept: they never change.
 */
export class DynamoSlaPolicyStore implements SlaPolicyVersions {
  private readonly known = new Map<string, SlaPolicy>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async policyOf(version: string): Promise<SlaPolicy> {
    const builtIn = SLA_POLICIES[version];
    if (builtIn) return builtIn;
    const cached = this.known.get(version);
    if (cached) return cached;
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: SLA_POLICY_PK, SK: slaPolicyVersionSk(version) }, ConsistentRead: true }));
    if (!out.Item) throw new NotFoundError(`No SLA policy version ${version}`);
    return this.remember(PublishedSlaPolicySchema.parse(stripKeys(out.Item)).policy);
  }

  async current(): Promise<SlaPolicy> {
    // Read each time (one GetItem): a version published a moment ago applies to the next case opened.
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: SLA_POLICY_PK, SK: SLA_POLICY_CURRENT_SK }, ConsistentRead: true }));
    const version = typeof out.Item?.version === 'string' ? out.Item.version : undefined;
    return version === undefined ? slaPolicy() : this.policyOf(version);
  }

  async list(): Promise<{ currentVersion: string | undefined; published: PublishedSlaPolicy[] }> {
    const read = await readPolicyVersions(this.doc, this.tableName, SLA_POLICY_PK, PublishedSlaPolicySchema);
    for (const p of read.published) this.remember(p.policy);
    return read;
  }

  async publish(version: PublishedSlaPolicy): Promise<boolean> {
    const tx = new Transaction(this.tableName)
      .put({ PK: SLA_POLICY_PK, SK: slaPolicyVersionSk(version.policy.version), entity: 'sla_policy', ...version }, { condition: 'attribute_not_exists(PK)', onConditionFailed: () => new VersionTaken() })
      .put({ PK: SLA_POLICY_PK, SK: SLA_POLICY_CURRENT_SK, entity: 'sla_policy_current', version: version.policy.version, since: version.publishedAt });
    try {
      await tx.commit(this.doc);
    } catch (error) {
      if (error instanceof VersionTaken) return false;
      throw error;
    }
    this.remember(version.policy);
    return true;
  }

  private remember(policy: SlaPolicy): SlaPolicy {
    this.known.set(policy.version, policy);
    knowSlaPolicy(policy);
    return policy;
  }
}
