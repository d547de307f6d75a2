import { Aws } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Least-privilege grants on the case data (M2.2: least privilege). Each names the exact actions
 * the adapters call, on the table and its named indexes only, and allows the CMK only when
 * DynamoDB uses it on the caller's behalf (kms:ViaService). No grant ever includes DeleteItem
 * or Scan: the timeline is append-only (M5.3, M7.3) and expiry is TTL's job (M7.2 / C4.3).
 */
export interface CaseData {
  table: dynamodb.ITable;
  key: kms.IKey;
  indexNames: readonly string[];
}

/** What the table adapters (functions/adapters/dynamo/) read with: GetItem and BatchGetItem on the table, Query on the table and its indexes. */
export const CASE_READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'] as const;
/** What they write with: Put (also inside TransactWriteItems) and Update. */
export const CASE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

const viaDynamoDb = { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } };

export function grantCaseRead(grantee: iam.IGrantable, data: CaseData): void {
  iam.Grant.addToPrincipal({ grantee, actions: [...CASE_READ_ACTIONS], resourceArns: [data.table.tableArn] });
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:Query'],
    resourceArns: data.indexNames.map((name) => `${data.table.tableArn}/index/${name}`),
  });
  iam.Grant.addToPrincipal({ grantee, actions: ['kms:Decrypt', 'kms:DescribeKey'], resourceArns: [data.key.keyArn], conditions: viaDynamoDb });
}

export function grantCaseWrite(grantee: iam.IGrantable, data: CaseData): void {
  iam.Grant.addToPrincipal({ grantee, actions: [...CASE_WRITE_ACTIONS], resourceArns: [data.table.tableArn] });
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    resourceArns: [data.key.keyArn],
    conditions: viaDynamoDb,
  });
}

export interface MailIdentity {
  /** ARN of the SES identity the mail is sent from. */
  identityArn: string;
  /** ARN of the configuration set every message is sent with. */
  configurationSetArn: string;
  /** The From address; the grant holds for this address only. */
  fromAddress: string;
}

/** ses:SendRawEmail (what SesMailer calls), from the configured identity and address only. */
export function grantSendMail(grantee: iam.IGrantable, mail: MailIdentity): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['ses:SendRawEmail'],
    resourceArns: [mail.identityArn, mail.configurationSetArn],
    conditions: { StringEquals: { 'ses:FromAddress': mail.fromAddress } },
  });
}
