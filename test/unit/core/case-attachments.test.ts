import type { CaseEvent, StoredAttachment } from '../../../functions/core/case-event';
import { caseAttachments, findCaseAttachment } from '../../../functions/core/case-attachments';

const CASE = '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';
const file = (name: string, hex: string): StoredAttachment => ({
  filename: name,
  contentType: 'application/pdf',
  size: 10,
  sha256: hex.repeat(64),
  inline: false,
  key: `cases/${CASE}/attachments/${hex.repeat(64)}`,
});
const email = (attachments: StoredAttachment[]) => ({ rawObjectKey: 'inbound/x', subject: 'Invoice', attachments });
const base = (seq: number) => ({ caseId: CASE, seq, at: '2025-03-01T10:00:00.000Z', actor: { kind: 'customer' }, prevHash: '', hash: '' });

const events = [
  { ...base(1), type: 'case_received', data: { channel: 'email', caseType: 'inquiry', sla: {}, email: email([file('invoice.pdf', 'a')]) } },
  { ...base(2), type: 'note_added', data: { text: 'Looked at cases/x/attachments/' } },
  { ...base(3), type: 'customer_replied', data: { ...email([file('invoice again.pdf', 'a'), file('photo.png', 'b')]), matchedBy: 'subject reference' } },
] as unknown as CaseEvent[];

describe('a case’s files (C4.1)', () => {
  it('lists the files of the opening email and of every customer reply, first received first, a file sent twice once', () => {
    expect(caseAttachments(events).map((a) => a.filename)).toEqual(['invoice.pdf', 'photo.png']);
  });

  it('finds a file by its SHA-256 in either case, and no file the case does not have', () => {
    expect(findCaseAttachment(events, 'B'.repeat(64))?.filename).toBe('photo.png');
    expect(findCaseAttachment(events, 'c'.repeat(64))).toBeUndefined();
    expect(caseAttachments([])).toEqual([]);
  });
});
