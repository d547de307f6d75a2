import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseSummary } from '../../core/case';
import type { CaseQueues, Page, QueueSelection } from '../../core/queues';

/** The staff queues, each read from one index partition (docs/data-model.md). */
export class DynamoCaseQueues implements CaseQueues {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listQueue(_selection: QueueSelection, _page: { limit: number; cursor?: string }): Promise<Page<CaseSummary>> {
    throw new Error(`not built yet (${this.tableName}, ${typeof this.doc})`);
  }

  async findByReference(_reference: string): Promise<CaseSummary | undefined> {
    throw new Error('not built yet');
  }
}
