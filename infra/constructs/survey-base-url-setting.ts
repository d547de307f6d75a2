import * as cr from 'aws-cdk-lib/custom-resources';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEPLOYMENT_SETTING_SK, deploymentSettingPk, SURVEY_BASE_URL_SETTING } from '../../functions/adapters/dynamo/keys';
import { TABLE_KEYS } from '../../functions/adapters/table-design';
import { FUNCTION_LOG_RETENTION } from './caseflow-function';

export interface SurveyBaseUrlSettingProps {
  table: dynamodb.ITable;
  /** The table's encryption key. */
  dataKey: kms.IKey;
  /** The survey page's public address: the HTTP API's, `https://<api id>.execute-api.<region>.<suffix>/`. */
  url: string;
}

/**
 * Writes the survey page's address into the table on every deployment that changes it (one
 * PutItem by a CloudFormation custom resource), as the deployment setting `survey-base-url` that
 * outbox-stream reads (functions/adapters/dynamo/deployment-setting.ts). outbox-stream lives in the
 * workers stack, deployed before the API's stacks: a CloudFormation reference from it to the API
 * would reverse the stacks' order, so the value goes through the table instead. Until the first
 * deployment of this stack, survey mail waits (SurveyLinksNotConfigured) and goes once it is there.
 */
export class SurveyBaseUrlSetting extends Construct {
  constructor(scope: Construct, id: string, props: SurveyBaseUrlSettingProps) {
    super(scope, id);
    const pk = deploymentSettingPk(SURVEY_BASE_URL_SETTING);
    // Its own role and log group: no managed policy, logs kept as every function's are.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: 'caseflow: writes the survey page address setting into the table' });
    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: FUNCTION_LOG_RETENTION });
    logGroup.grantWrite(role);
    new cr.AwsCustomResource(this, 'Writer', {
      role,
      logGroup,
      installLatestAwsSdk: false,
      onUpdate: {
        service: 'DynamoDB',
        action: 'putItem',
        parameters: {
          TableName: props.table.tableName,
          Item: { [TABLE_KEYS.partitionKey]: { S: pk }, [TABLE_KEYS.sortKey]: { S: DEPLOYMENT_SETTING_SK }, entity: { S: 'setting' }, value: { S: props.url } },
        },
        physicalResourceId: cr.PhysicalResourceId.of(pk),
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        // This one item only.
        new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [props.table.tableArn], conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [pk] } } }),
        // The table is encrypted with the data key: DynamoDB uses it on the writer's behalf.
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], resources: [props.dataKey.keyArn] }),
      ]),
    });
  }
}
