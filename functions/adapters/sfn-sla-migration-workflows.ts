import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { migrationExecutionName, type MigrationWorkflows } from '../core/sla-migration';

const named = (error: unknown, name: string) => (error as { name?: string }).name === name;

/**
 * Starts the SLA policy migration workflow (state-machines/sla-migration.asl.json): one execution a
 * run of a migration, named after it, with the migration id as its only input (the record holds the
 * progress). StartExecution with a name already used starts nothing: the run's status says whether
 * it is still going on.
 */
export class SfnSlaMigrationWorkflows implements MigrationWorkflows {
  private readonly executionPrefix: string;

  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {
    this.executionPrefix = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
  }

  async start(migrationId: string, run: number): Promise<'started' | 'running' | 'ended'> {
    const name = migrationExecutionName(migrationId, run);
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify({ migrationId }) }));
      return 'started';
    } catch (error) {
      if (!named(error, 'ExecutionAlreadyExists')) throw error;
    }
    const { status } = await this.sfn.send(new DescribeExecutionCommand({ executionArn: this.executionPrefix + name }));
    return status === 'RUNNING' || status === 'PENDING_REDRIVE' ? 'running' : 'ended';
  }
}
