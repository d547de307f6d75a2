import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CURRENT_RETENTION_CACHE_MS, DynamoRetentionPolicyStore } from '../../../functions/adapters/dynamo/retention-policy-store';
import { retentionPolicy } from '../../../functions/core/retention-policy';

/** A table that holds a current pointer to `version` (7 years), counting the reads it answers. */
function table(version: string | undefined) {
  const reads: string[] = [];
  const send = async (command: { input: { Key?: { SK?: string } } }) => {
    const sk = command.input.Key?.SK ?? '';
    reads.push(sk);
    if (sk === 'CURRENT') return { Item: version ? { version } : undefined };
    return { Item: { policy: { ...retentionPolicy(), version, years: 7 }, reason: 'Seven', publishedAt: '2026-12-01T10:00:00.000Z', publishedBy: 'admin-1' } };
  };
  return { doc: { send } as unknown as DynamoDBDocumentClient, reads };
}

describe('the current retention version a function reads (M7.2, docs/retention.md)', () => {
  it('reads the table at most once a minute per function, and the built-in version while none is published', async () => {
    let now = 0;
    const seven = table('r-7');
    const store = new DynamoRetentionPolicyStore(seven.doc, 'table-a', () => now);
    expect(await store.current()).toMatchObject({ version: 'r-7', years: 7 });
    now = CURRENT_RETENTION_CACHE_MS - 1;
    expect(await store.current()).toMatchObject({ version: 'r-7' });
    expect(seven.reads).toEqual(['CURRENT', 'VERSION#r-7']);
    now = CURRENT_RETENTION_CACHE_MS;
    await store.current();
    expect(seven.reads).toHaveLength(4);

    const none = table(undefined);
    expect(await new DynamoRetentionPolicyStore(none.doc, 'table-b', () => 0).current()).toEqual(retentionPolicy());
  });
});
