import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Where the subjects' data keys are (functions/adapters/kms-subject-keys.ts): the subject-key table
 * and the KMS key wrapping every key in it, as the stateful stack exports them (names known before
 * synthesis: CaseflowStatefulStack.subjectKeys).
 */
export interface SubjectKeyStore {
  tableName: string;
  tableArn: string;
  wrappingKeyArn: string;
}

/**
 * What a function does with the subjects' keys. `open`: reads a subject's key (GetItem, then
 * Decrypt of the wrapped key). `create`: that, and makes the key on first use (GenerateDataKey,
 * then a conditional PutItem). `destroy` is the erasure's alone: deleting the item is the key's
 * destruction (crypto-shredding, M5.1 / C6.1), so no other use may delete, and none scans.
 */
export type SubjectKeyUse = 'open' | 'create' | 'destroy';

export const SUBJECT_KEY_ACTIONS: Readonly<Record<SubjectKeyUse, { table: readonly string[]; key: readonly string[] }>> = {
  open: { table: ['dynamodb:GetItem'], key: ['kms:Decrypt'] },
  create: { table: ['dynamodb:GetItem', 'dynamodb:PutItem'], key: ['kms:Decrypt', 'kms:GenerateDataKey'] },
  destroy: { table: ['dynamodb:DeleteItem'], key: [] },
};

/** The encryption context key every wrapped key is bound to (the subject's id). */
export const SUBJECT_CONTEXT_KEY = 'subject';

/** The function's variables that select the KMS adapter (CaseArchiveConfigSchema's SUBJECT_KEY_TABLE and SUBJECT_KEY_ID). */
export const subjectKeyEnvironment = (store: SubjectKeyStore) => ({ SUBJECT_KEY_TABLE: store.tableName, SUBJECT_KEY_ID: store.wrappingKeyArn });

/**
 * Grants a function's role its use of the subjects' keys: the table's items by their partition key
 * (the table ARN alone: it has no index), and the wrapping key only with an encryption context made
 * of the subject and nothing else. ForAnyValue requires the `subject` key to be there (ForAllValues
 * alone would also allow a request with no context at all); ForAllValues allows no other key. No
 * kms:ViaService: the adapter calls KMS directly.
 */
export function grantSubjectKeys(role: iam.IGrantable, store: SubjectKeyStore, use: SubjectKeyUse): void {
  const { table, key } = SUBJECT_KEY_ACTIONS[use];
  iam.Grant.addToPrincipal({ grantee: role, actions: [...table], resourceArns: [store.tableArn] });
  if (key.length === 0) return;
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: [...key],
    resourceArns: [store.wrappingKeyArn],
    conditions: {
      'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': [SUBJECT_CONTEXT_KEY] },
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [SUBJECT_CONTEXT_KEY] },
    },
  });
}
