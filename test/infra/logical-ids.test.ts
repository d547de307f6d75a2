import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TransparentScopes } from '../../infra/constructs/transparent-scopes';
import { synthesizeCaseflow } from './support/synth';

/**
 * CloudFormation replaces a resource whose logical ID changes. For these that loses data or
 * fails the deploy: the RETAINed user pool would be orphaned with every staff account (and its
 * groups and client with it), a log group or queue would lose what it holds, and a resource with
 * a fixed name (the receipt rule set, the state machine, its log group) cannot be created next to
 * its old self. The IDs are those of the first deployments, before the stack was split into constructs.
 */
const PINNED: Readonly<Record<string, readonly string[]>> = {
  'AWS::Cognito::UserPool': ['StaffUserPool2EF92F57'],
  'AWS::Cognito::UserPoolGroup': [
    'StaffUserPoolGroupAdmins75FA27D3',
    'StaffUserPoolGroupAgents3BFE775F',
    'StaffUserPoolGroupAuditors74A0218A',
    'StaffUserPoolGroupFeedback83CCF8F2',
    'StaffUserPoolGroupManagersEE682002',
    'StaffUserPoolGroupSupervisorsE5F0C998',
  ],
  'AWS::Cognito::UserPoolClient': ['StaffUserPoolStaffConsoleClient66341A60'],
  // The hosted UI's prefix is unique in the region: a replacement could not be created next to it.
  'AWS::Cognito::UserPoolDomain': ['StaffUserPoolStaffAuthDomainE547DBC0'],
  // The console's address (its *.cloudfront.net name) is in the app client's callback URLs and staff bookmarks.
  'AWS::CloudFront::Distribution': ['ConsoleDistributionBC1120EB'],
  // The console's files and the access logs (RETAINed: a replacement would orphan the logs).
  'AWS::S3::Bucket': ['ConsoleBucketA1BD9FF9', 'ConsoleLogsBucketBF0DD899'],
  // Mail, the queues and the SLA workflow are the workers stack's (below): none here.
  'AWS::SES::ConfigurationSet': [],
  'AWS::SES::EmailIdentity': [],
  'AWS::SES::ReceiptRuleSet': [],
  'AWS::SES::ReceiptRule': [],
  'AWS::SQS::Queue': [],
  'AWS::StepFunctions::StateMachine': [],
  // The API's id is in its URL, which the web form and the staff console are configured with.
  'AWS::ApiGatewayV2::Api': ['HttpApiF5A9A8A7'],
  'AWS::ApiGatewayV2::Stage': ['DefaultStageEE28A986'],
  'AWS::Logs::LogGroup': [
    'AcceptEscalationLogGroupE16C5B9E',
    'AcknowledgeCaseLogGroupE32CBA7E',
    'AddCaseNoteLogGroup9E6B9E77',
    'ApiAccessLogsE9DF007D',
    'AssignCaseLogGroup0FB67BAC',
    'ClaimCaseLogGroupE89E94A0',
    'ClearPendingCustomerLogGroup95AAA547',
    'CloseCaseLogGroup93D1473F',
    'ConsoleDeploymentLogGroupA068C303',
    'CreateAccessRequestLogGroupEC1D7FC6',
    'CreateCaseLogGroup5E5EC675',
    'CreateErasureRequestLogGroup4031B676',
    'CreateExportLogGroup09F99B70',
    'CreateMonthlyReportLogGroup50E86BEE',
    'DeescalateCaseLogGroup2F16F606',
    'EscalateCaseLogGroupE421224A',
    'GetAttachmentLogGroup65262A33',
    'GetAuditTrailLogGroupE8B2EA1E',
    'GetCaseArchiveLogGroupF503EDCD',
    'GetCaseLogGroup7FF800BD',
    'GetEscalationAuditLogGroup79AD9472',
    'GetExportLogGroup5C3F730C',
    'GetMetricsLogGroup2ECF4006',
    'GetMonthlyReportLogGroup7DC91B67',
    'GetOpenapiLogGroupF4487F9A',
    'GetPrivacyRequestLogGroup383C3A97',
    'GetSettingsLogGroup004B7B31',
    'GrantContactAccessLogGroupC175DA6C',
    'ListCasesLogGroup979A1A9C',
    'ListEscalationsLogGroup0EA4B696',
    'ListPrivacyRequestsLogGroup8647D272',
    'ListQuarantineLogGroup0903ABA3',
    'ListStaffCasesLogGroup2FCE0728',
    'ListStaffLogGroup3C616192',
    'LogCaseCallLogGroup40F0030F',
    'MethodNotAllowedLogGroup23FCCF3B',
    'OpenCaseFromCallLogGroup15B2235C',
    'PlaceLegalHoldLogGroupEE11228D',
    'ReclassifyCaseLogGroupB99EA0F1',
    'RecordEscalationActionLogGroup797D3023',
    'ReleaseLegalHoldLogGroupA151D884',
    'ReopenCaseLogGroup8DA3F840',
    'ReplyToCaseLogGroup77050F2F',
    'ResolveCaseLogGroup3864A4C3',
    'ResolveEscalationLogGroup9641C623',
    'RevokeContactAccessLogGroup9AB7E70E',
    'SearchCasesLogGroup4A5964C4',
    'SetCasePriorityLogGroup66311F34',
    'SetPendingCustomerLogGroup7B44829B',
    'UnassignCaseLogGroup5C587306',
    'UpdateComplaintChecklistLogGroup3C1F33E3',
    'UpdateCustomerLogGroup2E4E762E',
    'VerifyAuditTrailLogGroup9C9C621B',
  ],
};

describe('logical IDs of the stateless stack', () => {
  let statelessTemplate: Template;
  beforeAll(() => {
    ({ statelessTemplate } = synthesizeCaseflow());
  });

  it.each(Object.entries(PINNED))('keeps the logical ID of every %s, so a redeploy replaces none of them', (type, ids) => {
    // Exactly the pinned ones: a new resource of a stateful kind is pinned deliberately.
    expect(Object.keys(statelessTemplate.findResources(type)).sort()).toEqual([...ids].sort());
  });
});

/**
 * The workers stack: its resources were the stateless stack's and kept their logical IDs there
 * (TransparentScopes), so that moving them (CloudFormation stack refactoring, docs/deploy.md) maps
 * each to itself (the protocol metrics' came with it); and for the reasons above: the sender identity and the receipt rule set are
 * unique in the account, the state machine and its log group have fixed names, the queues hold
 * what failed (the expiry dead letters are the only copy of deleted items' stream records).
 */
const PINNED_WORKERS: Readonly<Record<string, readonly string[]>> = {
  'AWS::SES::ConfigurationSet': ['MailConfigurationSet8758ADB0'],
  'AWS::SES::EmailIdentity': ['SenderIdentity5AECAF6F'],
  'AWS::SES::ReceiptRuleSet': ['InboundRuleSet3F1E0E90'],
  'AWS::SES::ReceiptRule': ['InboundRuleSetIntakeC3C918F1'],
  'AWS::SQS::Queue': [
    'CaseArchiveDlq85559375',
    'EmailIngestDlq2259CF75',
    'ExpiryDeadLetterQueue7571A778',
    'ExpiryVerifyDlq2166E80C',
    'OutboxDeliveryDlqC264B417',
    'ProtocolMetricsDlq2FAD04B3',
    'RetentionStampDlq01C67059',
    'SlaStartDlq8227753D',
    'CorrectiveActionStartDlq822D0715',
  ],
  'AWS::StepFunctions::StateMachine': ['SlaWorkflowStateMachineD31695B9', 'CorrectiveActionWorkflowStateMachineA2AC4EAC'],
  // Its own name: a replacement could not be created next to it.
  'AWS::CloudWatch::Dashboard': ['ProtocolDashboard8D5BD734'],
  'AWS::Logs::LogGroup': [
    'AuditAnchorLogGroup3634C9C3',
    'CaseArchiverLogGroupBC04BCF4',
    'EmailIngestLogGroup24DDF582',
    'ExpiryRedriveLogGroup107D3E11',
    'ExpiryVerifierLogGroup4BCC140F',
    'OutboxStreamLogGroupC8272DF8',
    'ProtocolMetricsLogGroupF12FE0B6',
    'RetentionReconcilerLogGroup3D5DA505',
    'RetentionStamperLogGroup90EF2524',
    'SlaReconcilerLogGroupC78BF19F',
    'SlaStarterLogGroup4F42197C',
    'SlaStepLogGroupC050626F',
    'SlaWorkflowLogGroupBF0D9A16',
    'CorrectiveActionWorkflowLogGroup5851EDCD',
    'CorrectiveActionStepLogGroupB284CF99',
    'NonComplianceStarterLogGroup4723A202',
  ],
};

describe('logical IDs of the workers stack', () => {
  let workersTemplate: Template;
  beforeAll(() => {
    ({ workersTemplate } = synthesizeCaseflow());
  });

  it.each(Object.entries(PINNED_WORKERS))('keeps the logical ID every %s had in the stateless stack, so moving it replaces none', (type, ids) => {
    expect(Object.keys(workersTemplate.findResources(type)).sort()).toEqual([...ids].sort());
  });
});

/**
 * The stateful stack's data: RETAINed, so a changed logical ID would orphan the old resource and
 * create an empty one beside it. For the subject keys that is worse than lost data: functions would
 * make customers new keys while their archives stay sealed with the old ones.
 */
const PINNED_STATEFUL: Readonly<Record<string, readonly string[]>> = {
  'AWS::DynamoDB::Table': ['SubjectKeyTableFBC749F1', 'TableCD117FA1'],
  // A replaced export-signing key: manifests would change key id silently, and the old key, which verifies every earlier one, would be left outside the stack.
  'AWS::KMS::Key': ['DataKey17AFBB84', 'ExportSigningKeyF54C9751', 'SubjectKeyWrappingKey3DD7802F', 'SurveyLinkKeyk12AE584CC'],
  // A replaced bucket would start empty beside the old one: the exports' manifest chain would restart at 1, the mail and archives be split.
  'AWS::S3::Bucket': ['AccessLogsBucket83982689', 'ArchiveBucket9DECBF5D', 'AuditAnchorBucket67D1229B', 'CaseArchiveBucket219850AD', 'ExportsBucket5A12738B', 'InboundBucketB6EFB535'],
};

describe('logical IDs of the stateful stack', () => {
  let statefulTemplate: Template;
  beforeAll(() => {
    ({ statefulTemplate } = synthesizeCaseflow());
  });

  it.each(Object.entries(PINNED_STATEFUL))('keeps the logical ID of every %s, so a redeploy replaces none of them', (type, ids) => {
    expect(Object.keys(statefulTemplate.findResources(type)).sort()).toEqual([...ids].sort());
  });
});

/**
 * The exports stack: a state machine and a log group with fixed names (a replacement could not be
 * created next to them), and the log groups and the queue that hold what happened.
 */
const PINNED_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  'AWS::StepFunctions::StateMachine': ['ComplianceExportsExportWorkflowStateMachine2D154D24'],
  'AWS::Logs::LogGroup': ['ComplianceExportsExportWorkflowLogGroup1ADB897D', 'ExportStepLogGroupEB164BD6', 'MonthlyReportJobLogGroupD2C6CD34'],
  'AWS::SQS::Queue': ['ComplianceExportsExportScheduleDlq93A4E998'],
  'AWS::Scheduler::Schedule': ['ComplianceExportsDailyExportSchedule8A9E1F57', 'ComplianceExportsMonthlyExportScheduleC4473C55', 'ComplianceExportsMonthlyReportSchedule8355FAC4', 'ComplianceExportsWeeklyExportSchedule48C7DEEC'],
};

describe('logical IDs of the exports stack', () => {
  let exportsTemplate: Template;
  beforeAll(() => {
    ({ exportsTemplate } = synthesizeCaseflow());
  });

  it.each(Object.entries(PINNED_EXPORTS))('keeps the logical ID of every %s, so a redeploy replaces none of them', (type, ids) => {
    expect(Object.keys(exportsTemplate.findResources(type)).sort()).toEqual([...ids].sort());
  });
});

describe('TransparentScopes', () => {
  /** A stack that, like the stateless stack, allocates logical IDs without its registered scopes. */
  class TransparentStack extends Stack {
    readonly scopes = new TransparentScopes();
    protected override allocateLogicalId(element: CfnElement): string {
      return this.scopes.logicalIdOf(this, element) ?? super.allocateLogicalId(element);
    }
  }
  const queueIdIn = (stack: Stack, scope: Construct, id = 'Dlq') => stack.getLogicalId(new sqs.Queue(scope, id).node.defaultChild as CfnElement);

  it('gives a resource inside a transparent construct the logical ID it has as a direct child of the stack', () => {
    const flat = new Stack(new App(), 'Flat');
    const split = new TransparentStack(new App(), 'Split');
    const concern = split.scopes.add(new Construct(split, 'Concern'));
    const nested = new Construct(concern, 'Inner');
    const flatId = queueIdIn(flat, flat);
    expect(flatId).toMatch(/^Dlq[0-9A-F]{8}$/);
    expect(queueIdIn(split, concern)).toBe(flatId);
    expect(queueIdIn(split, nested)).toBe(queueIdIn(flat, new Construct(flat, 'Inner')));
  });

  it('leaves the logical IDs of resources outside the transparent constructs as CDK allocates them', () => {
    const plain = new Stack(new App(), 'Plain');
    const split = new TransparentStack(new App(), 'Split');
    split.scopes.add(new Construct(split, 'Concern'));
    expect(queueIdIn(split, new Construct(split, 'Other'))).toBe(queueIdIn(plain, new Construct(plain, 'Other')));
  });
});
