import { caseArchiveKey } from '../../functions/core/case-archive';
import { DeletionIncidentSchema, type DeletionIncident, type ExpiryReceipt } from '../../functions/core/item-expiry';
import type { ArchiveIndexEntry, CaseArchives, SubjectIndexEntry } from '../../functions/core/ports';

/** The archive bucket as maps: every archive write kept as a version, receipts written once, incidents by record id, the subject index by digest and case. */
export function memoryArchives() {
  const versions: { caseId: string; json: Uint8Array; retainUntil: Date }[] = [];
  const index = new Map<string, ArchiveIndexEntry>();
  const receipts = new Map<string, ExpiryReceipt>();
  const incidents = new Map<string, DeletionIncident>();
  const subjects = new Map<string, SubjectIndexEntry>();
  const receiptKey = (caseId: string, pk: string, sk: string) => `${caseId}|${pk}|${sk}`;
  const archives: CaseArchives = {
    put: async (caseId, json, sha256, retainUntil) => {
      versions.push({ caseId, json, retainUntil });
      return { key: caseArchiveKey(caseId), versionId: `v${versions.length}`, sha256, bytes: json.length };
    },
    get: async (caseId) => versions.filter((v) => v.caseId === caseId).at(-1)?.json,
    putIndex: async (entry) => void index.set(entry.reference, { ...entry }),
    getIndex: async (reference) => index.get(reference),
    markExpired: async (reference, caseId, expiredAt) => {
      const entry = index.get(reference);
      if (entry && entry.caseId === caseId && !entry.expiredAt) index.set(reference, { ...entry, expiredAt });
    },
    putReceipt: async (receipt) => {
      const key = receiptKey(receipt.caseId, receipt.pk, receipt.sk);
      if (receipts.has(key)) return 'exists';
      receipts.set(key, receipt);
      return 'written';
    },
    receiptsOf: async (caseId) => [...receipts.values()].filter((r) => r.caseId === caseId),
    // Through the schema, as the S3 adapter writes it.
    putIncident: async (incident) => void incidents.set(incident.eventId, DeletionIncidentSchema.parse(incident)),
    putSubjectIndex: async (entry) => void subjects.set(`${entry.subjectDigest}/${entry.caseId}`, { ...entry }),
    subjectIndex: async (digest) => [...subjects.values()].filter((e) => e.subjectDigest === digest),
    deleteSubjectIndexEntry: async (digest, caseId) => void subjects.delete(`${digest}/${caseId}`),
  };
  return { archives, versions, index, receipts, incidents, subjects };
}
