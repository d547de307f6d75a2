import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentOf } from '../../functions/adapters/function-config';
import type { CaseflowFunction } from './caseflow-function';
import type { CaseflowFunctions } from './caseflow-functions';
import { TimerWorkflow } from './sla-workflow';

/** The one definition of the SLA policy migration workflow: what AWS runs and what the local runner runs. */
export const SLA_MIGRATION_DEFINITION_FILE = path.resolve(__dirname, '..', '..', 'state-machines', 'sla-migration.asl.json');

/** The `${...}` placeholders of the definition file, filled in by CloudFormation at deploy time. */
export const SLA_MIGRATION_DEFINITION_SUBSTITUTIONS = ['MigrationStepFunctionArn'] as const;

/** The `all` queue's open-case indexes (dynamo/keys.ts queueRead): a selection by none, type, priority, or both. */
export const OPEN_CASE_INDEXES = ['QOpen', 'QOpenType', 'QOpenPriority', 'QOpenTypePriority'] as const;

/** The migration workflow's name: `caseflow-<stage>-sla-migration`. */
export const SLA_MIGRATION_WORKFLOW_NAME = 'sla-migration';

export interface SlaPolicyMigrationProps {
  stage: string;
  /** Makes sla-migration-step. */
  functions: CaseflowFunctions;
  /** sla-migration-step's configuration: the table, and the SLA workflow whose executions it replaces. */
  environment: EnvironmentOf<'sla-migration-step'>;
}

/**
 * SLA policy migrations (M8.3, core/sla-migration.ts, docs/sla-policies.md): the migration workflow
 * (state-machines/sla-migration.asl.json, one STANDARD execution a run of a migration) and its one
 * function, sla-migration-step, which moves a page of open cases (the queue index, each case's
 * transaction) and records the progress on the migration's record. The step's grants on the SLA
 * workflow (replacing a moved case's execution) are the quality stack's (grantSlaRestarts); the API's
 * right to start a run is `grantStart`.
 */
export class SlaPolicyMigration extends Construct {
  public readonly function: CaseflowFunction;
  public readonly workflow: TimerWorkflow;

  constructor(scope: Construct, id: string, props: SlaPolicyMigrationProps) {
    super(scope, id);
    this.function = props.functions.create('workflow', 'sla-migration-step', {
      description: 'caseflow sla-migration-step: moves a page of open cases to an SLA policy version and records the migration’s progress (migration workflow task)',
      environment: props.environment,
      // A page is at most 100 cases, each a transaction and an SLA execution stopped and started:
      // seconds; a minute leaves room for throttled calls (a step retried starts from the record).
      timeout: Duration.minutes(1),
      indexes: OPEN_CASE_INDEXES,
    });
    this.workflow = new TimerWorkflow(this, 'Workflow', {
      stage: props.stage,
      stepFunction: this.function.fn,
      name: SLA_MIGRATION_WORKFLOW_NAME,
      definitionFile: SLA_MIGRATION_DEFINITION_FILE,
      stepSubstitution: 'MigrationStepFunctionArn' satisfies (typeof SLA_MIGRATION_DEFINITION_SUBSTITUTIONS)[number],
      comment: 'caseflow SLA policy migration: one execution a run of a migration (state-machines/sla-migration.asl.json)',
      executionNames: 'migration ids (a policy version id and a hash of the selection)',
      alarms: {
        failed:
          'An SLA policy migration run failed: a page could not be moved after its retries. The migration record is `failed` with why (GET /v1/sla-policies/{version}/migrations/{migrationId}); fix the cause, then POST the migration again to resume it (docs/sla-policies.md).',
        timedOut: 'An SLA policy migration run timed out: POST the migration again to resume it from its progress (docs/sla-policies.md).',
        aborted: 'An SLA policy migration run was stopped: its record stays `running` until the migration is POSTed again, which resumes it (docs/sla-policies.md).',
      },
    });
  }

  /** What the API's migration route does: start runs (StartExecution on this state machine) and ask whether one is still going (DescribeExecution). */
  grantStart(fn: CaseflowFunction): void {
    this.workflow.grantStartAndDescribe(fn.role);
  }
}
