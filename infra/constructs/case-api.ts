import { REPORTS_PREFIX } from '../../functions/core/monthly-report-delivery';
import { Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { STAFF_ROUTE_FUNCTIONS, type EnvironmentOf, type StaffRouteFunction } from '../../functions/adapters/function-config';
import { API_ROUTES, FALLBACK_ROUTES, type RouteDef } from '../../functions/handlers/routes';
import { isQualityFallback, isQualityRoute } from '../quality-routes';
import { pascalCase, type CaseflowFunctions } from './caseflow-functions';
import type { CaseflowFunction } from './caseflow-function';
import { ARCHIVE_INDEX_PREFIX, CASE_ARCHIVE_PREFIX } from './case-archiving';
import { archiveKeys } from '../../functions/adapters/s3-case-archives';
import { PRIVACY_EXPORT_PREFIX } from '../../functions/core/privacy-access';
import { EXPORTS_PREFIX } from '../../functions/core/compliance-export';
import { bucketArnExportName, INBOUND_MAIL_PREFIX } from '../stateful-stack';
import { ATTACHMENTS_PREFIX } from './email-intake';
import { exportExecutionArns } from './export-workflow';
import type { SlaContacts } from './sla-enforcement';
import type { StaffIdentity } from './staff-identity';
import { grantSubjectKeys, subjectKeyEnvironment, type SubjectKeyStore } from './subject-key-grants';

export interface CaseApiProps {
  /** Names the API. */
  stage: string;
  /** The only origin CORS allows (the web form and the staff console). */
  webOrigin: string;
  /** Default stage throttling. */
  throttle: { rateLimit: number; burstLimit: number };
  /** Makes the route functions. */
  functions: CaseflowFunctions;
  /** Whose tokens the staff routes accept. */
  identity: StaffIdentity;
  tableName: string;
  /** How mail and pages show dates. */
  display: { timeZone: string; locale: string };
  /** create-case's automatic acknowledgement (M3.1) and relay limits. */
  intake: { autoAcknowledgement: boolean; ackRateLimitPerHour: number; submissionRateLimitPerHour: number };
  /** Manual escalations (escalate-case) go to the same parties as automatic ones. */
  slaContacts: SlaContacts;
  /** The route handlers that read the staff directory (the user pool). */
  directoryReaders: readonly string[];
  /** Where the daily audit-chain anchors are (verify-audit-trail reads them). */
  auditAnchorBucketName: string;
  /** Where email-ingest stores the cases' files (the archive bucket, its stage-named ARN export, its key): get-attachment signs downloads of them. */
  attachments: { bucketName: string; bucketArnImport: string; key: kms.IKey };
  /** Where the closed cases' archives are (the case-archive bucket, its stage-named ARN export, its key): get-case-archive reads them back. */
  caseArchives: { bucketName: string; bucketArnImport: string; key: kms.IKey };
  /** Where SES stores the raw inbound mail (the inbound bucket, its stage-named ARN export, its key): an access request's export copies it. */
  inboundMail: { bucketName: string; bucketArnImport: string; key: kms.IKey };
  /** The customers' data keys: get-case-archive and access requests open the archives' sealed records with them. */
  subjectKeys: SubjectKeyStore;
  /**
   * Compliance exports: the exports bucket (its name, stage-named ARN export and key), read by both
   * export routes, and the export workflow's ARN (the exports stack's stage-named export), which
   * create-export starts.
   */
  complianceExports: { bucketName: string; bucketArnImport: string; key: kms.IKey; stateMachineArn: string };
}

/**
 * Route functions that need more than the defaults (256 MB, 10 s). An access request reads every
 * file of a customer's cases and writes the zip through /tmp, within API Gateway's 30 seconds. An
 * erasure request lists and deletes every version of a customer's files and rewrites every record
 * of their cases within the same 30 seconds (nothing through /tmp): a very large customer may need
 * a second run, which the request allows (every step is idempotent). A run that fails is recorded
 * `failed`, to be run again; one the timeout cuts short leaves no record (API Gateway answers 503):
 * run it again all the same. The metrics and the escalation audit read every case received in their
 * period (up to 93 days) with its timeline, within the same 30 seconds.
 */
const ROUTE_FUNCTION_SIZES: Readonly<Record<string, { memorySize: number; timeout: Duration; ephemeralStorageSize?: Size }>> = {
  'create-access-request': { memorySize: 1024, timeout: Duration.seconds(29), ephemeralStorageSize: Size.gibibytes(2) },
  'create-erasure-request': { memorySize: 1024, timeout: Duration.seconds(29) },
  'get-metrics': { memorySize: 512, timeout: Duration.seconds(29) },
  'get-escalation-audit': { memorySize: 512, timeout: Duration.seconds(29) },
  // A month's cases and timelines, the charts rendered to SVG (no PDF in Lambda: no Chromium, docs/reports.md).
  'create-monthly-report': { memorySize: 1024, timeout: Duration.seconds(29) },
};

/** Every handler a route of functions/handlers/routes.ts names. */
type RouteFunctionName = 'create-case' | 'get-openapi' | 'method-not-allowed' | 'get-survey' | 'answer-survey' | Exclude<StaffRouteFunction, QualityOnlyRouteFunction>;
/** Routes built in the quality stack alone (infra/quality-stack.ts), with what only it has: the SLA policy migration workflow. */
type QualityOnlyRouteFunction = 'migrate-sla-policy' | 'get-sla-migration';
type RouteEnvironments = { [N in RouteFunctionName]: EnvironmentOf<N> };

/**
 * The HTTP API: customer intake and the staff case API. One function per route handler of
 * functions/handlers/routes.ts (the routes the local gateway serves too), the Cognito JWT
 * authorizer on staff routes, CORS for the web origin only, and a throttled default stage whose
 * access logs carry no personal data.
 */
export class CaseApi extends Construct {
  public readonly api: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  public readonly accessLogs: logs.LogGroup;
  /** The route functions, keyed by handler name. */
  public readonly functions = new Map<string, CaseflowFunction>();
  /** The cdk-nag finding of get-attachment's object-level S3 grant (acknowledged on its role). */
  public readonly attachmentDownloadFindings: string[] = [];
  /** The cdk-nag finding of get-case-archive's object-level S3 grant (acknowledged on its role). */
  public readonly caseArchiveReadFindings: string[] = [];
  /** The cdk-nag findings of the privacy routes' object-level S3 grants (acknowledged on their roles). */
  public readonly privacyExportFindings: string[] = [];
  /** The cdk-nag findings of the erasure's object-level S3 grants (acknowledged on its role). */
  public readonly erasureFindings: string[] = [];
  /** The cdk-nag findings of the export routes' grants: the exports' objects, the workflow's executions (acknowledged on their roles). */
  public readonly complianceExportFindings: string[] = [];

  constructor(scope: Construct, id: string, props: CaseApiProps) {
    super(scope, id);

    this.accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    this.api = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `caseflow-${props.stage}`,
      description: 'caseflow: customer intake and staff case API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.webOrigin],
        // Every method and request header the route table uses (the console's PATCH and DELETE, If-Match), and the
        // response headers a browser client must read (ETag: the case version it sends back as If-Match).
        allowMethods: [...new Set(API_ROUTES.map((r) => r.method))].filter((m) => m !== 'ANY').map((m) => apigwv2.CorsHttpMethod[m]),
        allowHeaders: ['content-type', 'authorization', ...new Set(API_ROUTES.flatMap((r) => r.headers ?? []).map((h) => h.toLowerCase()))],
        exposeHeaders: ['idempotent-replayed', 'allow', 'etag'],
        maxAge: Duration.hours(1),
      },
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { ...props.throttle },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
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

    const staffAuthorizer = new HttpJwtAuthorizer('StaffJwtAuthorizer', props.identity.issuer, {
      authorizerName: 'staff-jwt',
      jwtAudience: [props.identity.userPoolClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    const presentation = { DISPLAY_TIME_ZONE: props.display.timeZone, DISPLAY_LOCALE: props.display.locale };
    const staffApi: EnvironmentOf<'list-cases'> = {
      TABLE_NAME: props.tableName,
      JWT_ISSUER: props.identity.issuer,
      JWT_JWKS_URL: props.identity.jwksUrl,
      JWT_AUDIENCE: props.identity.userPoolClient.userPoolClientId,
      STAFF_USER_POOL_ID: props.identity.userPool.userPoolId,
      ...presentation,
    };
    const staffRoutes = Object.fromEntries(STAFF_ROUTE_FUNCTIONS.map((h) => [h, staffApi])) as Record<(typeof STAFF_ROUTE_FUNCTIONS)[number], EnvironmentOf<'list-cases'>>;
    const environments: RouteEnvironments = {
      'create-case': {
        TABLE_NAME: props.tableName,
        ...presentation,
        AUTO_ACKNOWLEDGEMENT: String(props.intake.autoAcknowledgement),
        ACK_RATE_LIMIT_PER_HOUR: String(props.intake.ackRateLimitPerHour),
        SUBMISSION_RATE_LIMIT_PER_HOUR: String(props.intake.submissionRateLimitPerHour),
      },
      ...staffRoutes,
      'verify-audit-trail': { ...staffApi, AUDIT_ANCHOR_BUCKET: props.auditAnchorBucketName },
      'get-attachment': { ...staffApi, ATTACHMENTS_BUCKET: props.attachments.bucketName },
      'get-case-archive': { ...staffApi, CASE_ARCHIVE_BUCKET: props.caseArchives.bucketName, ...subjectKeyEnvironment(props.subjectKeys) },
      'create-access-request': {
        ...staffApi,
        ATTACHMENTS_BUCKET: props.attachments.bucketName,
        INBOUND_BUCKET: props.inboundMail.bucketName,
        CASE_ARCHIVE_BUCKET: props.caseArchives.bucketName,
        ...subjectKeyEnvironment(props.subjectKeys),
      },
      'create-erasure-request': {
        ...staffApi,
        ATTACHMENTS_BUCKET: props.attachments.bucketName,
        INBOUND_BUCKET: props.inboundMail.bucketName,
        CASE_ARCHIVE_BUCKET: props.caseArchives.bucketName,
        ...subjectKeyEnvironment(props.subjectKeys),
      },
      'get-privacy-request': { ...staffApi, ATTACHMENTS_BUCKET: props.attachments.bucketName },
      'create-export': { ...staffApi, EXPORTS_BUCKET: props.complianceExports.bucketName, EXPORT_STATE_MACHINE_ARN: props.complianceExports.stateMachineArn },
      'get-export': { ...staffApi, EXPORTS_BUCKET: props.complianceExports.bucketName },
      'create-monthly-report': { ...staffApi, EXPORTS_BUCKET: props.complianceExports.bucketName },
      'get-monthly-report': { ...staffApi, EXPORTS_BUCKET: props.complianceExports.bucketName },
      // Training records and status (C5.1-C5.3): the catalogue, reminder window and guard mode are the defaults (docs/training.md).
      'record-training': staffApi,
      'get-training': staffApi,
      // Response-quality reviews (M6.1, C6.3): built in the quality stack (infra/quality-routes.ts); typed here with every route.
      'score-quality-review': staffApi,
      'list-quality-reviews': staffApi,
      'get-quality-review': staffApi,
      'list-my-quality-reviews': staffApi,
      'get-quality-rollup': staffApi,
      'publish-sla-policy': staffApi,
      // Retention versions (M7.2, C4.3): built in the quality stack (infra/quality-routes.ts); typed here with every route.
      'publish-retention-policy': staffApi,
      // Performance reviews (C7.3): built in the quality stack (infra/quality-routes.ts); typed here with every route.
      'list-performance-reviews': staffApi,
      'get-performance-review': staffApi,
      // The document is made from the route table.
      'get-openapi': {},
      'escalate-case': {
        ...staffApi,
        TEAM_INBOX_EMAIL: props.slaContacts.teamInbox,
        SUPERVISOR_EMAIL: props.slaContacts.supervisor,
        MANAGER_EMAIL: props.slaContacts.manager,
      },
      // It only answers 405 with an Allow header.
      'method-not-allowed': {},
      // The survey page and its answers (M8.1, C7.1): built in the quality stack, with their link keys (infra/constructs/survey-link-keys.ts); typed here with every route.
      'get-survey': { TABLE_NAME: props.tableName },
      'answer-survey': { TABLE_NAME: props.tableName },
      // Feedback trends (M4.3, M8.3), built in the quality stack: the theme table is the default (docs/feedback-analysis.md).
      'get-feedback-trends': staffApi,
    };

    const integrations = new Map<string, HttpLambdaIntegration>();
    // The quality loop's routes, and the 405 fallbacks of paths only they serve, are the quality stack's (infra/quality-stack.ts).
    for (const route of [...API_ROUTES.filter((r) => !isQualityRoute(r.handler)), ...FALLBACK_ROUTES.filter((r) => !isQualityFallback(r))]) {
      let integration = integrations.get(route.handler);
      if (!integration) {
        const fn = routeFunction(props.functions, route.handler, environments);
        this.functions.set(route.handler, fn);
        if (props.directoryReaders.includes(route.handler)) {
          fn.role.addToPrincipalPolicy(
            new iam.PolicyStatement({
              sid: 'ReadStaffDirectory',
              actions: ['cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup', 'cognito-idp:AdminListGroupsForUser'],
              resources: [props.identity.userPool.userPoolArn],
            }),
          );
        }
        if (route.handler === 'get-attachment') this.grantAttachmentDownloads(fn, props);
        if (route.handler === 'get-case-archive') this.grantCaseArchiveReads(fn, props);
        if (route.handler === 'create-access-request') this.grantAccessRequestExports(fn, props);
        if (route.handler === 'create-erasure-request') this.grantErasure(fn, props);
        if (route.handler === 'get-privacy-request') this.grantExportDownloads(fn, props);
        if (route.handler === 'create-export') this.grantExportRequests(fn, props);
        if (route.handler === 'get-export') this.grantComplianceExportReads(fn, props, 'signs 15-minute links to an export\'s manifest and files, which carry its rights');
        if (route.handler === 'create-monthly-report' || route.handler === 'get-monthly-report') this.grantMonthlyReports(fn, props, route.handler === 'create-monthly-report');
        // API Gateway may invoke each function from its own routes' paths only (a Lambda permission
        // a route), but the 405 function, which has no rights at all, from the whole API: one
        // permission instead of one for each of its fallback routes keeps the stack under
        // CloudFormation's 500 resources.
        integration = new HttpLambdaIntegration(`${pascalCase(route.handler)}Integration`, fn.fn, { scopePermissionToRoute: route.handler !== 'method-not-allowed' });
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
  }

  /**
   * get-attachment's presigned URLs carry its role's rights: it alone may read the cases' files
   * (under cases/<caseId>/attachments/ in the archive bucket, never anything else there), and
   * use the data key for that through S3 only.
   */
  private grantAttachmentDownloads(fn: CaseflowFunction, props: CaseApiProps): void {
    const files = `${ATTACHMENTS_PREFIX}*/attachments/*`;
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:GetObject'], resourceArns: [`${props.attachments.bucketArnImport}/${files}`] });
    iam.Grant.addToPrincipal({
      grantee: fn.role,
      actions: ['kms:Decrypt'],
      resourceArns: [props.attachments.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });
    const finding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'archive')}/${files}]`;
    this.attachmentDownloadFindings.push(finding);
    Validations.of(fn.role).acknowledge({
      id: finding,
      reason: `s3:GetObject on ${ATTACHMENTS_PREFIX}<caseId>/attachments/ in the archive bucket only (a case's files, for presigned downloads): case ids and file hashes are unknown at deploy time.`,
    });
  }

  /**
   * get-case-archive reads the archives back (under records/ of the case-archive bucket) and, for a
   * case expired from the table, its reference's index entry (under index/): nothing else there,
   * never a write, with the data key through S3 only.
   */
  private grantCaseArchiveReads(fn: CaseflowFunction, props: CaseApiProps): void {
    const bucketArn = props.caseArchives.bucketArnImport;
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:GetObject', 's3:GetObjectVersion'], resourceArns: [`${bucketArn}/${CASE_ARCHIVE_PREFIX}*`] });
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:GetObject'], resourceArns: [`${bucketArn}/${ARCHIVE_INDEX_PREFIX}*`] });
    // Without s3:ListBucket, S3 answers a read of a missing key 403, not 404: an unknown reference
    // (no index entry) or a missing archive would be a server error instead of a 404 or a finding.
    // Listing shows keys only (case ids, references), never personal data.
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:ListBucket'], resourceArns: [bucketArn] });
    iam.Grant.addToPrincipal({
      grantee: fn.role,
      actions: ['kms:Decrypt'],
      resourceArns: [props.caseArchives.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });
    // The archive's sealed record opens with its customer's key, while it exists; never made here.
    grantSubjectKeys(fn.role, props.subjectKeys, 'open');
    for (const prefix of [CASE_ARCHIVE_PREFIX, ARCHIVE_INDEX_PREFIX]) {
      const finding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'case-archive')}/${prefix}*]`;
      this.caseArchiveReadFindings.push(finding);
      Validations.of(fn.role).acknowledge({
        id: finding,
        reason: `s3:GetObject (and s3:GetObjectVersion on ${CASE_ARCHIVE_PREFIX}) on ${CASE_ARCHIVE_PREFIX} and ${ARCHIVE_INDEX_PREFIX} of the case-archive bucket only (a closed case's archive, and the index entry that finds it once the case has expired, read back for an auditor): case ids and references are unknown at deploy time.`,
      });
    }
  }
  /**
   * An access request (M5.1, C6.1) reads what caseflow holds about a customer — the cases' files
   * and the raw mail in the archive and inbound buckets, the archives and the subject index in the
   * case-archive bucket — and writes the export under privacy-exports/ beside the files, which
   * its presigned link then reads with its rights. Nothing else in those buckets, never a delete;
   * the data key through S3 only. s3:ListBucket on each, so that a missing object is a 404 (listed
   * as missing in the export) rather than a 403; listing shows keys only (ids and hashes).
   */
  private grantAccessRequestExports(fn: CaseflowFunction, props: CaseApiProps): void {
    const files = `${ATTACHMENTS_PREFIX}*/attachments/*`;
    const exports = `${PRIVACY_EXPORT_PREFIX}*`;
    const subjects = `${archiveKeys.subjectsPrefix}*`;
    const read = (bucketArn: string, objects: string[], actions = ['s3:GetObject']) =>
      iam.Grant.addToPrincipal({ grantee: fn.role, actions, resourceArns: objects.map((o) => `${bucketArn}/${o}`) });
    read(props.attachments.bucketArnImport, [files, exports]);
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:PutObject'], resourceArns: [`${props.attachments.bucketArnImport}/${exports}`] });
    read(props.inboundMail.bucketArnImport, [`${INBOUND_MAIL_PREFIX}*`]);
    read(props.caseArchives.bucketArnImport, [`${CASE_ARCHIVE_PREFIX}*`], ['s3:GetObject', 's3:GetObjectVersion']);
    read(props.caseArchives.bucketArnImport, [subjects]);
    iam.Grant.addToPrincipal({
      grantee: fn.role,
      actions: ['s3:ListBucket'],
      resourceArns: [props.attachments.bucketArnImport, props.inboundMail.bucketArnImport, props.caseArchives.bucketArnImport],
    });
    iam.Grant.addToPrincipal({
      grantee: fn.role,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resourceArns: [...new Set([props.attachments.key.keyArn, props.inboundMail.key.keyArn, props.caseArchives.key.keyArn])],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });
    // The archives' sealed records open with the customer's key, while it exists; never made here.
    grantSubjectKeys(fn.role, props.subjectKeys, 'open');
    const reasons: [string, string, string][] = [
      ['archive', files, `s3:GetObject on ${ATTACHMENTS_PREFIX}<caseId>/attachments/ in the archive bucket only (the customer's files, copied into their access export): case ids and file hashes are unknown at deploy time.`],
      ['archive', exports, `s3:GetObject and s3:PutObject on ${PRIVACY_EXPORT_PREFIX}<requestId>.zip in the archive bucket only (the access export and its presigned link): request ids are made per request.`],
      ['inbound', `${INBOUND_MAIL_PREFIX}*`, `s3:GetObject on the raw messages under ${INBOUND_MAIL_PREFIX} in the inbound bucket only (the customer's mail, copied into their access export): keys are SES message ids, unknown at deploy time.`],
      ['case-archive', `${CASE_ARCHIVE_PREFIX}*`, `s3:GetObject and s3:GetObjectVersion on ${CASE_ARCHIVE_PREFIX} of the case-archive bucket only (closed cases' archives, copied into the access export): case ids are unknown at deploy time.`],
      ['case-archive', subjects, `s3:GetObject on ${archiveKeys.subjectsPrefix} of the case-archive bucket only (which archives are about the customer, by the digest of their address): digests are unknown at deploy time.`],
    ];
    for (const [bucket, objects, reason] of reasons) {
      const finding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, bucket as 'archive' | 'inbound' | 'case-archive')}/${objects}]`;
      this.privacyExportFindings.push(finding);
      Validations.of(fn.role).acknowledge({ id: finding, reason });
    }
  }

  /**
   * An erasure request (M5.1, C6.1; functions/core/privacy-erasure.ts) deletes every version of
   * what caseflow stores of a customer: the cases' files (under cases/<caseId>/) and earlier access
   * exports (privacy-exports/) in the archive bucket, the raw mail (inbound/) in the inbound bucket,
   * and the customer's subject-index entries (index/subjects/) in the case-archive bucket. Those
   * entries are locked in GOVERNANCE mode: this role alone may bypass that, there alone. The
   * archives under records/ are locked in COMPLIANCE mode and are only read (whose key sealed one),
   * never deleted: they are crypto-shredded by destroying the customer's keys, which this role alone
   * may do (DeleteItem on the subject-key table; it never opens or makes one).
   *
   * Listing (ListObjectVersions: every version and delete marker of a prefix) is limited by
   * s3:prefix to what it deletes, except s3:ListBucket on the case-archive bucket, which is whole as
   * for the other archive readers: a missing archive must be a 404, not a 403 that fails the
   * request. Listing shows keys only (ids, digests, hashes). Deletes need no key; reading the
   * archives and index entries needs the data key, through S3 only.
   */
  private grantErasure(fn: CaseflowFunction, props: CaseApiProps): void {
    const files = ATTACHMENTS_PREFIX;
    const exports = PRIVACY_EXPORT_PREFIX;
    const subjects = archiveKeys.subjectsPrefix;
    const grant = (bucketArn: string, objects: string[], actions: string[]) =>
      iam.Grant.addToPrincipal({ grantee: fn.role, actions, resourceArns: objects.map((o) => `${bucketArn}/${o}*`) });
    const listVersions = (bucketArn: string, prefixes: string[], actions = ['s3:ListBucket', 's3:ListBucketVersions']) =>
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [bucketArn], conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } } }));
    const deleteVersions = ['s3:DeleteObject', 's3:DeleteObjectVersion'];

    grant(props.attachments.bucketArnImport, [files, exports], deleteVersions);
    listVersions(props.attachments.bucketArnImport, [files, exports]);
    grant(props.inboundMail.bucketArnImport, [INBOUND_MAIL_PREFIX], deleteVersions);
    listVersions(props.inboundMail.bucketArnImport, [INBOUND_MAIL_PREFIX]);
    grant(props.caseArchives.bucketArnImport, [CASE_ARCHIVE_PREFIX], ['s3:GetObject', 's3:GetObjectVersion']);
    grant(props.caseArchives.bucketArnImport, [subjects], ['s3:GetObject', ...deleteVersions, 's3:BypassGovernanceRetention']);
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:ListBucket'], resourceArns: [props.caseArchives.bucketArnImport] });
    listVersions(props.caseArchives.bucketArnImport, [subjects], ['s3:ListBucketVersions']);
    iam.Grant.addToPrincipal({
      grantee: fn.role,
      actions: ['kms:Decrypt'],
      resourceArns: [props.caseArchives.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });
    // Open: an expired case's sealed record names the customer's other addresses and numbers (core/privacy-erasure.ts).
    grantSubjectKeys(fn.role, props.subjectKeys, 'destroy');
    grantSubjectKeys(fn.role, props.subjectKeys, 'open');

    const reasons: [string, string, string][] = [
      ['archive', files, `s3:DeleteObject and s3:DeleteObjectVersion on ${ATTACHMENTS_PREFIX} in the archive bucket only (every version of a customer's case files, erased on their GDPR erasure request): case ids are unknown at deploy time.`],
      ['archive', exports, `s3:DeleteObject and s3:DeleteObjectVersion on ${PRIVACY_EXPORT_PREFIX} in the archive bucket only (earlier access exports of the customer, copies of what is erased): request ids are made per request.`],
      ['inbound', INBOUND_MAIL_PREFIX, `s3:DeleteObject and s3:DeleteObjectVersion on the raw messages under ${INBOUND_MAIL_PREFIX} in the inbound bucket only (every version of a customer's mail, erased on their GDPR erasure request): keys are SES message ids, unknown at deploy time.`],
      ['case-archive', CASE_ARCHIVE_PREFIX, `s3:GetObject and s3:GetObjectVersion on ${CASE_ARCHIVE_PREFIX} of the case-archive bucket only, never a delete (COMPLIANCE-locked archives, read to learn whose key sealed one, which the erasure then destroys): case ids are unknown at deploy time.`],
      ['case-archive', subjects, `s3:GetObject, s3:DeleteObject, s3:DeleteObjectVersion and s3:BypassGovernanceRetention on ${subjects} of the case-archive bucket only (a customer's GOVERNANCE-locked subject-index entries, which name them by digest, removed on their GDPR erasure request): digests are unknown at deploy time.`],
    ];
    for (const [bucket, objects, reason] of reasons) {
      const finding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, bucket as 'archive' | 'inbound' | 'case-archive')}/${objects}*]`;
      this.erasureFindings.push(finding);
      Validations.of(fn.role).acknowledge({ id: finding, reason });
    }
  }

  /** get-privacy-request signs fresh links to an export: its role may read privacy-exports/ and nothing else. */
  private grantExportDownloads(fn: CaseflowFunction, props: CaseApiProps): void {
    const exports = `${PRIVACY_EXPORT_PREFIX}*`;
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:GetObject'], resourceArns: [`${props.attachments.bucketArnImport}/${exports}`] });
    // It checks that an export is still there (an erasure deletes a customer's earlier exports):
    // without s3:ListBucket S3 answers 403, not 404, for a missing key. A prefix condition would not
    // apply to a HEAD; the bucket's keys are ids and hashes, never personal data.
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:ListBucket'], resourceArns: [props.attachments.bucketArnImport] });
    iam.Grant.addToPrincipal({
      grantee: fn.role,
      actions: ['kms:Decrypt'],
      resourceArns: [props.attachments.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });
    const finding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'archive')}/${exports}]`;
    this.privacyExportFindings.push(finding);
    Validations.of(fn.role).acknowledge({
      id: finding,
      reason: `s3:GetObject on ${PRIVACY_EXPORT_PREFIX}<requestId>.zip in the archive bucket only (fresh presigned links to an access export while it exists): request ids are made per request.`,
    });
  }

  /**
   * An auditor's export (create-export, SfnExportWorkflows): where it stands in the exports bucket,
   * then a run of the export workflow, started by its export-derived name (StartExecution on that
   * state machine) after looking for one under that name (DescribeExecution on its `export-*`
   * executions only).
   */
  private grantExportRequests(fn: CaseflowFunction, props: CaseApiProps): void {
    this.grantComplianceExportReads(fn, props, 'reads whether an export is sealed, or how many of its days are written');
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['states:StartExecution'], resourceArns: [props.complianceExports.stateMachineArn] });
    const executions = exportExecutionArns(this, props.stage);
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['states:DescribeExecution'], resourceArns: [executions.pattern] });
    this.complianceExportFindings.push(executions.finding);
    Validations.of(fn.role).acknowledge({
      id: executions.finding,
      reason: 'states:DescribeExecution on the export workflow\'s executions named export-<from>_<to> (and their reruns -r<n>) only: the periods auditors ask for are not known at deploy time.',
    });
  }

  /**
   * The monthly report (core/monthly-report-delivery.ts): the export manifests it cites as evidence
   * (exports/manifests/, read), and its own files under reports/monthly/ (read and linked; written
   * by create-monthly-report only), with the data key through S3.
   */
  private grantMonthlyReports(fn: CaseflowFunction, props: CaseApiProps, writes: boolean): void {
    const { bucketArnImport, key } = props.complianceExports;
    const manifests = `${EXPORTS_PREFIX}manifests/*`;
    const reports = `${REPORTS_PREFIX}*`;
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:GetObject'], resourceArns: [`${bucketArnImport}/${manifests}`, `${bucketArnImport}/${reports}`] });
    if (writes) iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:PutObject'], resourceArns: [`${bucketArnImport}/${reports}`] });
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:ListBucket'], resourceArns: [bucketArnImport] });
    iam.Grant.addToPrincipal({
      grantee: fn.role,
      actions: writes ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      resourceArns: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });
    for (const objects of [manifests, reports]) {
      const finding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'exports')}/${objects}]`;
      this.complianceExportFindings.push(finding);
      Validations.of(fn.role).acknowledge({
        id: finding,
        reason: `s3:GetObject${writes && objects === reports ? ' and s3:PutObject' : ''} on ${objects} of the exports bucket only (the monthly report cites the export manifests and writes its page, figures and PDF under reports/monthly/<month>/): sequence numbers and months are not known at deploy time.`,
      });
    }
  }

  /**
   * What the export routes read in the exports bucket (S3ExportStore): under exports/ only, never a
   * write, with the data key through S3. get-export's presigned links carry its rights, so they
   * reach an export's files and nothing else — not the full table dumps under table-exports/.
   * s3:ListBucket on the bucket, without a prefix condition: the status of an export not started is
   * read as a missing manifest, which S3 answers 404 only to a role that may list the bucket (a
   * prefix condition never matches a GET). Listing shows keys only (periods, days, sequence numbers).
   */
  private grantComplianceExportReads(fn: CaseflowFunction, props: CaseApiProps, why: string): void {
    const { bucketArnImport, key } = props.complianceExports;
    const objects = `${EXPORTS_PREFIX}*`;
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:GetObject'], resourceArns: [`${bucketArnImport}/${objects}`] });
    iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:ListBucket'], resourceArns: [bucketArnImport] });
    iam.Grant.addToPrincipal({
      grantee: fn.role,
      actions: ['kms:Decrypt'],
      resourceArns: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });
    const finding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'exports')}/${objects}]`;
    this.complianceExportFindings.push(finding);
    Validations.of(fn.role).acknowledge({
      id: finding,
      reason: `s3:GetObject on ${EXPORTS_PREFIX} of the exports bucket only, read-only (it ${why}): exports are named after the periods asked for, unknown at deploy time.`,
    });
  }
}

/** The function of a route handler: its data access decided first (M2.2), then its configuration. */
function routeFunction(functions: CaseflowFunctions, handler: string, environments: RouteEnvironments): CaseflowFunction {
  functions.dataAccessOf('route', handler);
  if (!isRouteFunction(handler, environments)) {
    throw new Error(
      `caseflow: route handler "${handler}" has no environment in CaseApi (infra/constructs/case-api.ts); give it a configuration schema in FUNCTION_CONFIG (functions/adapters/function-config.ts), then its variables in CaseApi.`,
    );
  }
  return typedRouteFunction(functions, handler, environments);
}

const isRouteFunction = (handler: string, environments: RouteEnvironments): handler is RouteFunctionName => Object.hasOwn(environments, handler);

function typedRouteFunction<N extends RouteFunctionName>(functions: CaseflowFunctions, handler: N, environments: RouteEnvironments): CaseflowFunction {
  return functions.create('route', handler, { environment: environments[handler], ...ROUTE_FUNCTION_SIZES[handler] });
}

function publicRouteReason(route: RouteDef): string {
  if (route.handler === 'method-not-allowed') {
    return `${route.method} ${route.path} only answers 405 with an Allow header; its function has no data access.`;
  }
  if (route.handler === 'get-survey' || route.handler === 'answer-survey') {
    return `${route.method} ${route.path} is the customer's satisfaction survey: its signed, expiring token is the credential. Protected by stage throttling, a per-client answer limit and zod validation (4xx naming the field).`;
  }
  return `${route.method} ${route.path} is customer intake: customers are anonymous. Protected by stage throttling, zod validation (4xx naming the field) and idempotency keys.`;
}
