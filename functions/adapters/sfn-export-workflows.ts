import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { exportExecutionName, type ExportRequest } from '../core/compliance-export';

/** How many runs one export may take (a run that failed is resumed by the next: the days written are kept). */
const MAX_RUNS = 20;

export interface ExportWorkflows {
  /** Runs the export workflow for a request, unless a run of that export is going on: `started` or `running`. */
  start(exportId: string, request: ExportRequest): Promise<'started' | 'running'>;
}

const named = (error: unknown, name: string) => (error as { name?: string }).name === name;

/**
 * Starts export runs by their export-derived names (`export-<from>_<to>`, then `-r2`, `-r3`… for
 * the runs that resume one that failed): two auditors asking for the same period at once get one
 * run; a period asked for again after its run failed is resumed where it stopped.
 */
export class SfnExportWorkflows implements ExportWorkflows {
  private readonly executionPrefix: string;

  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {
    this.executionPrefix = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
  }

  async start(exportId: string, request: ExportRequest): Promise<'started' | 'running'> {
    for (let run = 1; run <= MAX_RUNS; run += 1) {
      const name = run === 1 ? exportExecutionName(exportId) : `${exportExecutionName(exportId)}-r${run}`;
      let status: string | undefined;
      try {
        status = (await this.sfn.send(new DescribeExecutionCommand({ executionArn: this.executionPrefix + name }))).status;
      } catch (error) {
        if (!named(error, 'ExecutionDoesNotExist')) throw error;
      }
      if (status === 'RUNNING' || status === 'PENDING_REDRIVE') return 'running';
      if (status !== undefined) continue;
      try {
        await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(request) }));
        return 'started';
      } catch (error) {
        if (named(error, 'ExecutionAlreadyExists')) return 'running';
        throw error;
      }
    }
    throw new Error(`export ${exportId} has been run ${MAX_RUNS} times; investigate before starting another`);
  }
}
