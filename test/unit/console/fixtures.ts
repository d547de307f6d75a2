import type { CaseEvent, CaseRecord, CaseSummary } from '../../../web/console/src/api/types';
import type { Session } from '../../../web/console/src/logic/roles';

/** A case as the staff API returns it, open and fresh, with the given fields changed. */
export function caseRecord(over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
    reference: 'CS-7K3M9Q',
    type: 'inquiry',
    channel: 'web',
    priority: 'normal',
    status: 'new',
    customer: { name: 'Grace Hopper', email: 'grace@example.com' },
    subject: 'Parcel missing',
    message: 'It never came.',
    receivedAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    sla: { policyVersion: '2026-11', acknowledgementDueAt: '2026-03-02T09:15:00.000Z', initialResponseDueAt: '2026-03-03T09:00:00.000Z' },
    version: 1,
    ...over,
  };
}

export function summary(over: Partial<CaseSummary> = {}): CaseSummary {
  const { customer: _c, message: _m, version: _v, ...rest } = caseRecord();
  return { ...rest, ...over };
}

export const session = (roles: Session['roles'], sub = 'ada'): Session => ({ sub, name: sub, roles, expiresAt: Date.parse('2030-01-01T00:00:00Z') });

export function event(seq: number, type: string, actor: CaseEvent['actor'] = { kind: 'agent', id: 'ada' }, data: Record<string, unknown> = {}): CaseEvent {
  return { caseId: caseRecord().caseId, seq, at: new Date(Date.parse('2026-03-02T09:00:00Z') + seq * 60_000).toISOString(), actor, type, data, prevHash: `h${seq - 1}`, hash: `h${seq}` };
}
