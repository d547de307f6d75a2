import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmedDlq } from './alarmed-dlq';
import type { CaseflowFunctions } from './caseflow-functions';
import { EncryptedQueueDlq } from './encrypted-queue-dlq';
import { SlaWorkflow } from './sla-workflow';
import { LIST_STREAMS_JUSTIFICATION, streamInserts } from './stream-inserts';

/** Who the SLA workflow notifies (sla-step's TEAM_INBOX_EMAIL, SUPERVISOR_EMAIL, MANAGER_EMAIL). */
export interface SlaContacts {
  teamInbox: string;
  supervisor: string;
  manager: string;
}

export interface SlaEnforcementProps {
  /** Prefixes the state machine's name. */
  stage: string;
  /** Makes sla-step, sla-starter and sla-reconciler. */
  functions: CaseflowFunctions;
  /** The table whose stream carries the new cases. */
  table: dynamodb.ITable;
  /** Encrypts the starter's DLQ. */
  dataKey: kms.IKey;
  slaContacts: SlaContacts;
  /** How often the reconciler restarts lost SLA workflows. */
  reconcileRate: Duration;
}

/**
 * The SLA deadlines (M3.1, M3.2 / C3.3, M3.3): the SLA workflow with its sla-step task function,
 * sla-starter, which starts the workflow of every new case from the table stream (DLQ and alarm
 * for batches it cannot start), and sla-reconciler, which restarts lost workflows on a schedule
 * and alarms when it fails twice in a row.
 */
export class SlaEnforcement extends Construct {
  public readonly workflow: SlaWorkflow;
  /** On-failure destination of the sla-starter stream mapping. */
  public readonly startDlq: sqs.Queue;
  /** Runs the reconciler. */
  public readonly reconcileRule: events.Rule;

  constructor(scope: Construct, id: string, props: SlaEnforcementProps) {
    super(scope, id);

    // sla-step gets no state machine ARN: the state machine depends on it, never the other way round.
    const slaStep = props.functions.create('workflow', 'sla-step', {
      description: 'caseflow sla-step: plans and applies the SLA actions of a case (SLA workflow task)',
      environment: {
        TABLE_NAME: props.table.tableName,
        TEAM_INBOX_EMAIL: props.slaContacts.teamInbox,
        SUPERVISOR_EMAIL: props.slaContacts.supervisor,
        MANAGER_EMAIL: props.slaContacts.manager,
      },
      timeout: Duration.seconds(30),
    });
    this.workflow = new SlaWorkflow(this, 'SlaWorkflow', { stage: props.stage, stepFunction: slaStep.fn });
    const stateMachineArn = this.workflow.stateMachine.stateMachineArn;

    this.startDlq = alarmedDlq(this, 'SlaStartDlq', {
      consumer: 'sla-starter',
      key: props.dataKey,
      alarmId: 'SlaStartFailedAlarm',
      alarmDescription:
        'A batch of new cases exhausted its retries without an SLA workflow started. The reconciler starts the missing ones within 15 minutes; inspect the DLQ for the cause.',
    });
    const starter = props.functions.create('stream', 'sla-starter', {
      description: 'caseflow sla-starter: starts the SLA workflow of every new case from the table stream',
      environment: { SLA_STATE_MACHINE_ARN: stateMachineArn },
      timeout: Duration.seconds(60),
      wildcardResourceJustification: LIST_STREAMS_JUSTIFICATION,
    });
    this.workflow.grantStartAndDescribe(starter.role);
    // Only new cases, whatever their channel: each gets one workflow (named after the case id).
    // New cases, and changed ones that may need a timer again (resolved: the automatic closure; reopened; reclassified).
    starter.fn.addEventSource(streamInserts(props.table, 'case', new EncryptedQueueDlq(this.startDlq, props.dataKey), ['INSERT', 'MODIFY']));

    const reconciler = props.functions.create('scheduled', 'sla-reconciler', {
      description: 'caseflow sla-reconciler: restarts the SLA workflow of open cases that have none running',
      environment: { TABLE_NAME: props.table.tableName, SLA_STATE_MACHINE_ARN: stateMachineArn },
      // Walks every open case; overlapping runs are harmless (starts are idempotent by name).
      timeout: Duration.minutes(5),
    });
    this.workflow.grantStartAndDescribe(reconciler.role);
    this.reconcileRule = new events.Rule(this, 'SlaReconcileSchedule', {
      description: 'caseflow: restart lost SLA workflows every 15 minutes',
      schedule: events.Schedule.rate(props.reconcileRate),
      // A missed run is caught by the next one 15 minutes later.
      targets: [new targets.LambdaFunction(reconciler.fn, { retryAttempts: 2, maxEventAge: Duration.minutes(10) })],
    });
    new cloudwatch.Alarm(this, 'SlaReconcilerErrorsAlarm', {
      alarmDescription: 'The SLA reconciler failed twice in a row: lost SLA workflows are not being restarted. Check its logs.',
      metric: reconciler.fn.metricErrors({ period: props.reconcileRate, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
