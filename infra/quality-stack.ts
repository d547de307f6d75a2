import { ArnFormat, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { EnvironmentOf } from '../functions/adapters/function-config';
import { GLOBAL_INDEXES } from '../functions/adapters/table-design';
import { CaseflowFunctions } from './constructs/caseflow-functions';
import { SLA_WORKFLOW_NAME, stateMachineNameOf } from './constructs/sla-workflow';
import type { CaseflowFunction } from './constructs/caseflow-function';
import { ApiRoutes } from './constructs/api-routes';
import { DEFAULT_SURVEY_LINK_KEYS, grantSurveyLinks, surveyLinkEnvironment } from './constructs/survey-link-keys';
import { SurveyBaseUrlSetting } from './constructs/survey-base-url-setting';
import { grantSendMail } from './constructs/case-data-grants';
import { isQualityRoute, QUALITY_STACK_ROUTES, type QualityRouteHandler } from './quality-routes';
import { SlaPolicyMigration } from './constructs/sla-policy-migration';
import { HANDLER_DATA_ACCESS, STAFF_DIRECTORY_READERS } from './stateless-stack';

const isQualityHandler = (handler: string): handler is QualityRouteHandler => isQualityRoute(handler);

export interface CaseflowQualityStackProps extends StackProps {
  stage: string;
  table: dynamodb.ITable;
  dataKey: kms.IKey;
  display: { timeZone: string; locale: string };
  /** The stateless stack's stage-named exports: the HTTP API, the staff user pool and its console client. */
  httpApiIdImport: string;
  userPoolIdImport: string;
  userPoolClientIdImport: string;
  /** The survey links' KMS HMAC keys by id, newest first (caseflow:surveyLinkKeys; default one, k1): the survey page verifies with each. */
  surveyLinkKeys?: readonly string[];
  /** The training reminders' mail: caseflow's From address (the workers stack's SES identity), the supervisor who gets the copies, the workers stack's configuration set (its stage-named export). */
  mail: { senderEmail: string; supervisorEmail: string; configurationSetImport: string };
  /** The staff console's address (its custom domain, when it has one), for the links in staff reminders. */
  consoleUrl?: string;
}

/**
 * Routes of the HTTP API that live outside the stateless stack (it holds the API, its stage and
 * every other route): deployed after it, joined to its API by the API's stage-named export.
 */
export class CaseflowQualityStack extends Stack {
  public readonly functions: Map<string, CaseflowFunction>;
  public readonly routes: ApiRoutes;
  /** The SLA policy migration workflow and its step function (M8.3). */
  public readonly slaPolicyMigration: SlaPolicyMigration;

  constructor(scope: Construct, id: string, props: CaseflowQualityStackProps) {
    super(scope, id, props);
    const functions = new CaseflowFunctions(this, {
      caseData: { table: props.table, key: props.dataKey, indexNames: GLOBAL_INDEXES.map((g) => g.indexName) },
      metricsNamespace: `caseflow/${props.stage}`,
      dataAccess: HANDLER_DATA_ACCESS,
    });
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${props.userPoolIdImport}`;
    const staffApi: EnvironmentOf<'list-cases'> = {
      TABLE_NAME: props.table.tableName,
      JWT_ISSUER: issuer,
      JWT_JWKS_URL: `${issuer}/.well-known/jwks.json`,
      JWT_AUDIENCE: props.userPoolClientIdImport,
      STAFF_USER_POOL_ID: props.userPoolIdImport,
      DISPLAY_TIME_ZONE: props.display.timeZone,
      DISPLAY_LOCALE: props.display.locale,
    };
    // Every quality handler's configuration (function-config.ts): each typed by its own schema.
    // The workers stack's SLA workflow, by its name (known before deployment): policy migrations' step replaces its executions.
    const slaStateMachineName = stateMachineNameOf(props.stage, SLA_WORKFLOW_NAME);
    const slaStateMachineArn = this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: slaStateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const surveyLinkKeys = props.surveyLinkKeys ?? DEFAULT_SURVEY_LINK_KEYS;
    const surveyLinks = surveyLinkEnvironment(props.stage, surveyLinkKeys);
    // The migration workflow (M8.3): its step moves the open cases and replaces their SLA executions; the API only starts runs.
    const migration = new SlaPolicyMigration(this, 'SlaPolicyMigration', {
      stage: props.stage,
      functions,
      environment: { TABLE_NAME: props.table.tableName, SLA_STATE_MACHINE_ARN: slaStateMachineArn },
    });
    grantSlaRestarts(this, migration.function, slaStateMachineName);
    this.slaPolicyMigration = migration;
    const environments: { [N in QualityRouteHandler]: EnvironmentOf<N> } = {
      'list-non-compliance': staffApi,
      'get-non-compliance': staffApi,
      'report-non-compliance': staffApi,
      'record-corrective-action': staffApi,
      'sign-off-non-compliance': staffApi,
      // The training catalogue, reminder window and guard mode are the defaults (docs/training.md).
      'record-training': staffApi,
      'get-training': staffApi,
      'get-sla-policies': staffApi,
      // SLA policies as data (M8.3): a version and the current pointer; a migration also replaces SLA executions.
      'publish-sla-policy': staffApi,
      'migrate-sla-policy': { ...staffApi, SLA_MIGRATION_STATE_MACHINE_ARN: migration.workflow.stateMachine.stateMachineArn },
      'get-sla-migration': staffApi,
      // The retention policy as data (M7.2, C4.3): versions and the current pointer in the table.
      'get-retention-policies': staffApi,
      'publish-retention-policy': staffApi,
      // The feedback log (C4.2) and the survey's public page and answers (M8.1, C7.1), whose links KMS verifies (survey-link-keys.ts).
      'list-feedback': staffApi,
      'get-survey': { TABLE_NAME: props.table.tableName, ...surveyLinks },
      'answer-survey': { TABLE_NAME: props.table.tableName, ...surveyLinks },
      // Response-quality reviews (M6.1, C6.3): the sampling share and fail threshold are the defaults (docs/quality-reviews.md).
      'list-quality-reviews': staffApi,
      'get-quality-review': staffApi,
      'score-quality-review': staffApi,
      'list-my-quality-reviews': staffApi,
      'get-quality-rollup': staffApi,
      // Feedback trends and themes (M4.3, M8.3, C2.3): the theme table is the default (docs/feedback-analysis.md).
      'get-feedback-trends': staffApi,
      // Action items (M8.2, C7.2): their partition of the table and the staff directory (owners).
      'create-action-item': staffApi,
      'update-action-item': staffApi,
      'list-action-items': staffApi,
      'get-action-item': staffApi,
      // Performance reviews (C7.3): the metrics' cases, the reviews, non-compliance and training records, the staff directory; the training catalogue is the default (docs/performance-reviews.md).
      'list-performance-reviews': staffApi,
      'get-performance-review': staffApi,
      // Complaint follow-ups (M3.2): the case and its partition, the follow-ups' partition (Query); docs/complaint-follow-ups.md.
      'record-follow-up': staffApi,
      'list-follow-ups': staffApi,
    };
    const create = <N extends QualityRouteHandler>(handler: N) => {
      functions.dataAccessOf('route', handler);
      const fn = functions.create('route', handler, { environment: environments[handler] });
      if (handler === 'migrate-sla-policy') migration.grantStart(fn);
      if (handler === 'get-survey' || handler === 'answer-survey') grantSurveyLinks(fn.role, 'verify', props.stage, surveyLinkKeys);
      return fn;
    };
    this.routes = new ApiRoutes(this, 'QualityRoutes', {
      httpApiId: props.httpApiIdImport,
      routes: QUALITY_STACK_ROUTES,
      createFunction: (handler) => {
        // The 405 of the quality loop's own paths: no data access, no configuration.
        if (handler === 'method-not-allowed') {
          functions.dataAccessOf('route', handler);
          return functions.create('route', handler, { environment: {} });
        }
        if (!isQualityHandler(handler)) throw new Error(`caseflow: ${handler} has no configuration in the quality stack`);
        return create(handler);
      },
      jwt: { issuer, audience: props.userPoolClientIdImport },
      directory: { readers: STAFF_DIRECTORY_READERS, userPoolArn: this.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: props.userPoolIdImport }) },
      publicReason: (route) =>
        route.handler === 'method-not-allowed'
          ? `${route.method} ${route.path} only answers 405 with an Allow header; its function has no data access.`
          : `${route.method} ${route.path} is the customer's satisfaction survey: its signed, expiring token is the credential. Protected by stage throttling, a per-client answer limit and zod validation (4xx naming the field).`,
    });
    // The survey mail's links point at this API (M8.1, C7.1): its address goes into the table for
    // outbox-stream, whose workers stack deploys before the API's and so cannot reference it.
    new SurveyBaseUrlSetting(this, 'SurveyBaseUrlSetting', {
      table: props.table,
      dataKey: props.dataKey,
      url: `https://${props.httpApiIdImport}.execute-api.${this.region}.${this.urlSuffix}/`,
    });
    // The quality reviews' weekly top-up (M6.1, docs/quality-reviews.md): each Monday, one reply of each
    // agent with none sampled in the ISO week just ended. A rerun samples nothing new.
    const topUp = functions.create('scheduled', 'quality-review-top-up', {
      description: 'caseflow quality-review-top-up: one reply of each agent the sampling missed last ISO week goes into the review queue',
      environment: { TABLE_NAME: props.table.tableName },
      timeout: Duration.minutes(2),
    });
    new events.Rule(this, 'QualityReviewTopUpSchedule', {
      description: 'caseflow: the weekly quality-review top-up, each Monday 00:30 UTC',
      schedule: events.Schedule.cron({ minute: '30', hour: '0', weekDay: 'MON' }),
      targets: [new targets.LambdaFunction(topUp.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    // The training reminders (C5.3, docs/training.md): daily, everyone who works cases with a refresher due
    // soon or lapsed is mailed once a lapse window, the supervisor a copy. A rerun mails nothing new.
    const reminders = functions.create('scheduled', 'training-reminders', {
      description: 'caseflow training-reminders: mails staff whose training refresher is due soon or lapsed, and the supervisor a copy (C5.3)',
      environment: {
        TABLE_NAME: props.table.tableName,
        STAFF_USER_POOL_ID: props.userPoolIdImport,
        SENDER_EMAIL: props.mail.senderEmail,
        SES_CONFIGURATION_SET: props.mail.configurationSetImport,
        SUPERVISOR_EMAIL: props.mail.supervisorEmail,
        DISPLAY_TIME_ZONE: props.display.timeZone,
        DISPLAY_LOCALE: props.display.locale,
      } satisfies EnvironmentOf<'training-reminders'>,
      timeout: Duration.minutes(2),
    });
    grantStaffMailer(this, reminders, props);
    new events.Rule(this, 'TrainingRemindersSchedule', {
      description: 'caseflow: the daily training refresher reminders, 06:00 UTC',
      schedule: events.Schedule.cron({ minute: '0', hour: '6' }),
      targets: [new targets.LambdaFunction(reminders.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    // The complaint follow-up reminders (M3.2, docs/complaint-follow-ups.md): daily, each follow-up due that day
    // mails the staff member it is for, one still not recorded the day after the supervisor. A rerun mails nothing new.
    const followUpReminders = functions.create('scheduled', 'follow-up-reminders', {
      description: 'caseflow follow-up-reminders: mails the staff member a complaint follow-up is due for, and the supervisor when it is overdue (M3.2)',
      environment: {
        TABLE_NAME: props.table.tableName,
        STAFF_USER_POOL_ID: props.userPoolIdImport,
        SENDER_EMAIL: props.mail.senderEmail,
        SES_CONFIGURATION_SET: props.mail.configurationSetImport,
        SUPERVISOR_EMAIL: props.mail.supervisorEmail,
        ...(props.consoleUrl ? { CONSOLE_URL: props.consoleUrl } : {}),
      } satisfies EnvironmentOf<'follow-up-reminders'>,
      timeout: Duration.minutes(2),
    });
    grantStaffMailer(this, followUpReminders, props);
    new events.Rule(this, 'FollowUpRemindersSchedule', {
      description: 'caseflow: the daily complaint follow-up reminders, 06:15 UTC',
      schedule: events.Schedule.cron({ minute: '15', hour: '6' }),
      targets: [new targets.LambdaFunction(followUpReminders.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    this.functions = functions.all;
  }
}

/**
 * What a daily job that mails staff (the training and the follow-up reminders) needs besides the table: the staff directory (who works cases, their
 * work addresses) and ses:SendRawEmail from caseflow's address only, with the workers stack's
 * configuration set. Recipients are every member of the directory, so the grant limits the sender.
 */
function grantStaffMailer(stack: Stack, fn: CaseflowFunction, props: CaseflowQualityStackProps): void {
  iam.Grant.addToPrincipal({
    grantee: fn.role,
    actions: ['cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup', 'cognito-idp:AdminListGroupsForUser'],
    resourceArns: [stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: props.userPoolIdImport })],
  });
  grantSendMail(fn.role, {
    identityArn: stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.mail.senderEmail }),
    configurationSetArn: stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: props.mail.configurationSetImport }),
    fromAddress: props.mail.senderEmail,
  });
}

/**
 * What a policy migration's step does to the SLA workflow (core/sla-migration.ts): the SLA starter's
 * StartExecution and DescribeExecution, and StopExecution, on that state machine's executions only.
 */
function grantSlaRestarts(stack: Stack, fn: CaseflowFunction, stateMachineName: string): void {
  const arn = (resource: string, resourceName: string) => stack.formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['states:StartExecution'], resourceArns: [arn('stateMachine', stateMachineName)] });
  iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['states:DescribeExecution', 'states:StopExecution'], resourceArns: [arn('execution', `${stateMachineName}:*`)] });
  // The finding the SLA workflow's starters have (SlaWorkflow.executionArnFinding): the same pattern.
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*]`,
    reason: `states:DescribeExecution and StopExecution on the executions of ${stateMachineName} only: execution names derive from case ids and are not known at deploy time.`,
  });
}
