import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { CorrectiveActionWorkflows } from '../core/non-compliance-records';

/**
 * Starts the corrective-action workflow of a non-compliance record (C8.1): one execution a record,
 * named after it, so a redelivered stream record starts nothing new.
 */
export class SfnCorrectiveActionWorkflows implements CorrectiveActionWorkflows {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(recordId: string): Promise<'started' | 'already-started'> {
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: correctiveActionExecutionName(recordId), input: JSON.stringify({ recordId }) }));
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') return 'already-started';
      throw error;
    }
  }
}

/** At most 80 characters, as Step Functions allows: record ids are at most 76. */
export const correctiveActionExecutionName = (recordId: string) => `ca-${recordId}`.slice(0, 80);
