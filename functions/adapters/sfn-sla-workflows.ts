import { DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { standInCredentials, type Endpoints } from './aws-clients';
import { executionName, MAX_RESTARTS, type RestartableSlaWorkflows } from '../core/sla-workflows';

/** Starts, finds and replaces SLA executions by their case-derived names. */
export class SfnSlaWorkflows implements RestartableSlaWorkflows {
  private readonly executionPrefix: string;

  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {
    // arn:aws:states:<region>:<account>:stateMachine:<name> -> arn:aws:states:<region>:<account>:execution:<name>:
    this.executionPrefix = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
  }

  private async statusOf(name: string): Promise<string | undefined> {
    try {
      return (await this.sfn.send(new DescribeExecutionCommand({ executionArn: this.executionPrefix + name }))).status;
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist) && (error as Error).name !== 'ExecutionDoesNotExist') throw error;
      return undefined;
    }
  }

  async restart(caseId: string): Promise<void> {
    for (let generation = 1; generation <= MAX_RESTARTS; generation += 1) {
      const name = executionName(caseId, generation);
      const status = await this.statusOf(name);
      if (status === undefined) break;
      if (status === 'RUNNING') await this.sfn.send(new StopExecutionCommand({ executionArn: this.executionPrefix + name, cause: 'the case moved to another SLA policy version' }));
    }
    await this.ensureRunning(caseId);
  }

  async ensureRunning(caseId: string): Promise<'started' | 'already-running'> {
    for (let generation = 1; generation <= MAX_RESTARTS; generation += 1) {
      const name = executionName(caseId, generation);
      const status = await this.statusOf(name);
      if (status === 'RUNNING' || status === 'PENDING_REDRIVE') return 'already-running';
      if (status !== undefined) continue; // that one ended: try the next restart name
      try {
        await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify({ caseId }) }));
        return 'started';
      } catch (error) {
        // Someone else started it between our look and our start: it runs, which is all we want.
        if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') return 'already-running';
        throw error;
      }
    }
    throw new Error(`case ${caseId} has been restarted ${MAX_RESTARTS} times; investigate before starting another`);
  }
}

export function createSfnClient(cfg: Endpoints): SFNClient {
  return new SFNClient({
    region: cfg.AWS_REGION,
    ...(cfg.SFN_ENDPOINT ? { endpoint: cfg.SFN_ENDPOINT, credentials: standInCredentials(cfg) } : {}),
  });
}
