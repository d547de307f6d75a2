import { randomUUID } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SubjectKey, SubjectKeys } from '../core/subject-keys';

const isConditionFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * Subjects' data keys in AWS: KMS `GenerateDataKey` under the subject-key wrapping key, with the
 * subject as encryption context (a wrapped key moved to another subject does not decrypt), the
 * wrapped key kept in the subject-key table. That table has no point-in-time recovery, no
 * backups and no stream, on purpose: deleting an item is the destruction of the key, and nothing
 * can bring it back (docs/privacy.md). The plaintext key lives in this process only.
 */
export class KmsSubjectKeys implements SubjectKeys {
  private readonly cache = new Map<string, SubjectKey>();

  constructor(
    private readonly kms: KMSClient,
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly wrappingKeyId: string,
  ) {}

  async keyFor(subjectId: string): Promise<SubjectKey> {
    const found = await this.existing(subjectId);
    if (found) return found;
    const made = await this.kms.send(new GenerateDataKeyCommand({ KeyId: this.wrappingKeyId, KeySpec: 'AES_256', EncryptionContext: { subject: subjectId } }));
    if (!made.Plaintext || !made.CiphertextBlob) throw new Error('KMS returned no data key');
    const keyId = randomUUID();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { subjectId, keyId, wrappedKey: Buffer.from(made.CiphertextBlob).toString('base64') },
          ConditionExpression: 'attribute_not_exists(subjectId)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const winner = await this.existing(subjectId);
      if (winner) return winner;
      throw error;
    }
    const key = { keyId, key: made.Plaintext };
    this.cache.set(subjectId, key);
    return key;
  }

  async existing(subjectId: string): Promise<SubjectKey | undefined> {
    const cached = this.cache.get(subjectId);
    if (cached) return cached;
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { subjectId }, ConsistentRead: true }));
    const item = out.Item as { keyId?: string; wrappedKey?: string } | undefined;
    if (!item?.wrappedKey || !item.keyId) return undefined;
    const opened = await this.kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(item.wrappedKey, 'base64'), EncryptionContext: { subject: subjectId }, KeyId: this.wrappingKeyId }));
    if (!opened.Plaintext) throw new Error('KMS returned no plaintext key');
    const key = { keyId: item.keyId, key: opened.Plaintext };
    this.cache.set(subjectId, key);
    return key;
  }

  async destroy(subjectId: string): Promise<'destroyed' | 'absent'> {
    this.cache.delete(subjectId);
    const out = await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { subjectId }, ReturnValues: 'ALL_OLD' }));
    return out.Attributes ? 'destroyed' : 'absent';
  }
}
