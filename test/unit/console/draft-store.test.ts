import { DraftStore, draftKey } from '../../../web/console/src/logic/draft-store';

const caseId = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const reply = draftKey(caseId, 'reply');
const note = draftKey(caseId, 'note');

describe('a draft and the case version it was written against', () => {
  it('keeps the version its form opened on while the person types, whatever a poll brings meanwhile', () => {
    const drafts = new DraftStore();
    expect(drafts.open(reply, 4)).toBe(4);
    drafts.set(reply, { message: 'Hello Grace' });
    // The poll shows version 6 now; the form is opened again (folded away and back): the draft was written at 4.
    expect(drafts.open(reply, 6)).toBe(4);
    expect(drafts.version(reply)).toBe(4);
    expect(drafts.get(reply)).toEqual({ message: 'Hello Grace' });
  });

  it('takes the version on screen when a form opened before holds nothing typed', () => {
    const drafts = new DraftStore();
    drafts.open(note, 2);
    expect(drafts.open(note, 5)).toBe(5);
  });

  it('moves the draft to the version reloaded, keeping what was typed', () => {
    const drafts = new DraftStore();
    drafts.open(note, 2);
    drafts.set(note, 'Customer wants the Leeds address on invoices');
    drafts.rebase(note, 3);
    expect(drafts.version(note)).toBe(3);
    expect(drafts.get(note)).toBe('Customer wants the Leeds address on invoices');
  });

  it('moves drafts written against the version of the person’s own change along with it, and no others', () => {
    const drafts = new DraftStore();
    drafts.open(note, 2);
    drafts.set(note, 'typed at 2');
    drafts.open(reply, 1);
    drafts.set(reply, 'typed at 1');
    drafts.advance(caseId, 2, 3);
    expect(drafts.version(note)).toBe(3);
    expect(drafts.version(reply)).toBe(1);
  });

  it('forgets the draft and its version once the change is made, and everything on sign-out', () => {
    const drafts = new DraftStore();
    drafts.open(note, 2);
    drafts.set(note, 'x');
    drafts.delete(note);
    expect(drafts.has(note)).toBe(false);
    expect(drafts.version(note)).toBeUndefined();
    drafts.open(reply, 2);
    drafts.set(reply, 'y');
    drafts.clear();
    expect(drafts.has(reply)).toBe(false);
  });
});
