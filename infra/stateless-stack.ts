import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { API_ROUTES, FALLBACK_ROUTES, type RouteDef } from '../functions/handlers/routes';
import { grantCaseRead, grantCaseWrite, grantSendMail, type CaseData } from './constructs/case-data-grants';
import { CaseflowFunction } from './constructs/caseflow-function';
import { EncryptedQueueDlq } from './constructs/encrypted-queue-dlq';
import { EncryptedQueueDestination } from './constructs/encrypted-queue-destination';
import { SlaWorkflow } from './constructs/sla-workflow';
import { bucketArnExportName, INBOUND_MAIL_PREFIX, receiptRuleSetName } from './stateful-stack';
import { GLOBAL_INDEXES } from '../functions/adapters/table-design';

export interface CaseflowStatelessStackProps extends StackProps {
  stage: string;
  senderEmail: string;
  supportAddresses: readonly string[];
  /** Mail to these opens complaints (email-ingest's COMPLAINTS_ADDRESSES); received with the support addresses. */
  complaintsAddresses: readonly string[];
  webOrigin: string;
  /** Who the SLA workflow notifies (sla-step's TEAM_INBOX_EMAIL, SUPERVISOR_EMAIL, MANAGER_EMAIL). */
  slaContacts: { teamInbox: string; supervisor: string; manager: string };
  /** create-case's AUTO_ACKNOWLEDGEMENT: send the acknowledgement automatically (M3.1). */
  autoAcknowledgement: boolean;
  /** DISPLAY_TIME_ZONE and DISPLAY_LOCALE of every function: how mail and pages show dates. */
  display?: { timeZone: string; locale: string };
  /** From the stateful stack. */
  dataKey: kms.IKey;
  table: dynamodb.ITable;
  inboundBucket: s3.IBucket;
  archiveBucket: s3.IBucket;
  /** The buckets' ARNs through the stage-named exports (CaseflowStatefulStack.inboundBucketArnImport). */
  inboundBucketArnImport: string;
  archiveBucketArnImport: string;
}

/** Cognito groups of the staff roles (M4.1-M4.3 / C2.1-C2.3, M6.3 / C6.3). */
export const STAFF_GROUPS = [
  { name: 'agents', description: 'Customer service representatives: handle inquiries and complaints (M4.1 / C2.1)' },
  { name: 'supervisors', description: 'Oversee escalations and protocol adherence (M4.2 / C2.2)' },
  { name: 'managers', description: 'The second escalation level, above the supervisors (M3.3)' },
  { name: 'feedback', description: 'Feedback team: analyse feedback, recommend changes (M4.3 / C2.3)' },
  { name: 'auditors', description: 'Read-only audit of cases and escalations (M6.3 / C6.3)' },
  { name: 'admins', description: 'Manage staff accounts and configuration' },
] as const;

/**
 * What each function may do with the case data, route handlers and the others alike; a function
 * whose handler is missing here fails synth.
 */
export const HANDLER_DATA_ACCESS: Readonly<Record<string, 'none' | 'read' | 'read-write'>> = {
  'create-case': 'read-write',
  'list-cases': 'read',
  'get-case': 'read',
  'list-quarantine': 'read',
  // Reads threads, rate limits and idempotency records; writes cases, replies and quarantine records.
  'email-ingest': 'read-write',
  // Staff actions read the case and append events (TransactWriteItems of Puts): read-write.
  'reply-to-case': 'read-write',
  'change-case-status': 'read-write',
  'acknowledge-escalation': 'read-write',
  'escalate-case': 'read-write',
  'method-not-allowed': 'none',
  // Reads the owed message, marks it sent or failed.
  'outbox-stream': 'read-write',
  // Reads the case; records warnings, breaches and escalations with their outbox messages.
  'sla-step': 'read-write',
  // Only the stream record (read through the event source mapping) and Step Functions.
  'sla-starter': 'none',
  // Open cases from GSI2, then Step Functions.
  'sla-reconciler': 'read',
};

/** Where email-ingest stores attachments in the archive bucket (`cases/<caseId>/attachments/...`, core/email/ingest-email.ts). */
export const ATTACHMENTS_PREFIX = 'cases/';

/**
 * The relay limits: acknowledgements to one address per hour over every channel (create-case and
 * email-ingest share one counter), and anonymous web submissions per client network per hour.
 */
export const RELAY_LIMITS = { acknowledgementsPerRecipientPerHour: 3, submissionsPerClientPerHour: 20 } as const;

/** email-ingest's REOPEN_WINDOW_DAYS and ACK_RATE_LIMIT_PER_HOUR (14 days; the relay limit). */
export const EMAIL_DEFAULTS = { reopenWindowDays: 14, ackRateLimitPerHour: RELAY_LIMITS.acknowledgementsPerRecipientPerHour, ingestMaxAttempts: 5 } as const;

/** How often the reconciler restarts lost SLA workflows. */
export const SLA_RECONCILE_RATE = Duration.minutes(15);

/**
 * email-ingest's memory. The raw message is streamed from S3 through mailparser and attachments
 * are spooled to /tmp as they decode, so a message with 25 MB of attachments peaks at 150-180 MiB
 * (`npm run bench -- email`: within the 256 MB target). Text bodies are the limit:
 * mailparser holds each text part whole while decoding it, and a 34 MB text-only message peaks at
 * ~330 MiB. 512 MB covers that up to SES's 40 MB maximum and gives the parsing more CPU.
 */
export const EMAIL_INGEST_MEMORY_MB = 512;

/** Default stage throttling: protects the public intake route and the table from floods. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

const pascalCase = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase());

/**
 * Everything that can be redeployed without losing data: the staff user pool (RETAINed all the
 * same: it holds the staff accounts), the HTTP API and its functions, the outbox consumer and
 * outbound mail, and the SLA workflow (its state is the case record, so a redeploy loses none).
 */
export class CaseflowStatelessStack extends Stack {
  public readonly api: apigwv2.HttpApi;
  public readonly apiStage: apigwv2.HttpStage;
  public readonly userPool: cognito.UserPool;
  public readonly userPoolClient: cognito.UserPoolClient;
  /** One function per distinct handler name, keyed by it. */
  public readonly functions = new Map<string, CaseflowFunction>();
  public readonly deliveryDlq: sqs.Queue;
  /** On-failure destination of the sla-starter stream mapping. */
  public readonly slaStartDlq: sqs.Queue;
  /** Inbound mail events whose ingestion failed three times (the function's asynchronous on-failure destination). */
  public readonly ingestDlq: sqs.Queue;
  public readonly slaWorkflow: SlaWorkflow;
  public readonly slaReconcileRule: events.Rule;
  /** SES receipt rule set of the stage; CDK cannot activate it (docs/deploy.md). */
  public readonly inboundRuleSet: ses.ReceiptRuleSet;
  /** Its one rule: the support and complaints addresses -> the inbound bucket. */
  public readonly inboundRule: ses.ReceiptRule;
  /** Object Created under inbound/ -> email-ingest. */
  public readonly inboundMailRule: events.Rule;
  /** The cdk-nag findings of email-ingest's object-level S3 grants (acknowledged on its role). */
  public readonly emailIngestObjectFindings: readonly string[];

  private readonly caseData: CaseData;
  private readonly metricsNamespace: string;
  private readonly dataKey: kms.IKey;

  constructor(scope: Construct, id: string, props: CaseflowStatelessStackProps) {
    super(scope, id, props);
    this.caseData = { table: props.table, key: props.dataKey, indexNames: GLOBAL_INDEXES.map((g) => g.indexName) };
    this.metricsNamespace = `caseflow/${props.stage}`;
    this.dataKey = props.dataKey;

    // ---- staff identities ----
    this.userPool = new cognito.UserPool(this, 'StaffUserPool', {
      // Staff accounts are created by admins (docs/deploy.md); customers never sign in.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // Staff tokens open customers' personal data (M5.1 / C6.1): a second factor is required.
      // TOTP only: SMS is weaker and needs an SNS role and spend limits.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) is billed per active user; the pool has admin-created accounts only, required TOTP MFA, a 12-character password policy and short-lived tokens. docs/deploy.md shows how to switch to Plus.',
    });
    for (const [precedence, group] of STAFF_GROUPS.entries()) {
      this.userPool.addGroup(`Group${pascalCase(group.name)}`, { groupName: group.name, description: group.description, precedence });
    }
    this.userPoolClient = this.userPool.addClient('StaffConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;

    // ---- outbound mail ----
    const configurationSet = new ses.ConfigurationSet(this, 'MailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const senderIdentity = new ses.EmailIdentity(this, 'SenderIdentity', {
      identity: ses.Identity.email(props.senderEmail),
      configurationSet,
    });
    const mail = {
      identityArn: senderIdentity.emailIdentityArn,
      configurationSetArn: this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName }),
      fromAddress: props.senderEmail,
    };

    const commonEnvironment = {
      TABLE_NAME: props.table.tableName,
      SENDER_EMAIL: props.senderEmail,
      SES_CONFIGURATION_SET: configurationSet.configurationSetName,
      DISPLAY_TIME_ZONE: props.display?.timeZone ?? 'UTC',
      DISPLAY_LOCALE: props.display?.locale ?? 'en-GB',
    };
    const authEnvironment = {
      JWT_ISSUER: issuer,
      JWT_JWKS_URL: `${issuer}/.well-known/jwks.json`,
      JWT_AUDIENCE: this.userPoolClient.userPoolClientId,
    };

    // ---- HTTP API ----
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    this.api = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `caseflow-${props.stage}`,
      description: 'caseflow: customer intake and staff case API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.webOrigin],
        allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST],
        allowHeaders: ['content-type', 'authorization', 'idempotency-key'],
        exposeHeaders: ['idempotent-replayed', 'allow'],
        maxAge: Duration.hours(1),
      },
    });
    this.apiStage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { ...API_THROTTLE },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // No source IP, user agent or token claims: access logs carry no personal data (M5.1 / C6.1).
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const staffAuthorizer = new HttpJwtAuthorizer('StaffJwtAuthorizer', issuer, {
      authorizerName: 'staff-jwt',
      jwtAudience: [this.userPoolClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    // Settings only one handler reads.
    const handlerEnvironment: Readonly<Record<string, Record<string, string>>> = {
      'create-case': {
        AUTO_ACKNOWLEDGEMENT: String(props.autoAcknowledgement),
        ACK_RATE_LIMIT_PER_HOUR: String(RELAY_LIMITS.acknowledgementsPerRecipientPerHour),
        SUBMISSION_RATE_LIMIT_PER_HOUR: String(RELAY_LIMITS.submissionsPerClientPerHour),
      },
      // Manual escalations go to the same parties as automatic ones.
      'escalate-case': {
        TEAM_INBOX_EMAIL: props.slaContacts.teamInbox,
        SUPERVISOR_EMAIL: props.slaContacts.supervisor,
        MANAGER_EMAIL: props.slaContacts.manager,
      },
    };
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of [...API_ROUTES, ...FALLBACK_ROUTES]) {
      let integration = integrations.get(route.handler);
      if (!integration) {
        const fn = this.dataFunction('route', route.handler, {
          environment: { ...commonEnvironment, ...authEnvironment, ...handlerEnvironment[route.handler] },
        });
        integration = new HttpLambdaIntegration(`${pascalCase(route.handler)}Integration`, fn.fn);
        integrations.set(route.handler, integration);
      }
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration,
        authorizer: route.auth === 'staff' ? staffAuthorizer : new apigwv2.HttpNoneAuthorizer(),
      });
      if (route.auth === 'public' && created) Validations.of(created).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicRouteReason(route) });
    }

    // ---- outbox delivery (stream consumer) ----
    this.deliveryDlq = this.streamDlq(
      'OutboxDeliveryDlq',
      'outbox',
      'OutboxDeliveryFailedAlarm',
      'An outbox batch exhausted its retries: a message to a customer or a staff contact was not delivered. Inspect the DLQ.',
    );

    const outbox = this.dataFunction('stream', 'outbox-stream', {
      description: 'caseflow outbox-stream: delivers owed messages from the table stream',
      environment: commonEnvironment,
      timeout: Duration.seconds(60),
      wildcardResourceJustification: LIST_STREAMS_JUSTIFICATION,
    });
    // Customers and staff alike (SLA warnings, breaches and escalations go to the contacts of
    // caseflow:teamInboxEmail, supervisorEmail, managerEmail): the grant limits the sender, not the recipients.
    grantSendMail(outbox.role, mail);
    // Only new outbox items: the acknowledgement owed for a case (M3.1, 15 minutes) and staff notifications.
    outbox.fn.addEventSource(streamInserts(props.table, 'outbox', new EncryptedQueueDlq(this.deliveryDlq, props.dataKey)));

    // ---- SLA workflow (M3.1, M3.2 / C3.3, M3.3) ----
    // sla-step gets no state machine ARN: the state machine depends on it, never the other way round.
    const slaStep = this.dataFunction('workflow', 'sla-step', {
      description: 'caseflow sla-step: plans and applies the SLA actions of a case (SLA workflow task)',
      environment: {
        TABLE_NAME: props.table.tableName,
        TEAM_INBOX_EMAIL: props.slaContacts.teamInbox,
        SUPERVISOR_EMAIL: props.slaContacts.supervisor,
        MANAGER_EMAIL: props.slaContacts.manager,
      },
      timeout: Duration.seconds(30),
    });
    this.slaWorkflow = new SlaWorkflow(this, 'SlaWorkflow', { stage: props.stage, stepFunction: slaStep.fn });
    const stateMachineArn = this.slaWorkflow.stateMachine.stateMachineArn;

    this.slaStartDlq = this.streamDlq(
      'SlaStartDlq',
      'sla-starter',
      'SlaStartFailedAlarm',
      'A batch of new cases exhausted its retries without an SLA workflow started. The reconciler starts the missing ones within 15 minutes; inspect the DLQ for the cause.',
    );
    const starter = this.dataFunction('stream', 'sla-starter', {
      description: 'caseflow sla-starter: starts the SLA workflow of every new case from the table stream',
      environment: { SLA_STATE_MACHINE_ARN: stateMachineArn },
      timeout: Duration.seconds(60),
      wildcardResourceJustification: LIST_STREAMS_JUSTIFICATION,
    });
    this.slaWorkflow.grantStartAndDescribe(starter.role);
    // Only new cases, whatever their channel: each gets one workflow (named after the case id).
    starter.fn.addEventSource(streamInserts(props.table, 'case', new EncryptedQueueDlq(this.slaStartDlq, props.dataKey)));

    const reconciler = this.dataFunction('scheduled', 'sla-reconciler', {
      description: 'caseflow sla-reconciler: restarts the SLA workflow of open cases that have none running',
      environment: { TABLE_NAME: props.table.tableName, SLA_STATE_MACHINE_ARN: stateMachineArn },
      // Walks every open case; overlapping runs are harmless (starts are idempotent by name).
      timeout: Duration.minutes(5),
    });
    this.slaWorkflow.grantStartAndDescribe(reconciler.role);
    this.slaReconcileRule = new events.Rule(this, 'SlaReconcileSchedule', {
      description: 'caseflow: restart lost SLA workflows every 15 minutes',
      schedule: events.Schedule.rate(SLA_RECONCILE_RATE),
      // A missed run is caught by the next one 15 minutes later.
      targets: [new targets.LambdaFunction(reconciler.fn, { retryAttempts: 2, maxEventAge: Duration.minutes(10) })],
    });
    new cloudwatch.Alarm(this, 'SlaReconcilerErrorsAlarm', {
      alarmDescription: 'The SLA reconciler failed twice in a row: lost SLA workflows are not being restarted. Check its logs.',
      metric: reconciler.fn.metricErrors({ period: SLA_RECONCILE_RATE, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // ---- email-to-case (C4.1 / M7.1): SES -> inbound bucket -> EventBridge -> email-ingest ----
    const recipients = [...new Set([...props.supportAddresses, ...props.complaintsAddresses].map((a) => a.toLowerCase()))];
    const emailIngest = this.dataFunction('event', 'email-ingest', {
      description: 'caseflow email-ingest: turns raw inbound mail into cases, replies or quarantine records',
      environment: {
        TABLE_NAME: props.table.tableName,
        INBOUND_BUCKET: props.inboundBucket.bucketName,
        // Attachments live under cases/<caseId>/attachments/ in the archive, archived with their case.
        ATTACHMENTS_BUCKET: props.archiveBucket.bucketName,
        SUPPORT_ADDRESSES: props.supportAddresses.join(','),
        COMPLAINTS_ADDRESSES: props.complaintsAddresses.join(','),
        SENDER_EMAIL: props.senderEmail,
        REOPEN_WINDOW_DAYS: String(EMAIL_DEFAULTS.reopenWindowDays),
        ACK_RATE_LIMIT_PER_HOUR: String(EMAIL_DEFAULTS.ackRateLimitPerHour),
        AUTO_ACKNOWLEDGEMENT: String(props.autoAcknowledgement),
        INGEST_MAX_ATTEMPTS: String(EMAIL_DEFAULTS.ingestMaxAttempts),
      },
      memorySize: EMAIL_INGEST_MEMORY_MB,
      timeout: Duration.seconds(60),
    });
    // Lambda tries a failed ingestion three times (two retries), then the event waits in a DLQ for
    // `reconcile-inbound --redrive`; at its fifth failure the handler quarantines the message.
    this.ingestDlq = this.streamDlq(
      'EmailIngestDlq',
      'email-ingest',
      'EmailIngestFailedAlarm',
      'An inbound message failed ingestion three times: run reconcile-inbound --redrive (docs/runbook.md); it is quarantined at the fifth failure.',
    );
    emailIngest.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new EncryptedQueueDestination(this.ingestDlq, props.dataKey) });
    // Exactly the objects it reads and writes, and the key only when S3 uses it on its behalf.
    const rawMail = `${props.inboundBucketArnImport}/${INBOUND_MAIL_PREFIX}*`;
    const caseObjects = `${props.archiveBucketArnImport}/${ATTACHMENTS_PREFIX}*`;
    iam.Grant.addToPrincipal({ grantee: emailIngest.role, actions: ['s3:GetObject'], resourceArns: [rawMail] });
    iam.Grant.addToPrincipal({ grantee: emailIngest.role, actions: ['s3:PutObject'], resourceArns: [caseObjects] });
    this.emailIngestObjectFindings = [
      `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'inbound')}/${INBOUND_MAIL_PREFIX}*]`,
      `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'archive')}/${ATTACHMENTS_PREFIX}*]`,
    ];
    const [rawMailFinding, caseObjectsFinding] = this.emailIngestObjectFindings;
    Validations.of(emailIngest.role).acknowledge({
      id: rawMailFinding as string,
      reason: `s3:GetObject on the raw messages SES stores under ${INBOUND_MAIL_PREFIX} in the inbound bucket only: object keys are SES message ids, unknown at deploy time.`,
    });
    Validations.of(emailIngest.role).acknowledge({
      id: caseObjectsFinding as string,
      reason: `s3:PutObject on ${ATTACHMENTS_PREFIX}<caseId>/attachments/ in the archive bucket only (attachments stored with their case): case ids are unknown at deploy time.`,
    });
    iam.Grant.addToPrincipal({
      grantee: emailIngest.role,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resourceArns: [props.dataKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
    });

    this.inboundRuleSet = new ses.ReceiptRuleSet(this, 'InboundRuleSet', { receiptRuleSetName: receiptRuleSetName(props.stage) });
    this.inboundRule = this.inboundRuleSet.addRule('Intake', {
      receiptRuleName: 'intake',
      recipients,
      enabled: true,
      // Spam and virus verdicts in the X-SES-* headers: email-ingest quarantines viruses and flags spam.
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      // No kmsKey: SES would then encrypt client-side (S3 encryption client format), which a plain
      // GetObject cannot read. The bucket's default SSE-KMS with the CMK encrypts the message.
      actions: [new sesActions.S3({ bucket: props.inboundBucket, objectKeyPrefix: INBOUND_MAIL_PREFIX })],
    });

    this.inboundMailRule = new events.Rule(this, 'InboundMailCreated', {
      description: 'caseflow: raw mail stored by SES under inbound/ goes to email-ingest',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.inboundBucket.bucketName] }, object: { key: [{ prefix: INBOUND_MAIL_PREFIX }] } },
      },
      targets: [
        new targets.LambdaFunction(emailIngest.fn, {
          // email-ingest takes S3 notification records (as the local SMTP listener sends them).
          event: events.RuleTargetInput.fromObject({
            Records: [
              {
                eventSource: 'aws:s3',
                eventName: `ObjectCreated:${events.EventField.fromPath('$.detail.reason')}`,
                eventTime: events.EventField.time,
                s3: {
                  bucket: { name: events.EventField.fromPath('$.detail.bucket.name') },
                  object: { key: events.EventField.fromPath('$.detail.object.key'), sequencer: events.EventField.fromPath('$.detail.object.sequencer') },
                },
              },
            ],
          }),
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'HTTP API base URL' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Staff user pool' });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId, description: 'Staff console app client (JWT audience)' });
    new CfnOutput(this, 'JwtIssuer', { value: issuer, description: 'Issuer of staff tokens' });
    new CfnOutput(this, 'TableName', { value: props.table.tableName, description: 'The single DynamoDB table' });
    new CfnOutput(this, 'InboundRuleSetName', { value: this.inboundRuleSet.receiptRuleSetName, description: 'SES receipt rule set: activate it by hand (docs/deploy.md)' });
    new CfnOutput(this, 'SlaStateMachineArn', { value: stateMachineArn, description: 'The SLA workflow (one execution per case, named case-<caseId>)' });
  }

  private addFunction(handler: string, options: FunctionOptions): CaseflowFunction {
    const fn = new CaseflowFunction(this, pascalCase(handler), { handler, metricsNamespace: this.metricsNamespace, ...options });
    this.functions.set(handler, fn);
    return fn;
  }

  /** A function with exactly the data access HANDLER_DATA_ACCESS gives its handler; every function is made here. */
  private dataFunction(kind: 'route' | 'stream' | 'workflow' | 'scheduled' | 'event', handler: string, options: FunctionOptions): CaseflowFunction {
    const access = HANDLER_DATA_ACCESS[handler];
    if (!access) {
      throw new Error(
        `caseflow: ${kind} handler "${handler}" has no entry in HANDLER_DATA_ACCESS (infra/stateless-stack.ts); decide its data access (none, read, read-write) there.`,
      );
    }
    const fn = this.addFunction(handler, options);
    if (access === 'read' || access === 'read-write') grantCaseRead(fn.role, this.caseData);
    if (access === 'read-write') grantCaseWrite(fn.role, this.caseData);
    return fn;
  }

  /** A KMS-encrypted, TLS-only on-failure destination (of a stream mapping or a function), with an alarm on its first message. */
  private streamDlq(id: string, consumer: string, alarmId: string, alarmDescription: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the on-failure destination (DLQ) of the ${consumer} stream mapping.`,
    });
    new cloudwatch.Alarm(this, alarmId, {
      alarmDescription,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return queue;
  }
}

type FunctionOptions = Omit<ConstructorParameters<typeof CaseflowFunction>[2], 'handler' | 'metricsNamespace'>;

const LIST_STREAMS_JUSTIFICATION =
  'The stream event source needs dynamodb:ListStreams, which supports no resource-level permissions; reading the stream itself is scoped to the table stream ARN.';

function publicRouteReason(route: RouteDef): string {
  if (route.handler === 'method-not-allowed') {
    return `${route.method} ${route.path} only answers 405 with an Allow header; its function has no data access.`;
  }
  return `${route.method} ${route.path} is customer intake: customers are anonymous. Protected by stage throttling, zod validation (4xx naming the field) and idempotency keys.`;
}

/**
 * A table-stream event source for INSERTs of one entity (`outbox`, `case`): in order per shard,
 * partial batch responses, bisect on error, ten retries, then the batch goes to the DLQ.
 */
function streamInserts(table: dynamodb.ITable, entity: string, onFailure: lambda.IEventSourceDlq): DynamoEventSource {
  return new DynamoEventSource(table, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: 10,
    bisectBatchOnError: true,
    retryAttempts: 10,
    reportBatchItemFailures: true,
    filters: [
      lambda.FilterCriteria.filter({
        eventName: lambda.FilterRule.isEqual('INSERT'),
        dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual(entity) } } },
      }),
    ],
    onFailure,
  });
}
