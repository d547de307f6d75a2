import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEPLOYMENT_SETTING_SK, deploymentSettingPk } from './keys';

/** How long a value read is used before it is read again (a missing one is asked for again sooner). */
const KEEP_MS = 5 * 60 * 1000;
const KEEP_MISSING_MS = 60 * 1000;

/**
 * A value a stack deployed later writes into the table for the functions of one deployed before
 * it, which cannot take it as a CloudFormation reference without reversing the stacks' order: the
 * survey page's address, known to the API's stacks, for the workers stack's outbox-stream
 * (infra/constructs/survey-base-url-setting.ts writes it). Read once in a while, not per message.
 */
export class DeploymentSetting {
  private cached: { value: string | undefined; until: number } | undefined;

  constructor(
    private readonly doc: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
    private readonly name: string,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async value(): Promise<string | undefined> {
    const now = this.nowMs();
    if (this.cached && now < this.cached.until) return this.cached.value;
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: deploymentSettingPk(this.name), SK: DEPLOYMENT_SETTING_SK } }));
    const value = typeof out.Item?.value === 'string' && out.Item.value !== '' ? out.Item.value : undefined;
    this.cached = { value, until: now + (value === undefined ? KEEP_MISSING_MS : KEEP_MS) };
    return value;
  }
}
