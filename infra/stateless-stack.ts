import { Aws, CfnOutput, Lazy, Stack, type CfnElement, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { CASE_ACTION_FUNCTIONS } from '../functions/adapters/function-config';
import { STAFF_ROLES, type StaffRole } from '../functions/core/roles';
import { GLOBAL_INDEXES } from '../functions/adapters/table-design';
import { grantAuditAnchorReads } from './constructs/audit-anchoring';
import { CaseApi } from './constructs/case-api';
import type { CaseflowFunction } from './constructs/caseflow-function';
import { CaseflowFunctions, type DataAccess } from './constructs/caseflow-functions';
import type { SlaContacts } from './constructs/sla-enforcement';
import { StaffConsole, type StaffConsoleProps } from './constructs/staff-console';
import { StaffIdentity } from './constructs/staff-identity';
import type { SubjectKeyStore } from './constructs/subject-key-grants';
import { TransparentScopes } from './constructs/transparent-scopes';

export interface CaseflowStatelessStackProps extends StackProps {
  stage: string;
  webOrigin: string;
  /** Who a manual escalation notifies (escalate-case's TEAM_INBOX_EMAIL, SUPERVISOR_EMAIL, MANAGER_EMAIL), as the SLA workflow's. */
  slaContacts: SlaContacts;
  /** create-case's AUTO_ACKNOWLEDGEMENT: send the acknowledgement automatically (M3.1). */
  autoAcknowledgement: boolean;
  /** DISPLAY_TIME_ZONE and DISPLAY_LOCALE of every function: how mail and pages show dates. */
  display?: { timeZone: string; locale: string };
  /** The staff console's sign-in domain prefix (default caseflow-<stage>-<account id>), custom domain and web ACL. */
  console?: { authDomainPrefix?: string } & Pick<StaffConsoleProps, 'customDomain' | 'webAclArn'>;
  /** From the stateful stack. */
  dataKey: kms.IKey;
  table: dynamodb.ITable;
  inboundBucket: s3.IBucket;
  archiveBucket: s3.IBucket;
  /** The buckets' ARNs through the stage-named exports (CaseflowStatefulStack.inboundBucketArnImport). */
  inboundBucketArnImport: string;
  archiveBucketArnImport: string;
  /** The daily audit-chain head digests (Object Lock), and its ARN through the stage-named export: verify-audit-trail reads them. */
  auditAnchorBucket: s3.IBucket;
  auditAnchorBucketArnImport: string;
  /** Closed cases' archives (Object Lock, a retention per object), and its ARN through the stage-named export. */
  caseArchiveBucket: s3.IBucket;
  caseArchiveBucketArnImport: string;
  /** The subjects' data keys: the key table and its wrapping key, through the stage-named exports. */
  subjectKeys: SubjectKeyStore;
  /** Compliance exports: the exports bucket and its ARN through the stage-named export (stateful stack), and the workflow's ARN through its own (exports stack). */
  exportsBucket: s3.IBucket;
  exportsBucketArnImport: string;
  exportStateMachineArnImport: string;
}

/** What each staff role's Cognito group is for (M4.1-M4.3 / C2.1-C2.3, M6.3 / C6.3): one group a role of core/roles.ts. */
const GROUP_DESCRIPTIONS: Readonly<Record<StaffRole, string>> = {
  agents: 'Customer service representatives: handle inquiries and complaints (M4.1 / C2.1)',
  supervisors: 'Oversee escalations and protocol adherence (M4.2 / C2.2)',
  managers: 'The second escalation level, above the supervisors (M3.3)',
  feedback: 'Feedback team: analyse feedback, recommend changes (M4.3 / C2.3)',
  auditors: 'Read-only audit of cases and escalations (M6.3 / C6.3)',
  admins: 'Manage staff accounts and configuration',
};

/** Cognito groups of the staff roles. */
export const STAFF_GROUPS = STAFF_ROLES.map((name) => ({ name, description: GROUP_DESCRIPTIONS[name] }));

/** The route handlers that look staff members up in the user pool (assignment, grants, the staff list): read-only Cognito access. */
export const STAFF_DIRECTORY_READERS: readonly string[] = ['assign-case', 'claim-case', 'deescalate-case', 'grant-contact-access', 'open-case-from-call', 'list-staff', 'record-training', 'get-training', 'create-action-item', 'update-action-item', 'list-performance-reviews', 'get-performance-review', 'create-monthly-report'];

/**
 * What each function may do with the case data, route handlers and the others alike; a function
 * whose handler is missing here fails synth.
 */
export const HANDLER_DATA_ACCESS: Readonly<Record<string, DataAccess>> = {
  'create-case': 'read-write',
  // The staff API's reads: cases, queues, escalation logs, audit trails, the quarantine.
  'list-cases': 'read',
  'search-cases': 'read',
  'get-case': 'read',
  'list-escalations': 'read',
  'get-audit-trail': 'read',
  // Reads the case's timeline for the file; its S3 read is CaseApi's own grant.
  'get-attachment': 'read',
  'verify-audit-trail': 'read',
  // Finds the case by its reference and reads what it recorded of its archive; the archive itself is CaseApi's S3 grant.
  'get-case-archive': 'read',
  'list-quarantine': 'read',
  // An access request reads the customer's cases (the customer indexes) and appends the export's event to each, with the request's record.
  'create-access-request': 'read-write',
  // An erasure request reads the customer's cases (the customer indexes, the partitions), puts each case in erased form
  // (TransactWriteItems of Puts and Updates), rewrites its events, outbox messages and escalation records with conditional
  // PutItems, and puts the request's record: PutItem and UpdateItem are what read-write grants, no delete is needed (the
  // erased items stay, without personal data). Its S3 deletes and the subject keys' DeleteItem are CaseApi's own grants.
  'create-erasure-request': 'read-write',
  // The privacy requests' records.
  'get-privacy-request': 'read',
  'list-privacy-requests': 'read',
  // The staff directory is not case data.
  'list-staff': 'none',
  'list-staff-cases': 'read',
  // The status indexes over the period's range, then each case's item and timeline.
  'get-metrics': 'read',
  // The escalation audit (M6.3, C6.3): the cases received in the period (the status indexes) with their timelines and escalation records.
  'get-escalation-audit': 'read',
  // The published SLA policy versions are in the table (M8.3).
  'get-settings': 'read',
  // The policy versions: built in (code) and published (the table's POLICY#SLA partition, M8.3).
  'get-sla-policies': 'read',
  // Publishing puts a version and the current pointer in one transaction; a migration changes open cases and records its progress.
  'publish-sla-policy': 'read-write',
  'migrate-sla-policy': 'read-write',
  // The retention versions (the table's POLICY#RETENTION partition): read, and published with the current pointer.
  'get-retention-policies': 'read',
  'publish-retention-policy': 'read-write',
  // A migration's record; the migration workflow's step moves open cases (the open queues, each case's transaction) and records its progress.
  'get-sla-migration': 'read',
  'sla-migration-step': 'read-write',
  'get-openapi': 'none',
  // Compliance exports: start the workflow and read where an export stands, in the exports bucket only.
  'create-export': 'none',
  'get-export': 'none',
  // The monthly report reads a month's cases and timelines (the status indexes), like the metrics.
  'create-monthly-report': 'read',
  'get-monthly-report': 'none',
  // Non-compliance records (C8.1–C8.3): a month's partition, one record by its pointer; reports and
  // corrective actions put a record (conditional PutItems): read-write.
  'list-non-compliance': 'read',
  'get-non-compliance': 'read',
  'report-non-compliance': 'read-write',
  'record-corrective-action': 'read-write',
  'sign-off-non-compliance': 'read-write',

  // Training (C5.1-C5.3): a staff member's partition of records, written once a record (PutItem), read by Query; the team's status reads each member's.
  'record-training': 'read-write',
  'get-training': 'read',
  // The export workflow's task (the exports stack): a day's cases from the by-day index (GSI4), each
  // case's partition (Query on the table); writes only to the exports bucket.
  'export-step': 'read',
  // The monthly report's scheduled job (the exports stack) reads a month's cases and timelines (the status indexes).
  'monthly-report-job': 'read',
  // Staff actions read the case and append events (TransactWriteItems of Puts): read-write.
  ...Object.fromEntries(CASE_ACTION_FUNCTIONS.map((h) => [h, 'read-write' as const])),
  'escalate-case': 'read-write',
  'method-not-allowed': 'none',
  // The satisfaction survey (M8.1, C7.1): the page reads the case; an answer appends its event and puts its feedback-log entry.
  'get-survey': 'read',
  'answer-survey': 'read-write',
  // The feedback log's month partitions (C4.2).
  'list-feedback': 'read',
  // Response-quality reviews (M6.1, C6.3): a week's partition (Query), a review by key; a score appends
  // its event to the case with the review and any non-compliance record it opens (TransactWriteItems).
  'list-quality-reviews': 'read',
  'get-quality-review': 'read',
  'score-quality-review': 'read-write',
  'list-my-quality-reviews': 'read',
  'get-quality-rollup': 'read',
  // The weekly top-up: last week's partition (Query), then a conditional PutItem a review.
  'quality-review-top-up': 'read-write',
  // Feedback trends (M4.3, M8.3): every page of the feedback log's month partitions over the period.
  'get-feedback-trends': 'read',
  // Action items (M8.2, C7.2): their partition (Query, GetItem); creating and changing one is a conditional PutItem, and reads the linked cases.
  'create-action-item': 'read-write',
  'update-action-item': 'read-write',
  'list-action-items': 'read',
  'get-action-item': 'read',
  // Performance reviews (C7.3): the period's cases (the metrics' index), quality-review weeks, non-compliance months, training records: all Query.
  'list-performance-reviews': 'read',
  'get-performance-review': 'read',
  // Complaint follow-ups (M3.2): recording one is the case's transaction (its events, its entry in the follow-ups' partition removed or written); the list is one Query of that partition.
  'record-follow-up': 'read-write',
  'list-follow-ups': 'read',
  // The workers stack's (infra/workers-stack.ts), from here on.
  // Reads threads, rate limits and idempotency records; writes cases, replies and quarantine records.
  'email-ingest': 'read-write',
  // Reads the owed message, marks it sent or failed.
  'outbox-stream': 'read-write',
  // Reads the case; records warnings, breaches and escalations with their outbox messages.
  'sla-step': 'read-write',
  // Only the stream record (read through the event source mapping) and Step Functions.
  'sla-starter': 'none',
  'non-compliance-starter': 'none',
  // Reads a non-compliance record, records its warning or missed deadline (a conditional PutItem); mails staff.
  'corrective-action-step': 'read-write',
  // Only the stream record (read through the event source mapping): it writes its metrics to its own log (EMF).
  'protocol-metrics': 'none',
  // Cases with an SLA timer (GSI2: open cases, resolved ones awaiting closure), then Step Functions.
  'sla-reconciler': 'read',
  // The case heads of a day from the by-day index (GSI4); writes only to the anchor bucket.
  'audit-anchor': 'read',
  // Queries a closed case's partition, then UpdateItem (SET expiresAt) on each of its items.
  'retention-stamper': 'read-write',
  // Reads the closed case's partition; records the archive on the case (an event, through TransactWriteItems).
  'case-archiver': 'read-write',
  // Closed cases from the by-day index (its only index), their partitions and items outside them; records archives and stamps expiries, as the two above.
  'retention-reconciler': 'read-write',
  // Refresher reminders (C5.3): each staff member's training partition (Query), a reminder's mark (PutItem, and DeleteItem when its mail failed).
  'training-reminders': 'read-write',
  // Complaint follow-up reminders (M3.2): the follow-ups' partition (Query), a reminder's mark on its entry (UpdateItem, removed again when its mail failed).
  'follow-up-reminders': 'read-write',
  // Only the stream's REMOVE records (their old images) and the case-archive bucket: never the table.
  'expiry-verifier': 'none',
  // Only the expiry dead-letter queue (the records themselves) and the case-archive bucket.
  'expiry-redrive': 'none',
};

/**
 * The relay limits: acknowledgements to one address per hour over every channel (create-case and
 * email-ingest share one counter), and anonymous web submissions per client network per hour.
 */
export const RELAY_LIMITS = { acknowledgementsPerRecipientPerHour: 3, submissionsPerClientPerHour: 20 } as const;

/** Default stage throttling: protects the public intake route and the table from floods. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * What serves the HTTP API, all of it redeployable without losing data: the staff user pool
 * (RETAINed all the same: it holds the staff accounts), the HTTP API and its route functions, and
 * the staff console. The work behind the API (stream consumers, the SLA workflow, mail in and out,
 * the daily jobs) is the workers stack's (infra/workers-stack.ts), the compliance exports the
 * exports stack's: this stack is the one that grows with every route, so it holds nothing else.
 *
 * One construct a concern, all their functions made by one CaseflowFunctions. The settings above
 * are decided here and handed to the constructs.
 */
export class CaseflowStatelessStack extends Stack {
  public readonly identity: StaffIdentity;
  public readonly caseApi: CaseApi;
  public readonly staffConsole: StaffConsole;

  public readonly api: apigwv2.HttpApi;
  public readonly apiStage: apigwv2.HttpStage;
  public readonly userPool: cognito.UserPool;
  public readonly userPoolClient: cognito.UserPoolClient;
  /** One function per distinct route handler name, keyed by it. */
  public readonly functions: Map<string, CaseflowFunction>;
  /** The cdk-nag findings of verify-audit-trail's object-level S3 grants on the audit anchors (acknowledged on its role). */
  public readonly auditAnchorReadFindings: readonly string[];
  /** The cdk-nag findings of CDK's S3 grants to the console deployment function (acknowledged on its role). */
  public readonly consoleDeploymentFindings: readonly string[];
  /** Stage-named exports for the stacks deployed after this one (the quality routes): the API, the user pool, its console client. */
  public readonly httpApiIdImport: string;
  public readonly userPoolIdImport: string;
  public readonly userPoolClientIdImport: string;

  /**
   * The concern constructs came after the first deployments: their resources keep the logical IDs
   * they had as direct children of this stack, so a redeploy replaces none of them.
   */
  private readonly concerns = new TransparentScopes();

  constructor(scope: Construct, id: string, props: CaseflowStatelessStackProps) {
    super(scope, id, props);
    const functions = new CaseflowFunctions(this, {
      caseData: { table: props.table, key: props.dataKey, indexNames: GLOBAL_INDEXES.map((g) => g.indexName) },
      metricsNamespace: `caseflow/${props.stage}`,
      dataAccess: HANDLER_DATA_ACCESS,
    });
    this.functions = functions.all;
    const display = { timeZone: props.display?.timeZone ?? 'UTC', locale: props.display?.locale ?? 'en-GB' };

    // The console's URLs are the distribution's, made after the API (its /v1/* origin), which needs
    // this client first (its JWT audience): they are read at synthesis. No cycle in the template:
    // client -> distribution -> API; authorizer and functions -> client.
    const consoleUrl = (url: (c: StaffConsole) => string) => Lazy.string({ produce: () => url(this.staffConsole) });
    this.identity = this.concerns.add(
      new StaffIdentity(this, 'StaffIdentity', {
        groups: STAFF_GROUPS,
        domainPrefix: props.console?.authDomainPrefix ?? `caseflow-${props.stage}-${Aws.ACCOUNT_ID}`,
        consoleUrls: { callback: consoleUrl((c) => c.config.auth.redirectUri), signOut: consoleUrl((c) => c.config.auth.logoutUri) },
      }),
    );
    this.userPool = this.identity.userPool;
    this.userPoolClient = this.identity.userPoolClient;

    this.caseApi = this.concerns.add(
      new CaseApi(this, 'CaseApi', {
        stage: props.stage,
        webOrigin: props.webOrigin,
        throttle: API_THROTTLE,
        functions,
        identity: this.identity,
        tableName: props.table.tableName,
        display,
        intake: {
          autoAcknowledgement: props.autoAcknowledgement,
          ackRateLimitPerHour: RELAY_LIMITS.acknowledgementsPerRecipientPerHour,
          submissionRateLimitPerHour: RELAY_LIMITS.submissionsPerClientPerHour,
        },
        slaContacts: props.slaContacts,
        directoryReaders: STAFF_DIRECTORY_READERS,
        auditAnchorBucketName: props.auditAnchorBucket.bucketName,
        attachments: { bucketName: props.archiveBucket.bucketName, bucketArnImport: props.archiveBucketArnImport, key: props.dataKey },
        caseArchives: { bucketName: props.caseArchiveBucket.bucketName, bucketArnImport: props.caseArchiveBucketArnImport, key: props.dataKey },
        inboundMail: { bucketName: props.inboundBucket.bucketName, bucketArnImport: props.inboundBucketArnImport, key: props.dataKey },
        subjectKeys: props.subjectKeys,
        complianceExports: {
          bucketName: props.exportsBucket.bucketName,
          bucketArnImport: props.exportsBucketArnImport,
          key: props.dataKey,
          stateMachineArn: props.exportStateMachineArnImport,
        },
      }),
    );
    this.api = this.caseApi.api;
    this.apiStage = this.caseApi.stage;

    const verifier = this.caseApi.functions.get('verify-audit-trail');
    if (!verifier) throw new Error('caseflow: the staff API has no verify-audit-trail function to read the audit anchors');
    this.auditAnchorReadFindings = [grantAuditAnchorReads(verifier, { stage: props.stage, anchorBucketArnImport: props.auditAnchorBucketArnImport })];

    this.staffConsole = this.concerns.add(
      new StaffConsole(this, 'StaffConsole', {
        api: this.api,
        identity: this.identity,
        ...(props.console?.customDomain ? { customDomain: props.console.customDomain } : {}),
        ...(props.console?.webAclArn ? { webAclArn: props.console.webAclArn } : {}),
      }),
    );
    this.consoleDeploymentFindings = this.staffConsole.acknowledgeDeploymentFindings(this.getLogicalId(this.staffConsole.bucket.node.defaultChild as CfnElement));

    this.httpApiIdImport = this.exportValue(this.api.apiId, { name: `caseflow-${props.stage}-http-api-id` });
    this.userPoolIdImport = this.exportValue(this.userPool.userPoolId, { name: `caseflow-${props.stage}-user-pool-id` });
    this.userPoolClientIdImport = this.exportValue(this.userPoolClient.userPoolClientId, { name: `caseflow-${props.stage}-user-pool-client-id` });

    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'HTTP API base URL' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Staff user pool' });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId, description: 'Staff console app client (JWT audience)' });
    new CfnOutput(this, 'JwtIssuer', { value: this.identity.issuer, description: 'Issuer of staff tokens' });
    new CfnOutput(this, 'ConsoleUrl', { value: this.staffConsole.url, description: 'The staff console (sign in through the Cognito hosted UI)' });
    new CfnOutput(this, 'ConsoleDistributionDomainName', {
      value: this.staffConsole.distribution.distributionDomainName,
      description: 'The console distribution\'s own name: the CNAME target of a custom console domain',
    });
    new CfnOutput(this, 'StaffSignInDomain', { value: this.identity.hostedUiUrl, description: 'The Cognito hosted UI staff sign in on' });
    new CfnOutput(this, 'TableName', { value: props.table.tableName, description: 'The single DynamoDB table' });
  }

  protected override allocateLogicalId(element: CfnElement): string {
    // Logical IDs are allocated lazily, at synth, when every concern is registered.
    return this.concerns.logicalIdOf(this, element) ?? super.allocateLogicalId(element);
  }
}
