import type { QueueFilters } from '../logic/router';
import type { ApiClient, ReadResult } from './client';
import type {
  ArchiveVerification,
  AttachmentLink,
  AuditTrail,
  AuditVerification,
  CaseDetail,
  CasePage,
  CaseRecord,
  EscalationRecord,
  QuarantineItem,
  QueueName,
  Settings,
  StaffMember,
  StaffRole,
} from './types';

/** The staff API's routes the console calls (functions/handlers/routes.ts), one function each. */
export const PAGE_SIZE = 25;

const id = (caseId: string) => encodeURIComponent(caseId);

export function queuePath(queue: QueueName, filters: QueueFilters, cursor?: string): string {
  const params = new URLSearchParams({ queue, limit: String(PAGE_SIZE) });
  if (queue === 'all') {
    if (filters.status) params.set('status', filters.status);
    if (filters.type) params.set('type', filters.type);
    if (filters.priority) params.set('priority', filters.priority);
  }
  if (cursor) params.set('cursor', cursor);
  return `/cases?${params.toString()}`;
}

export type CaseActionPath =
  | 'acknowledge'
  | 'assignment'
  | 'claim'
  | 'type'
  | 'priority'
  | 'replies'
  | 'notes'
  | 'calls'
  | 'pending-customer'
  | 'escalations'
  | 'escalation/accept'
  | 'escalation/actions'
  | 'escalation/resolve'
  | 'escalation/de-escalate'
  | 'checklist'
  | 'resolve'
  | 'close'
  | 'reopen'
  | 'contact-access'
  | 'customer';

export interface Endpoints {
  queue(queue: QueueName, filters: QueueFilters, cursor?: string): Promise<ReadResult<CasePage>>;
  byReference(reference: string): Promise<CasePage>;
  search(terms: { email: string } | { phone: string }, cursor?: string): Promise<CasePage>;
  caseDetail(caseId: string, conditional?: boolean): Promise<ReadResult<CaseDetail>>;
  /** A change with If-Match the version the person saw; without a version (a queue row carries none) any version is taken. */
  act(caseId: string, path: CaseActionPath, body: unknown, version: number | undefined, method?: 'POST' | 'PATCH' | 'DELETE'): Promise<{ case: CaseRecord }>;
  escalations(caseId: string): Promise<EscalationRecord[]>;
  audit(caseId: string): Promise<AuditTrail>;
  verify(caseId: string): Promise<AuditVerification>;
  /** A closed case's archive, verified by the server (its body, the archive document itself, is not kept). */
  archive(reference: string): Promise<ArchiveVerification>;
  attachment(caseId: string, sha256: string): Promise<AttachmentLink>;
  staff(role: StaffRole): Promise<StaffMember[]>;
  staffCases(staffId: string): Promise<CasePage>;
  settings(): Promise<Settings>;
  quarantine(cursor?: string): Promise<{ items: QuarantineItem[]; nextCursor?: string | undefined }>;
}

export function endpoints(api: ApiClient): Endpoints {
  return {
    queue: (queue, filters, cursor) => api.get<CasePage>(queuePath(queue, filters, cursor), { conditional: cursor === undefined }),
    byReference: async (reference) => (await api.get<CasePage>(`/cases?${new URLSearchParams({ reference }).toString()}`)).data,
    search: (terms, cursor) => api.send<CasePage>('POST', '/cases/search', { ...terms, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
    caseDetail: (caseId, conditional = true) => api.get<CaseDetail>(`/cases/${id(caseId)}`, { conditional }),
    act: (caseId, path, body, version, method = 'POST') => api.send<{ case: CaseRecord }>(method, `/cases/${id(caseId)}/${path}`, body, { version }),
    escalations: async (caseId) => (await api.get<{ items: EscalationRecord[] }>(`/cases/${id(caseId)}/escalations`)).data.items,
    audit: async (caseId) => (await api.get<AuditTrail>(`/cases/${id(caseId)}/audit`)).data,
    verify: (caseId) => api.send<AuditVerification>('POST', `/cases/${id(caseId)}/audit/verify`, {}),
    archive: async (reference) => (await api.get<ArchiveVerification>(`/archive/${encodeURIComponent(reference)}`)).data,
    attachment: async (caseId, sha256) => (await api.get<AttachmentLink>(`/cases/${id(caseId)}/attachments/${encodeURIComponent(sha256)}`)).data,
    staff: async (role) => (await api.get<{ items: StaffMember[] }>(`/staff?role=${encodeURIComponent(role)}`)).data.items,
    staffCases: async (staffId) => (await api.get<CasePage>(`/staff/${encodeURIComponent(staffId)}/cases?limit=100`)).data,
    settings: async () => (await api.get<Settings>('/settings')).data,
    quarantine: async (cursor) => (await api.get<{ items: QuarantineItem[]; nextCursor?: string }>(`/quarantine${cursor ? `?${new URLSearchParams({ cursor }).toString()}` : ''}`)).data,
  };
}
