import { Tags, type App } from 'aws-cdk-lib';
import type { CaseflowContext } from './context';
import { CaseflowStatefulStack } from './stateful-stack';
import { CaseflowExportsStack } from './exports-stack';
import { CaseflowStatelessStack } from './stateless-stack';
import { CaseflowWorkersStack } from './workers-stack';
import { CaseflowQualityStack } from './quality-stack';

export interface CaseflowStacks {
  stateful: CaseflowStatefulStack;
  exports: CaseflowExportsStack;
  workers: CaseflowWorkersStack;
  stateless: CaseflowStatelessStack;
  quality: CaseflowQualityStack;
}

/**
 * The five stacks of one stage, in deploy order: data; compliance exports; the work behind the API
 * (stream consumers, the SLA workflow, mail in and out, daily jobs); the API, its staff identities
 * and console; the quality loop's routes on that API. Each depends only on stacks before it, and values flow only forward, through
 * stage-named exports (CloudFormation refuses to remove an export another stack imports, so a
 * backward one would break the order). A stack of its own each time the API's reached
 * CloudFormation's 500 resources: see docs/deploy.md. Environment-agnostic: account and region
 * come from the credentials `cdk deploy` runs with, so synth needs none.
 */
export function createCaseflowStacks(app: App, ctx: CaseflowContext): CaseflowStacks {
  Tags.of(app).add('project', 'caseflow');
  Tags.of(app).add('caseflow:stage', ctx.stage);

  const stateful = new CaseflowStatefulStack(app, `${ctx.stage}-caseflow-stateful`, {
    stage: ctx.stage,
    description: `caseflow ${ctx.stage}: data (KMS keys, DynamoDB tables, mail, archive and exports buckets)`,
    surveyLinkKeys: ctx.surveyLinkKeys,
    // The data outlives the stack anyway (RETAIN); this stops an accidental `cdk destroy` early.
    terminationProtection: true,
  });
  const exports = new CaseflowExportsStack(app, `${ctx.stage}-caseflow-exports`, {
    stage: ctx.stage,
    description: `caseflow ${ctx.stage}: compliance exports (workflow, export-step, schedules, alarms)`,
    table: stateful.table,
    dataKey: stateful.dataKey,
    exportsBucket: stateful.exportsBucket,
    exportsBucketArnImport: stateful.exportsBucketArnImport,
    exportSigningKeyArnImport: stateful.exportSigningKeyArnImport,
    schedules: { timeZone: ctx.exportsTimeZone, daily: ctx.exportsDaily, weekly: ctx.exportsWeekly, monthly: ctx.exportsMonthly },
  });
  exports.addStackDependency(stateful, 'export-step reads the table and writes the exports bucket');
  const workers = new CaseflowWorkersStack(app, `${ctx.stage}-caseflow-workers`, {
    stage: ctx.stage,
    description: `caseflow ${ctx.stage}: stream consumers, SLA workflow, mail (outbound and inbound), daily audit anchoring and retention reconciliation, protocol dashboard and breach-rate alarm`,
    senderEmail: ctx.senderEmail,
    surveyLinkKeys: ctx.surveyLinkKeys,
    supportAddresses: ctx.supportAddresses,
    complaintsAddresses: ctx.complaintsAddresses,
    slaContacts: { teamInbox: ctx.teamInboxEmail, supervisor: ctx.supervisorEmail, manager: ctx.managerEmail },
    autoAcknowledgement: ctx.autoAcknowledgement,
    display: { timeZone: ctx.displayTimeZone, locale: ctx.displayLocale },
    dataKey: stateful.dataKey,
    table: stateful.table,
    inboundBucket: stateful.inboundBucket,
    archiveBucket: stateful.archiveBucket,
    inboundBucketArnImport: stateful.inboundBucketArnImport,
    archiveBucketArnImport: stateful.archiveBucketArnImport,
    auditAnchorBucket: stateful.auditAnchorBucket,
    auditAnchorBucketArnImport: stateful.auditAnchorBucketArnImport,
    caseArchiveBucket: stateful.caseArchiveBucket,
    caseArchiveBucketArnImport: stateful.caseArchiveBucketArnImport,
    subjectKeys: stateful.subjectKeys,
    slaBreachRateThreshold: ctx.slaBreachRateThreshold,
  });
  workers.addStackDependency(stateful, 'the consumers read the table stream; the functions use the table, key and buckets');
  const stateless = new CaseflowStatelessStack(app, `${ctx.stage}-caseflow-stateless`, {
    stage: ctx.stage,
    description: `caseflow ${ctx.stage}: HTTP API and its functions, staff identities and console`,
    webOrigin: ctx.webOrigin,
    slaContacts: { teamInbox: ctx.teamInboxEmail, supervisor: ctx.supervisorEmail, manager: ctx.managerEmail },
    autoAcknowledgement: ctx.autoAcknowledgement,
    display: { timeZone: ctx.displayTimeZone, locale: ctx.displayLocale },
    console: {
      ...(ctx.authDomainPrefix ? { authDomainPrefix: ctx.authDomainPrefix } : {}),
      ...(ctx.consoleDomainName && ctx.consoleCertificateArn ? { customDomain: { domainName: ctx.consoleDomainName, certificateArn: ctx.consoleCertificateArn } } : {}),
      ...(ctx.consoleWebAclArn ? { webAclArn: ctx.consoleWebAclArn } : {}),
    },
    dataKey: stateful.dataKey,
    table: stateful.table,
    inboundBucket: stateful.inboundBucket,
    archiveBucket: stateful.archiveBucket,
    inboundBucketArnImport: stateful.inboundBucketArnImport,
    archiveBucketArnImport: stateful.archiveBucketArnImport,
    auditAnchorBucket: stateful.auditAnchorBucket,
    auditAnchorBucketArnImport: stateful.auditAnchorBucketArnImport,
    caseArchiveBucket: stateful.caseArchiveBucket,
    caseArchiveBucketArnImport: stateful.caseArchiveBucketArnImport,
    subjectKeys: stateful.subjectKeys,
    exportsBucket: stateful.exportsBucket,
    exportsBucketArnImport: stateful.exportsBucketArnImport,
    exportStateMachineArnImport: exports.stateMachineArnImport,
  });
  stateless.addStackDependency(stateful, 'functions use the table, key and buckets');
  stateless.addStackDependency(exports, 'the export routes start the export workflow');
  // Nothing of the workers' is imported yet; the order keeps the direction any value must take.
  stateless.addStackDependency(workers, 'the API comes last: what it may need of the workers reaches it through stage-named exports');
  const quality = new CaseflowQualityStack(app, `${ctx.stage}-caseflow-quality`, {
    stage: ctx.stage,
    description: `caseflow ${ctx.stage}: the quality loop's API routes (non-compliance records) on the stateless stack's HTTP API`,
    table: stateful.table,
    dataKey: stateful.dataKey,
    display: { timeZone: ctx.displayTimeZone, locale: ctx.displayLocale },
    surveyLinkKeys: ctx.surveyLinkKeys,
    httpApiIdImport: stateless.httpApiIdImport,
    userPoolIdImport: stateless.userPoolIdImport,
    userPoolClientIdImport: stateless.userPoolClientIdImport,
    mail: { senderEmail: ctx.senderEmail, supervisorEmail: ctx.supervisorEmail, configurationSetImport: workers.mailConfigurationSetImport },
    ...(ctx.consoleDomainName ? { consoleUrl: `https://${ctx.consoleDomainName}` } : {}),
  });
  quality.addStackDependency(stateful, 'functions use the table and key');
  quality.addStackDependency(workers, 'policy migrations replace the SLA workflow executions of the cases they move');
  quality.addStackDependency(stateless, 'its routes join the HTTP API, its authorizer trusts the staff user pool');
  return { stateful, exports, workers, stateless, quality };
}
