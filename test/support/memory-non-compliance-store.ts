import { ConcurrentUpdateError } from '../../functions/core/errors';
import type { NonComplianceRecord } from '../../functions/core/non-compliance';
import type { NonComplianceStore } from '../../functions/core/non-compliance-records';

/** Non-compliance records in memory (unit tests), over a map a test may share with InMemoryCaseStore's. */
export class MemoryNonComplianceStore implements NonComplianceStore {
  constructor(readonly records = new Map<string, NonComplianceRecord>()) {}

  async create(record: NonComplianceRecord): Promise<'created' | 'exists'> {
    if (this.records.has(record.id)) return 'exists';
    this.records.set(record.id, structuredClone(record));
    return 'created';
  }

  async get(id: string): Promise<NonComplianceRecord | undefined> {
    const r = this.records.get(id);
    return r ? structuredClone(r) : undefined;
  }

  async update(record: NonComplianceRecord, expectedVersion: number): Promise<void> {
    if (this.records.get(record.id)?.version !== expectedVersion) throw new ConcurrentUpdateError('stale');
    this.records.set(record.id, structuredClone(record));
  }

  async listMonth(month: string): Promise<NonComplianceRecord[]> {
    return [...this.records.values()].filter((r) => r.openedAt.startsWith(month)).sort((a, b) => a.openedAt.localeCompare(b.openedAt)).map((r) => structuredClone(r));
  }
}
