import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmedDlq } from './alarmed-dlq';
import type { CaseflowFunctions } from './caseflow-functions';
import { EncryptedQueueDlq } from './encrypted-queue-dlq';
import type { SlaContacts } from './sla-enforcement';
import { TimerWorkflow } from './sla-workflow';
import { LIST_STREAMS_JUSTIFICATION, streamInserts } from './stream-inserts';

/** The one definition of the corrective-action workflow: what AWS runs and what the local runner runs. */
export const CORRECTIVE_ACTION_DEFINITION_FILE = path.resolve(__dirname, '..', '..', 'state-machines', 'corrective-action.asl.json');

export interface CorrectiveActionEnforcementProps {
  stage: string;
  /** Makes corrective-action-step and non-compliance-starter. */
  functions: CaseflowFunctions;
  /** The table whose stream carries the new non-compliance records. */
  table: dynamodb.ITable;
  /** Encrypts the starter's DLQ. */
  dataKey: kms.IKey;
  /** The supervisor warned before the deadline, management told when it passes. */
  slaContacts: SlaContacts;
  /** The mail the step sends: the outbox's sender identity and configuration set. */
  mail: { senderEmail: string; identity: ses.EmailIdentity; configurationSet: ses.ConfigurationSet };
  display: { timeZone: string; locale: string };
}

/**
 * Non-compliance (C8.1): the corrective-action workflow (state-machines/corrective-action.asl.json)
 * with its step function, which warns the supervisor before a record's 7-day deadline and, if no
 * corrective action is recorded by then, records the missed deadline and tells management; and
 * non-compliance-starter, which starts the workflow of every new record (an SLA breach's, a
 * report's) from the table stream, with a DLQ and an alarm for records it cannot start.
 */
export class CorrectiveActionEnforcement extends Construct {
  public readonly workflow: TimerWorkflow;
  public readonly startDlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: CorrectiveActionEnforcementProps) {
    super(scope, id);

    // The step gets no state machine ARN: the state machine depends on it, never the other way round.
    const step = props.functions.create('workflow', 'corrective-action-step', {
      description: 'caseflow corrective-action-step: plans and applies the corrective-action timer of a non-compliance record (C8.1)',
      environment: {
        TABLE_NAME: props.table.tableName,
        TEAM_INBOX_EMAIL: props.slaContacts.teamInbox,
        SUPERVISOR_EMAIL: props.slaContacts.supervisor,
        MANAGER_EMAIL: props.slaContacts.manager,
        SENDER_EMAIL: props.mail.senderEmail,
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
        DISPLAY_TIME_ZONE: props.display.timeZone,
        DISPLAY_LOCALE: props.display.locale,
      },
      timeout: Duration.seconds(30),
    });
    // Staff only: from the configured sender, and to the supervisor and management contacts of the
    // deployment and nobody else (unlike the outbox, which mails customers too).
    iam.Grant.addToPrincipal({
      grantee: step.role,
      actions: ['ses:SendRawEmail'],
      resourceArns: [
        props.mail.identity.emailIdentityArn,
        Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: props.mail.configurationSet.configurationSetName }),
      ],
      conditions: {
        StringEquals: { 'ses:FromAddress': props.mail.senderEmail },
        'ForAllValues:StringLike': { 'ses:Recipients': [props.slaContacts.supervisor, props.slaContacts.manager] },
      },
    });

    this.workflow = new TimerWorkflow(this, 'CorrectiveActionWorkflow', {
      stage: props.stage,
      stepFunction: step.fn,
      name: 'corrective-action',
      definitionFile: CORRECTIVE_ACTION_DEFINITION_FILE,
      stepSubstitution: 'CorrectiveActionStepFunctionArn',
      comment: 'caseflow corrective-action workflow: one execution per non-compliance record (state-machines/corrective-action.asl.json)',
      executionNames: 'non-compliance record ids (ca-<recordId>)',
      alarms: {
        failed: 'A corrective-action workflow execution failed: a non-compliance record may pass its 7-day deadline unnoticed (C8.1). Find the cause in the execution history; start it again with the record id.',
        timedOut: 'A corrective-action workflow execution ran for a year: a record waited that long. Check the record.',
        aborted: 'A corrective-action workflow execution was stopped by hand: its record’s 7-day deadline is no longer watched. Start it again with the record id.',
      },
    });

    this.startDlq = alarmedDlq(this, 'CorrectiveActionStartDlq', {
      consumer: 'non-compliance-starter',
      key: props.dataKey,
      alarmId: 'CorrectiveActionStartFailedAlarm',
      alarmDescription: 'A batch of new non-compliance records exhausted its retries without a corrective-action workflow started: their 7-day deadlines are not watched. Inspect the DLQ; start each with its record id.',
    });
    const starter = props.functions.create('stream', 'non-compliance-starter', {
      description: 'caseflow non-compliance-starter: starts the corrective-action workflow of every new non-compliance record from the table stream',
      environment: { CORRECTIVE_ACTION_STATE_MACHINE_ARN: this.workflow.stateMachine.stateMachineArn },
      timeout: Duration.seconds(60),
      wildcardResourceJustification: LIST_STREAMS_JUSTIFICATION,
    });
    this.workflow.grantStartAndDescribe(starter.role);
    starter.fn.addEventSource(streamInserts(props.table, 'non_compliance', new EncryptedQueueDlq(this.startDlq, props.dataKey)));
  }
}
